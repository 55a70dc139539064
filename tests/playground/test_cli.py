"""`python -m bot playground` as a person runs it: the URL, Ctrl+C, SIGTERM, a busy port."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(*args: str) -> subprocess.Popen[str]:
    """The playground in a subprocess, from the project root."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "playground", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_url(process: subprocess.Popen[str]) -> str:
    """Read the startup output until the URL line; the URL."""
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"Open (http://127\.0\.0\.1:\d+) in your browser", line)
        if found:
            return found.group(1)
    raise AssertionError("the playground never printed its URL")


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM])
def test_prints_the_url_serves_and_stops_cleanly(stop_with: signal.Signals) -> None:
    process = start("--port", "0")
    try:
        url = wait_for_url(process)
        with urllib.request.urlopen(url + "/playground/api/state", timeout=10) as answer:  # noqa: S310
            assert json.load(answer)["workspace"]["name"] == "Acme"
        process.send_signal(stop_with)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Stopped." in out
    assert "Traceback" not in err


def test_the_startup_output_says_how_to_stop() -> None:
    process = start("--port", "0")
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "Ctrl+C" in line:
                break
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    text = "".join(lines)
    assert "Press Ctrl+C to stop." in text
    assert "/relationship" in text


def test_a_busy_port_is_named_with_a_way_out() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bot", "playground", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert f"port {port} is already in use" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_port_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "playground", "--port", "70000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "between 0 and 65535" in done.stderr
