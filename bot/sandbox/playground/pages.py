"""The page itself: index.html and its scripts and styles, shipped as package data."""

from __future__ import annotations

from importlib import resources
from typing import Final

from bot.sandbox.server import HttpRequest, HttpResponse

STATIC_PREFIX: Final = "/playground/static/"
TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
# Everything the page loads comes from here; no inline script, nothing from elsewhere.
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _asset(name: str) -> HttpResponse:
    """One file of this package, if it is a page asset."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    if "/" in name or name.startswith(".") or suffix not in TYPES:
        return HttpResponse.text("Not Found", status=404)
    files = resources.files(__package__ or "bot.sandbox.playground")
    asset = files / name
    if not asset.is_file():
        return HttpResponse.text("Not Found", status=404)
    return HttpResponse(
        status=200,
        body=asset.read_bytes(),
        headers={"Content-Type": TYPES[suffix], **SECURITY_HEADERS},
    )


def serve_page(request: HttpRequest) -> HttpResponse:
    """GET / is the page; /playground/static/<file> its assets; anything else is 404."""
    if request.method != "GET":
        return HttpResponse.text("Method Not Allowed", status=405)
    if request.path in ("/", "/index.html"):
        return _asset("index.html")
    if request.path.startswith(STATIC_PREFIX):
        return _asset(request.path.removeprefix(STATIC_PREFIX))
    return HttpResponse.text("Not Found", status=404)
