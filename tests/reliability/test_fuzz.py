"""Fuzz: hypothesis over slash-command forms, thread replies and modal values, 10,000 examples.

Every example is one signed request that the stand-in delivers over HTTP to the real app:
`python -m bot run` (gunicorn workers, as in production) on a SQLite file. Each kind runs in
four threads (hypothesis is thread-safe since 6.136.9) so that one example's round trip
overlaps another's work. Properties:

- every answer is a 200 within Slack's 3 seconds;
- a modal's answer closes it, or names field errors for exactly the fields an independent
  check of the values finds wrong (values outside the option lists, text over its limit or
  holding NUL, a DM as the target);
- the app logs no error and no traceback;
- nothing is half-written: every accepted submission is stored once and posted (or delivered
  privately when the bot cannot post there), every refused one stores nothing; every command
  opens its modal; every reply is answered once and each verdict message shows the stored
  revision.

`RB_FUZZ_EXAMPLES` scales the run down for local work (default and CI: 10,000).
"""

from __future__ import annotations

import copy
import itertools
import os
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.core.dimensions import ANSWER_KEYS, BY_KEY
from bot.core.models import COUNTERPART_MAX, NOTES_MAX, TITLE_MAX
from bot.sandbox import Conversation, SlackStandIn, User, Workspace
from bot.sandbox.delivery import Delivery
from bot.sandbox.payloads import NAME_FIELDS
from bot.slack import ids
from bot.store import Store, VerdictRecord, open_store
from tests.reliability.apps import AppProcess, app_env
from tests.support.journeys import COLLABORATION
from tests.support.waiting import eventually

pytestmark = [pytest.mark.slow, pytest.mark.alone, pytest.mark.xdist_group("alone")]

