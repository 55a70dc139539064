"""People driving an app through the stand-in: /relationship, the modal opens, submit, verdict.

Each virtual person loops over full checks, one after the other: run the slash command (a
signed POST from the stand-in), wait until the stand-in receives the app's `views.open` for
that trigger_id, submit the opened view (a signed view_submission carrying the view the app
opened), and wait until the stand-in receives the `chat.postMessage` that carries the title
typed in the modal (the verdict's parent message; thread replies are not counted). Times
are the stand-in's: when it received the call, against when the person started the action.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from bot.sandbox import ApiCall, Conversation, SlackStandIn, User

POLL: Final = 0.1  # how often the watch looks whether it should stop
JOURNEY_TIMEOUT: Final = 30.0
TITLE: Final = re.compile(r"Deal (\d{3}-\d{6})")
COMMAND_TEXT: Final = "A six-month spring fair with Acme: co-branded, budgets kept separate"


def title(tag: int, index: int) -> str:
    """A title that no other journey in the run uses, findable in the posted text."""
    return f"Deal {tag:03d}-{index:06d}"


def journey_key(call: ApiCall) -> tuple[str, str] | None:
    """What a journey waits for in a recorded call: a view's trigger or a parent's title."""
    if call.method == "views.open":
        return ("views.open", str(call.args.get("trigger_id")))
    if call.method == "chat.postMessage" and not call.args.get("thread_ts"):
        found = TITLE.search(str(call.args.get("text") or ""))
        if found:
            return ("post", found.group(1))
    return None


class CallWatch:
    """Follows the stand-in's call log and hands each awaited call to its journey.

    Each waiting journey has its own event, set when its call arrives: a call wakes only the
    person waiting for it (waking all 50 on every call cost the bench process ~4% of its CPU,
    which the apps under test then did not get).
    """

    def __init__(self, slack: SlackStandIn) -> None:
        self.slack = slack
        self._arrived: dict[tuple[str, str], ApiCall] = {}
        self._waiting: dict[tuple[str, str], threading.Event] = {}
        self._lock = threading.Lock()
        self._seen = 0
        self._running = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start following."""
        self._running = True
        self._thread = threading.Thread(target=self._follow, name="bench-call-watch")
        self._thread.start()

    def stop(self) -> None:
        """Stop following."""
        self._running = False
        if self._thread is not None:
            self._thread.join()

    def _follow(self) -> None:
        while self._running:
            fresh = self.slack.calls_after(self._seen, timeout=POLL)
            self._seen += len(fresh)
            for call in fresh:
                key = journey_key(call)
                if key is None:
                    continue
                with self._lock:
                    self._arrived[key] = call
                    waiting = self._waiting.pop(key, None)
                if waiting is not None:
                    waiting.set()

    def wait(self, key: tuple[str, str], timeout: float = JOURNEY_TIMEOUT) -> ApiCall | None:
        """The call for `key` once the stand-in received it (None after `timeout`)."""
        with self._lock:
            call = self._arrived.pop(key, None)
            if call is not None:
                return call
            arrived = self._waiting.setdefault(key, threading.Event())
        arrived.wait(timeout)
        with self._lock:
            self._waiting.pop(key, None)
            return self._arrived.pop(key, None)

    def quiet(self, idle: float = 0.5, timeout: float = 60.0) -> None:
        """Wait until the app has made no Web API call for `idle` seconds (work after acks)."""
        deadline = time.monotonic() + timeout
        last, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            count = self._seen
            if count != last:
                last, since = count, time.monotonic()
            elif time.monotonic() - since >= idle:
                return
            time.sleep(0.05)


@dataclass
class Samples:
    """What one level of load measured, in milliseconds, plus its span and failures."""

    command_ack: list[float] = field(default_factory=list)
    submit_ack: list[float] = field(default_factory=list)
    command_to_open: list[float] = field(default_factory=list)
    submit_to_post: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0

    @property
    def journeys(self) -> int:
        """Completed journeys: modals opened plus verdicts posted."""
        return len(self.command_to_open) + len(self.submit_to_post)

    @property
    def seconds(self) -> float:
        """From the first action to the last completed journey."""
        return max(self.finished - self.started, 1e-9)


@dataclass(frozen=True)
class Flavor:
    """How one app's modal is filled in."""

    name: str
    values: Callable[[str], Mapping[str, Any]]


@dataclass
class Person:
    """One virtual person doing checks back to back."""

    slack: SlackStandIn
    watch: CallWatch
    user: User
    channel: Conversation
    flavor: Flavor
    samples: Samples
    lock: threading.Lock

    def check(self, name: str) -> None:
        """One full check: command, modal opened, submission, verdict posted."""
        began = time.monotonic()
        delivery = self.slack.slash_command(self.user, self.channel, "/relationship", COMMAND_TEXT)
        acked = (delivery.elapsed * 1000, delivery.ok)
        opened = self.watch.wait(("views.open", str(delivery.meta["trigger_id"])))
        if not acked[1] or opened is None or not opened.ok:
            self._fail(f"command: ack {delivery.status} {delivery.error}, views.open {opened}")
            return
        self._record(command_ack=acked[0], command_to_open=(opened.started - began) * 1000)
        view_id = str((opened.response or {})["view"]["id"])
        began = time.monotonic()
        values = self.flavor.values(name)
        submission = self.slack.submit(self.user, values, view_id=view_id)
        posted = self.watch.wait(("post", name.removeprefix("Deal ")))
        if submission.outcome != "closed" or posted is None or not posted.ok:
            self._fail(f"submission: {submission.outcome} {submission.detail}, post {posted}")
            return
        self._record(
            submit_ack=submission.delivery.elapsed * 1000,
            submit_to_post=(posted.started - began) * 1000,
        )

    def _record(self, **values: float) -> None:
        with self.lock:
            for key, value in values.items():
                getattr(self.samples, key).append(value)
            self.samples.finished = max(self.samples.finished, time.monotonic())

    def _fail(self, reason: str) -> None:
        with self.lock:
            self.samples.failures.append(reason)


def run_level(
    slack: SlackStandIn,
    watch: CallWatch,
    people: list[User],
    channel: Conversation,
    flavor: Flavor,
    *,
    concurrency: int,
    checks: int,
    tag: int,
) -> Samples:
    """`checks` full checks by `concurrency` people at once, each back to back."""
    samples = Samples()
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)

    def work(worker: int) -> None:
        person = Person(slack, watch, people[worker], channel, flavor, samples, lock)
        start.wait()
        for index in range(worker, checks, concurrency):
            person.check(title(tag, index))

    threads = [
        threading.Thread(target=work, args=(worker,), name=f"bench-person-{worker}")
        for worker in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    samples.started = time.monotonic()
    for thread in threads:
        thread.join()
    return samples
