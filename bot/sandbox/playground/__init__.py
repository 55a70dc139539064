"""The playground: a small Slack in the browser, running the real app (`python -m bot playground`).

    with Playground(port=3000) as playground:
        print(playground.url)        # the page; its JSON API lives under /playground/api/

The page is plain HTML and JavaScript shipped in this package; it renders the Block Kit the
app sends and acts only through the stand-in, which delivers signed requests to the app.
"""

from bot.sandbox.playground.world import Playground

__all__ = ["Playground"]
