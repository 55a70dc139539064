"""Scope before vocabulary: whether a sentence states a fact about this deal, now.

Talk of other deals, of the past, of third parties' arrangements, plans nobody has agreed and
words quoted from someone else change no answer, whatever deal words they hold. The rules are
plain regular expressions over the normalized text (lower case, typos corrected).
"""

from __future__ import annotations

import re
from typing import Final

# The message says it is about another deal, or should be ignored: nothing in it counts.
ELSEWHERE: Final = re.compile(
    r"\b(?:not (?:this|the present|the current) (?:one|deal|arrangement|check|verdict)"
    r"|not to (?:this|the present) (?:one|deal|arrangement)"
    r"|(?:other|another|different|separate|unrelated) (?:deal|contract|contrct|project|thread"
    r"|check|verdict|channel|arrangement|agreement)"
    r"|wrong thread|meant for #|meant to post|diff(?:erent)? thread|for reference only"
    r"|for comparison|unrelated to this|outside the scope|no bearing on|(?:do|does) not pertain"
    r"|(?:isn'?t|not) relevant|(?:its|a) (?:own|separate|new) (?:relationship )?check"
    r"|pls ignore|please ignore|ignore (?:me|that|this)|totally separate|different deal)\b"
)
# The sentence tells of the past, or of others' arrangements, or of undecided plans.
PAST: Final = re.compile(
    r"\b(?:in (?:19|20)\d\d|(?:19|20)\d\d (?:pilot|deal|agreement|tender|arrangement)"
    r"|back in|the last time|last time|the first time|previously|prior (?:arrangement|agreement"
    r"|deal)|prev(?:ious)? deal|used to|years ago|last (?:yr|year)|historically|history"
    r"|(?<!-)(?:expired|lapsed)|long over|(?:old|previous) (?:company|file|template)"
    r"|when i was at|looking back|lessons from|back in the day|were previously|the last jv)\b"
)
OTHERS: Final = re.compile(
    r"\b(?:(?:their|there|its|his|her) (?:other|othr|existing|sister|uk|us) \w+"
    r"|(?:their|there|its) (?:deal|arrangement|agreement|collaboration|contract|ventures?)"
    r" (?:with|w/?)\b|with its (?!own)\w+|with a third party|competitor landscape"
    r"|other bidder|my friend at|counterparty'?s (?:existing|agreement))"
)
UNDECIDED: Final = re.compile(
    r"\b(?:nobody(?:'s| has)? (?:agreed|decided|signed off)|no ?(?:one|1)(?:'s| has)? "
    r"(?:agreed|decided|signed off)|nothing agreed|nthng agreed|not agreed|no such decision"
    r"|(?:hasn'?t|has not|not) been discussed|not discussed|just an idea|just a thought"
    r"|jus a thought|very much a maybe|floated|kicked around|pitching|one option"
    r"|at a future date|mite|talkin|could sign|under discussion|struck (?:it|by us)"
    r"|withdrawn|since deleted|we never replied|haven'?t accepted|not our terms)\b"
)
# Words in quotation marks are someone else's: left out before reading.
QUOTED: Final = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<![\w])'[^']{3,}'(?![\w])")


def without_quotes(text: str) -> str:
    """The text with every quoted passage taken out."""
    return QUOTED.sub(" ", text)


def elsewhere(text: str) -> bool:
    """Whether the whole message says it is about something other than this deal."""
    return ELSEWHERE.search(text) is not None


def about_this_deal_now(sentence: str) -> bool:
    """Whether a sentence may state a fact of this deal (not the past, others, or plans).

    A sentence that is not may still say this deal is unsure on some point ("nobody has
    agreed a term, so I'm not sure how long it lasts"): the caller keeps those findings.
    """
    return not (PAST.search(sentence) or OTHERS.search(sentence) or UNDECIDED.search(sentence))
