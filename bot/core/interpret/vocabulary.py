"""Words the interpreter knows, so a typo of one can be read as that word."""

from __future__ import annotations

from typing import Final

VOCABULARY: Final = frozenset(
    """
    contract contracts agreement agreements binding memorandum understanding handshake informal
    indefinite indefinitely ongoing permanent permanently perpetual perpetuity evergreen
    separate separately independent independently pooling pooled budget budgets resources
    liability liabilities losses shared sharing profits profit royalty royalties revenue
    commission competitor competitors compete competing jurisdiction governed advisory
    decisions decision jointly responsibilities specified defined emerging venture
    partnership partnerships collaboration collaborating branded branding capped months years
    weeks quarter nonprofit commercial deliverable objectives equipment expertise exchange
    exchanged funding unanimous entity company signed vetoes unsure temporary multiyear
    openended open-ended short-term long-term in-kind co-branded recommendations recommend
    committee steering insurance downside exposure overlapping interests mission identified
    combined combine combining together allocated proportion investment contribution
    contributions delaware english german american british
    """.split()  # noqa: SIM905 - a long word list reads best as plain text
)

# Real words one typo away from a vocabulary word: never "corrected".
KEEP: Final = frozenset(
    """
    contact contacts contrast contain contains compare complete competition competitive
    comment comments connect conduct content context budge binging bonding shares shard
    share profile proof venue vendor vendors mouths moths yearn weeds branch brand brands
    capture capital decision division revenge avenue liaison losers loses lasses polled
    polling pooped fooled cooled tooled signal single signet agreeing shaded shamed shape
    shaped sharp shred resource source sources course courses funding funds funny fending
    months month mouth entry entities entire identify identity defend defied define defines
    capped capes capper copped campaign separated sparse committed commit commits comity
    mission missions missing vetted revenues reverse review reviews unsafe unused unsurely
    exchanges changed charged engaged emerged emerge merging emerging merged
    """.split()  # noqa: SIM905 - a long word list reads best as plain text
)
