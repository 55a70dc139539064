"""Write one benchmark's section of bench/RESULTS.md, leaving the other sections alone."""

from __future__ import annotations

import math
import os
import platform
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = "# Benchmark results\n\nEach benchmark owns one section and rewrites only that section.\n"


def machine() -> str:
    """CPU model, cores, Python and OS, as one line."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text(encoding="utf-8"))
        model = found.group(1).strip() if found else model
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


SPEED_LOOP: Final = 3 * 10**7
FASTEST_SEEN_S: Final = 0.28  # session 4's host (AMD EPYC), the fastest these figures met


def host_speed() -> float:
    """Seconds for a fixed pure-Python loop, best of three.

    The shared hosts these benchmarks run on change speed by up to ~2x from hour to hour with
    the same CPU model; this figure lets runs be compared across sessions.
    """
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        sum(range(SPEED_LOOP))
        best = min(best, time.perf_counter() - started)
    return best


def speed_note() -> str:
    """The host's speed, measured now, as a sentence fragment."""
    return (
        f"host speed: `sum(range(3*10**7))` in {host_speed():.2f} s "
        f"(lower is faster; {FASTEST_SEEN_S:.2f} s on the fastest host seen)"
    )


def write_section(title: str, body: str) -> None:
    """Replace (or append) the `## title` section, stamped with the date, machine and speed."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = f"Run {stamp} on {machine()}; {speed_note()}."
    replace_section(f"## {title}\n\n{header}\n\n{body.strip()}\n")


def replace_section(section: str) -> None:
    """Put a section (its first line is its `## ` heading) in place of the old one."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    heading = section.split("\n", 1)[0]
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