TOTAL = int(os.environ.get("RB_FUZZ_EXAMPLES", "10000"))
SHARES = {"commands": 0.3, "replies": 0.45, "modals": 0.25}
THREADS = 4  # per kind
PARENTS = 12  # verdicts whose threads the replies go to
FORGET_EVERY = 500  # examples between clearing the stand-in's logs (memory)
SETTLE = 120.0  # the app's work after the last ack, on a loaded machine
COMMAND_TEXT_MAX = 4_000
REPLY_TEXT_MAX = 40_000  # Slack's message text limit
MARKUP = (
    "<!channel>",
    "<!here>",
    "<@U0FUZZ>",
    "<#C0FUZZ>",
    "<#C0FUZZ|general>",
    "<http://evil.example|click>",
    "&",
    "&amp;",
    "&lt;",
    "<",
    ">",
    "*",
    "_",
    "~",
    "`",
    "```",
    ">>>",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\x1b[31m",
    "\u200b",
    "\u202e",
    "\ufeff",
    "🤝",
    "👩\u200d👩\u200d👧",
    "ﷺ",
)
WORDS = (
    "help",
    "list",
    "?",
    "undo",
    "what if",
    "what if risk shared?",
    "a signed 3-year contract",
    "budgets pooled",
    "we split profits",
    "open-ended",
    "not sure",
    "until March",
    "for 18 months",
)
PHRASES = WORDS + tuple(f"{key}: {value}" for key in ANSWER_KEYS for value in BY_KEY[key].values)
TEXT_LIMITS = {ids.BLOCK_TITLE: TITLE_MAX, ids.BLOCK_COUNTERPART: COUNTERPART_MAX}
TEXT_LIMITS[ids.BLOCK_NOTES] = NOTES_MAX


def share(kind: str) -> int:
    """Examples of one kind per thread."""
    return max(1, round(TOTAL * SHARES[kind] / THREADS))


def fuzz_settings(examples: int) -> settings:
    """Reproducible (seeded per thread), no deadline, no example database, every health check
    off: the examples are slow on purpose (real HTTP round trips)."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,  # and each thread's @seed fixes its examples: the same every run
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
    )


# --------------------------------------------------------------------------- strategies


# Hypothesis draws a short string (its own tricky unicode) and a 32-bit `noise` per value;
# the rest is chosen by a generator seeded with `noise`. Two reasons: its bookkeeping per
# choice costs more than the round trip through the app, and it stops drawing a branch it has
# exhausted (a `none()` branch comes up once), which would skew the mix set below.
NOISE = st.integers(min_value=0, max_value=2**32 - 1)
HEAD = st.text(max_size=8)  # no lone surrogates: those have their own test

# Code point ranges of random characters: ASCII most often, then the rest of the Basic
# Multilingual Plane (surrogates left out), then the astral planes.
PLANES = ((0x00, 0x7F), (0x80, 0xD7FF), (0xE000, 0xFFFF), (0x10000, 0x10FFFF))
PLANE_WEIGHTS = (6, 2, 1, 1)
ALL_VALUES = tuple(value for key in ANSWER_KEYS for value in BY_KEY[key].values)


def compose(rng: random.Random, head: str, pieces: Sequence[str]) -> str:
    """The head, then up to 12 pieces: random characters, markup or domain phrases."""
    parts = [head]
    for _ in range(rng.randint(0, 12)):
        if rng.randrange(3) == 0:
            low, high = rng.choices(PLANES, PLANE_WEIGHTS)[0]
            parts.append("".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, 24))))
        else:
            parts.append(rng.choice(pieces))
    return "".join(parts)


def repeated(text: str, size: int) -> str:
    """`text` repeated to exactly `size` characters (a huge input)."""
    unit = text or "x"
    return (unit * (size // len(unit) + 1))[:size]


def texts(limit: int, huge: float, extra: Sequence[str] = ()) -> st.SearchStrategy[str]:
    """Unicode, markup and domain phrases; a `huge` share between half the limit and it."""
    pieces = MARKUP + PHRASES + tuple(extra)

    def make(head: str, noise: int) -> str:
        rng = random.Random(noise)
        made = compose(rng, head, pieces)
        if rng.random() < huge:
            return repeated(made, rng.randint(limit // 2, limit))
        return made

    return st.builds(make, HEAD, NOISE)


def answers(rng: random.Random, odd: str) -> dict[str, str | None]:
    """An answer per question: none or a listed value; sometimes 1 to 3 outside the list.

    Outside values are another question's value, the drawn `odd` text, or a near miss
    (upper case, a trailing space, empty).
    """
    chosen: dict[str, str | None] = {}
    for key in ANSWER_KEYS:
        listed = (*BY_KEY[key].values, ids.NOT_SURE)
        chosen[key] = None if rng.random() < 0.2 else rng.choice(listed)
    broken = rng.choice((0, 0, 0, 0, 1, 1, 2, 3))
    for key in rng.sample(ANSWER_KEYS, broken):
        listed = (*BY_KEY[key].values, ids.NOT_SURE)
        near = rng.choice(listed)
        misses = [rng.choice(ALL_VALUES), odd, near.upper(), f"{near} ", ""]
        chosen[key] = next(m for m in misses if m not in listed)
    return chosen


def field_text(rng: random.Random, head: str, limit: int) -> str | None:
    """A text field: absent (10%), within its limit (70%), over it (10%), holding NUL (10%)."""
    roll = rng.random()
    made = compose(rng, head, MARKUP + PHRASES)
    if roll < 0.1:
        return None
    if roll < 0.8:
        fits = made.replace("\x00", "")
        if rng.random() < 0.2:
            fits = repeated(fits.strip(), rng.randint(limit // 2, limit))
        return fits[:limit]
    if roll < 0.9:
        return repeated(made.strip() or "o", limit + rng.randint(1, limit))
    return f"{made}x\x00x"


@dataclass
class ModalValues:
    """What a person (or a forged request) puts in the check modal."""

    options: dict[str, str | None]
    fields: dict[str, str | None]
    channel: str | None
    pin: list[str]


def modal_values(channels: Sequence[str]) -> st.SearchStrategy[ModalValues]:
    """Answers, text fields, the target channel (a DM one time in five) and the pin choice."""

    def make(head: str, odd: str, noise: int) -> ModalValues:
        rng = random.Random(noise)
        roll = rng.random()
        if roll < 0.15:
            channel: str | None = None
        elif roll < 0.8:
            channel = rng.choice(channels)
        else:  # a DM between people: refused
            channel = "D" + "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=10))
        pin = rng.choice(([], [], [], [ids.PIN_CHOICE], [odd], [odd, ids.PIN_CHOICE]))
        return ModalValues(
            options=answers(rng, odd),
            fields={block: field_text(rng, head, n) for block, n in TEXT_LIMITS.items()},
            channel=channel,
            pin=pin,
        )

    return st.builds(make, HEAD, st.text(max_size=10), NOISE)


def expected_errors(values: ModalValues) -> set[str]:
    """The fields the app must refuse, worked out from the values alone."""
    wrong = {
        key
        for key, value in values.options.items()
        if value is not None and value not in (*BY_KEY[key].values, ids.NOT_SURE)
    }
    for block, raw in values.fields.items():
        stripped = (raw or "").strip()
        if len(stripped) > TEXT_LIMITS[block] or "\x00" in stripped:
            wrong.add(block)
    if values.channel is not None and values.channel.startswith("D"):
        wrong.add(ids.BLOCK_CHANNEL)
    return wrong


# ------------------------------------------------------------------------------ world


@dataclass
class World:
    """The stand-in, the app process, a store on its database, and what the examples did."""

    slack: SlackStandIn
    acme: Workspace
    alice: User
    bob: User
    deals: Conversation
    lobby: Conversation
    board: Conversation
    app: AppProcess
    store: Store
    template: dict[str, Any]
    parents: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    triggers: list[str] = field(default_factory=list)
    accepted: list[ModalValues] = field(default_factory=list)
    view_ids: Iterator[int] = field(default_factory=itertools.count)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered_in_time(self, delivery: Delivery) -> None:
        """Slack's contract: a 200 within 3 seconds."""
        assert delivery.ok, (delivery.status, delivery.error, delivery.body[:300])
        assert delivery.acked_in_time, f"answered after {delivery.elapsed:.2f}s"

    def count(self, kind: str) -> None:
        """One more example of this kind ran; forget old calls and deliveries now and then."""
        with self.lock:
            self.counts[kind] += 1
            forget = self.counts.total() % FORGET_EVERY == 0
        if forget:  # the checks read Slack's state and the store, not these logs
            self.slack.clear_calls()
            self.slack.clear_deliveries()

    def submission(self, values: ModalValues) -> dict[str, Any]:
        """The check modal's view_submission payload holding `values`, as Slack would send it."""
        payload = copy.deepcopy(self.template)
        with self.lock:
            payload["view"]["id"] = f"VFUZZ{next(self.view_ids):07d}"
        state = payload["view"]["state"]["values"]
        for key, value in values.options.items():
            element = state[key][ids.ELEMENT]
            element["selected_option"] = (
                None
                if value is None
                else {"text": {"type": "plain_text", "text": value[:75] or "?"}, "value": value}
            )
        for block, raw in values.fields.items():
            state[block][ids.ELEMENT]["value"] = raw
        state[ids.BLOCK_CHANNEL][ids.ELEMENT]["selected_conversation"] = values.channel
        state[ids.BLOCK_PIN][ids.ELEMENT]["selected_options"] = [
            {"text": {"type": "plain_text", "text": "Pin"}, "value": v} for v in values.pin
        ]
        return payload

    def summary(self, values: ModalValues) -> tuple[Any, ...]:
        """What an accepted submission must store (see `summary_of_record`)."""
        fields = tuple((values.fields[block] or "").strip() or None for block in TEXT_LIMITS)
        answers = tuple(sorted((k, v) for k, v in values.options.items() if v is not None))
        channel = values.channel or self.deals.id  # the channel the modal was opened in
        return (*fields, answers, channel, ids.PIN_CHOICE in values.pin)

    def scalar(self, query: str, **params: Any) -> Any:
        """One value from the app's database."""
        with self.store.engine.connect() as connection:
            return connection.execute(text(query), params).scalar()


def verdict_messages(slack: SlackStandIn, channel: Conversation) -> list[dict[str, Any]]:
    """The bot's verdict messages in a channel."""
    return [
        m
        for m in slack.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == ids.METADATA_EVENT
    ]


def start_check(slack: SlackStandIn, user: User, channel: Conversation) -> None:
    """`/relationship` in a channel, until the modal is open."""
    assert slack.slash_command(user, channel, ids.COMMAND).ok
    assert eventually(lambda: slack.current_view(user), timeout=15)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The app process on a fresh SQLite file, a stand-in, and verdicts to reply to."""
    tmp = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{tmp / 'bot.db'}"
    # Triggers last 30 s instead of 3: under load the modal may open late, which is not
    # what this run looks for (expired triggers have their own tests).
    with SlackStandIn(trigger_ttl=30.0) as slack:
        acme = slack.add_workspace("Acme")
        alice = slack.add_user(acme, "alice")
        bob = slack.add_user(acme, "bob")
        people = [alice, bob]
        app = AppProcess("app", app_env(slack, acme, url) | {"LOG_LEVEL": "WARNING"}, tmp)
        try:
            app.wait_healthy()
            slack.request_url = app.events_url
            deals = slack.add_channel(acme, "deals", members=people, bot=True)
            start_check(slack, alice, deals)
            first = slack.submit(alice, COLLABORATION)
            assert first.outcome == "closed"
            for _ in range(PARENTS - 1):
                start_check(slack, alice, deals)
                assert slack.submit(alice, COLLABORATION).outcome == "closed"
            assert eventually(lambda: len(verdict_messages(slack, deals)) == PARENTS, timeout=30)
            with open_store(url) as store:
                fuzz = World(
                    slack=slack,
                    acme=acme,
                    alice=alice,
                    bob=bob,
                    deals=deals,
                    lobby=slack.add_channel(acme, "lobby", members=people),
                    board=slack.add_channel(acme, "board", private=True, members=people),
                    app=app,
                    store=store,
                    template=first.delivery.payload,
                    parents=[m["ts"] for m in verdict_messages(slack, deals)],
                )
                yield fuzz
                print(f"\nfuzz: {dict(fuzz.counts)}; {len(fuzz.accepted)} submissions accepted")
        finally:
            app.stop()
    assert not app.errors(), f"the app logged errors: {app.errors()}"


def run_threads(kind: str, check: Callable[[int], None]) -> None:
    """Run `check(seed)` in THREADS threads at once; re-raise the first failure here."""
    failures: list[BaseException] = []

    def run(thread_seed: int) -> None:
        try:
            check(thread_seed)
        except BaseException as failure:
            failures.append(failure)

    threads = [
        threading.Thread(target=run, args=(n,), name=f"fuzz-{kind}-{n}") for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def unsettled(world: World) -> list[str]:
    """What the app has still to do: replies not answered, posts not made, verdicts of
    accepted submissions not stored (empty once it is done)."""
    answered = world.scalar(
        "SELECT COUNT(*) FROM rb_events WHERE stage = 'answered' "
        "AND event_key NOT LIKE 'view_submission:%'"  # those stay claimed: a replay marker
    )
    left = [f"{world.counts['replies'] - answered} replies not answered"] * (
        answered != world.counts["replies"]
    )
    stored = world.scalar("SELECT COUNT(*) FROM rb_verdicts")
    if stored != PARENTS + len(world.accepted):
        left.append(f"{PARENTS + len(world.accepted) - stored} verdicts not stored")
    return left + [f"post {p}" for p in world.store.pending_posts(world.acme.id)]


def wait_settled(world: World) -> None:
    """Wait for the app's work after the last ack; fail naming what is left."""
    eventually(lambda: not unsettled(world), timeout=SETTLE)
    left = unsettled(world)
    assert not left, f"the app did not finish: {left[:10]} ({len(left)} left)"


def no_errors_logged(world: World) -> None:
    """The app's log holds no error and no traceback."""
    assert not world.app.errors(), f"the app logged errors: {world.app.errors()}"


# ------------------------------------------------------------------------------ tests


PAYLOAD_WORD = "payload"  # Bolt's own form parsing drops any command holding it (http.py)
NAME_MAX = 80


def names() -> st.SearchStrategy[dict[str, str]]:
    """Any text in the form's name fields: channel_name, user_name, team_domain, enterprise_name."""
    return st.fixed_dictionaries(
        {name: texts(NAME_MAX, huge=0.0, extra=(PAYLOAD_WORD,)) for name in NAME_FIELDS}
    )


def test_slash_command_form_fields(world: World) -> None:
    """Any text after /relationship and in every name field of the form: a 200 in time; each
    command opens its modal, prefilled."""
    examples = share("commands")
    plain = dict.fromkeys(NAME_FIELDS, "deals")

    def check(thread_seed: int) -> None:
        @seed(1000 + thread_seed)
        @fuzz_settings(examples)
        @given(command=texts(COMMAND_TEXT_MAX, huge=0.2, extra=(PAYLOAD_WORD,)), names=names())
        @example(command="the payload partnership", names=plain)
        @example(command="help", names=plain | {"channel_name": "payload-team"})
        @example(command="list", names=plain | {"user_name": "payload"})
        @example(command="", names=plain | {"team_domain": "payload"})
        @example(command="pooled budgets", names=plain | {"enterprise_name": "Payload Inc"})
        def one_command(command: str, names: dict[str, str]) -> None:
            answer = world.slack.slash_command(
                world.alice, world.deals, ids.COMMAND, command, names=names
            )
            world.answered_in_time(answer)
            if command.strip().lower() not in ("help", "?", "list"):
                with world.lock:
                    world.triggers.append(str(answer.meta["trigger_id"]))
            world.count("commands")

        one_command()

    run_threads("commands", check)
    assert world.counts["commands"] >= examples * THREADS

    def unopened() -> list[str]:
        """Commands whose trigger id no views.open has used (yet)."""
        with world.slack.state.lock:
            return [t for t in world.triggers if not world.slack.state.triggers[t].used]

    eventually(lambda: not unopened(), timeout=SETTLE)
    assert not unopened(), f"{len(unopened())} commands opened no modal"
    no_errors_logged(world)
    world.slack.clear_calls()


def test_thread_replies(world: World) -> None:
    """Any reply in a verdict's thread: a 200 in time, answered once, the message current."""
    examples = share("replies")
    mention = f"<@{world.slack.bot_user_id(world.acme)}>"

    def check(thread_seed: int) -> None:
        @seed(2000 + thread_seed)
        @fuzz_settings(examples)
        @given(
            parent=st.integers(min_value=0, max_value=len(world.parents) - 1),
            author=st.sampled_from([world.alice, world.bob]),
            reply=texts(REPLY_TEXT_MAX, huge=0.1, extra=(mention,)),
        )
        def one_reply(parent: int, author: User, reply: str) -> None:
            said = reply if reply.strip() else f"{reply}."  # Slack refuses blank messages
            ts = world.parents[parent]
            posted = world.slack.post(author, world.deals, said, thread_ts=ts)
            for delivery in posted.deliveries:
                world.answered_in_time(delivery)
            world.count("replies")

        one_reply()

    run_threads("replies", check)
    assert world.counts["replies"] >= examples * THREADS
    wait_settled(world)
    for ts in world.parents:
        record = world.store.find_verdict_by_message(world.acme.id, world.deals.id, ts)
        assert record is not None
        message = world.slack.message(world.deals, ts)
        assert message is not None
        assert message["metadata"]["event_payload"]["revision"] == record.revision
        bot_replies = [
            m for m in world.slack.thread(world.deals, ts)[1:] if m.get("bot_id") is not None
        ]
        posted = world.scalar(
            "SELECT COUNT(*) FROM rb_posts WHERE verdict_id = :id AND kind != 'parent' "
            "AND message_ts IS NOT NULL",
            id=record.id,
        )
        assert len(bot_replies) == posted  # each reply the app meant, once
    no_errors_logged(world)
    world.slack.clear_calls()


def test_modal_values(world: World) -> None:
    """Any values in the check modal: field errors exactly where due, else stored and posted."""
    examples = share("modals")
    channels = [world.deals.id, world.lobby.id, world.board.id, "C0NOTREAL", "G0NOTREAL"]
    before = {r.id for r in world.store.list_by_team(world.acme.id, limit=100).items}

    def check(thread_seed: int) -> None:
        @seed(3000 + thread_seed)
        @fuzz_settings(examples)
        @given(values=modal_values(channels))
        def one_submission(values: ModalValues) -> None:
            answer = world.slack.send_signed(
                world.submission(values), kind="interactive", team_id=world.acme.id
            )
            world.answered_in_time(answer)
            body = answer.json() or {}
            wrong = expected_errors(values)
            if wrong:
                assert body.get("response_action") == "errors", body
                assert set(body["errors"]) == wrong, (body["errors"], values)
            else:
                assert "response_action" not in body, (body, values)
                with world.lock:
                    world.accepted.append(values)
            world.count("modals")

        one_submission()

    run_threads("modals", check)
    assert world.counts["modals"] >= examples * THREADS
    wait_settled(world)

    def unfinished() -> list[str]:
        """Accepted submissions not posted yet (nor delivered privately where it can't be)."""
        return [
            record.id
            for record in all_verdicts(world)
            if record.id not in before and not delivered(world, record)
        ]

    eventually(lambda: not unfinished(), timeout=SETTLE)
    assert not unfinished(), f"{len(unfinished())} accepted submissions never posted"
    stored = [r for r in all_verdicts(world) if r.id not in before]
    assert Counter(summary_of_record(r) for r in stored) == Counter(
        world.summary(v) for v in world.accepted
    )
    no_errors_logged(world)
    world.slack.clear_calls()


def delivered(world: World, record: VerdictRecord) -> bool:
    """Posted in its channel, or (a channel the bot can't post in) notice and copy by DM."""
    if record.channel_id in (world.deals.id, world.lobby.id):
        found = record.message_ts and world.slack.message(record.channel_id, record.message_ts)
        return bool(found)
    private = world.scalar(
        "SELECT COUNT(*) FROM rb_posts WHERE verdict_id = :id AND kind = 'private' "
        "AND message_ts IS NOT NULL",
        id=record.id,
    )
    return bool(private == 2)


def all_verdicts(world: World) -> list[VerdictRecord]:
    """Every verdict of the workspace, page by page."""
    found: list[VerdictRecord] = []
    before: str | None = None
    while True:
        page = world.store.list_by_team(world.acme.id, limit=100, before=before)
        found.extend(page.items)
        if page.next_before is None:
            return found
        before = page.next_before


def summary_of_record(record: VerdictRecord) -> tuple[Any, ...]:
    """What a stored verdict holds: texts, answers, channel, pin."""
    answers = record.answers
    fields = (answers.title, answers.counterpart, answers.notes)
    return (*fields, tuple(sorted(answers.choices().items())), record.channel_id, record.pinned)
