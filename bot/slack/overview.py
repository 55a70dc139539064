"""Lists of verdicts for App Home and `/relationship list`, with what each viewer may see.

The rule: a verdict in a private channel or a DM is shown only to the person who ran it.
Public means conversations.info says so; any error or doubt counts as private.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from slack_sdk import WebClient

from bot.slack.builders.home import ROWS, HomeOverview
from bot.slack.builders.listing import LIST_ROWS
from bot.slack.builders.rows import VerdictRow
from bot.slack.links import ChannelPrivacy, Permalinks, channel_link
from bot.store import Store, VerdictRecord

# Counts look at this many of the workspace's latest checks at most, a page of 100 at a time.
SCAN_LIMIT = 300
PAGE = 100


def verdict_row(record: VerdictRecord, link: str | None) -> VerdictRow:
    """A stored verdict as a list row."""
    headline = record.result.get("headline")
    return VerdictRow(
        verdict=record.verdict,
        headline=headline if isinstance(headline, str) else record.verdict.capitalize(),
        title=record.title,
        channel_id=record.channel_id,
        revision=record.revision,
        changed_at=record.updated_at,
        pinned=record.pinned,
        posted=record.message_ts is not None,
        link=link,
    )


def rows_with_links(
    client: WebClient, permalinks: Permalinks, team_id: str, records: Sequence[VerdictRecord]
) -> tuple[VerdictRow, ...]:
    """Rows for records, each posted one linked to its message (or at least its channel)."""
    posted = [(r.channel_id, r.message_ts) for r in records if r.message_ts is not None]
    links = permalinks.many(client, team_id, posted)
    rows = []
    for record in records:
        link = None
        if record.message_ts is not None:
            link = links.get((record.channel_id, record.message_ts))
            if link is None and record.channel_id[:1] in ("C", "G"):
                link = channel_link(record.channel_id)
        rows.append(verdict_row(record, link))
    return tuple(rows)


def home_overview(
    store: Store,
    client: WebClient,
    permalinks: Permalinks,
    *,
    team_id: str,
    user_id: str,
    rows: int = ROWS,
    scan_limit: int = SCAN_LIMIT,
) -> HomeOverview:
    """The viewer's own latest checks, the latest in public channels, and counts of both."""
    privacy = ChannelPrivacy(client)
    mine = store.list_by_creator(team_id, user_id, limit=rows + 1)
    counts: Counter[str] = Counter()
    public: list[VerdictRecord] = []
    scanned = 0
    before: str | None = None
    while True:
        page = store.list_by_team(team_id, limit=PAGE, before=before)
        for record in page.items:
            scanned += 1
            in_public = record.message_ts is not None and privacy.is_public(record.channel_id)
            if in_public or record.creator_id == user_id:
                counts[record.verdict] += 1
            if in_public and len(public) <= rows:
                public.append(record)
        before = page.next_before
        if before is None or scanned >= scan_limit:
            break
    return HomeOverview(
        counts=dict(counts),
        yours=rows_with_links(client, permalinks, team_id, mine.items[:rows]),
        yours_more=len(mine.items) > rows,
        public=rows_with_links(client, permalinks, team_id, public[:rows]),
        public_more=len(public) > rows,
        scanned=scanned,
        complete=before is None,
    )


def channel_rows(
    store: Store,
    client: WebClient,
    permalinks: Permalinks,
    *,
    team_id: str,
    channel_id: str,
    rows: int = LIST_ROWS,
) -> tuple[tuple[VerdictRow, ...], bool]:
    """A channel's latest checks as rows, and whether there are more."""
    page = store.list_by_channel(team_id, channel_id, limit=rows + 1)
    return rows_with_links(client, permalinks, team_id, page.items[:rows]), len(page.items) > rows
