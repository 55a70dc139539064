"""Cues that are not answers themselves: questions, negation, uncertainty, undo and topics."""

from __future__ import annotations

import re
from typing import Final

# A question or what-if: by how the sentence opens, or by a phrase anywhere in it.
_ASKS_OPENING: Final = (
    r"^(?:so |and |but |ok |okay |hmm+ |hey |quick question:? |q:? |just curious,? |"
    r"out of curiosity,? )?(?:what if|what about|what would|what happens|what changes|"
    r"would|could|should|does|do we|do they|did|is it|is this|is that|are we|are they|"
    r"can we|can they|how about|how would|how does|how do|suppose|supposing|imagine|"
    r"hypothetically|let's say|lets say|say we|if we|if they|if it|if the|if both|if "
    r"each|in case|any chance|wondering|i wonder|curious whether|curious if|"
    r"thinking about whether|would it|does it|will it|is there|isn't it|shall we|"
    r"assuming|in a world where|picture this)\b"
)
_ASKS_ANYWHERE: Final = (
    r"\b(?:what if|hypothetically|would (?:it|that|this) (?:change|matter|make|flip|move)|"
    r"would (?:that|it) still be|does (?:that|it|this) (?:change|matter|make|flip|move)|"
    r"is (?:that|it) still|wondering (?:if|whether)|asking (?:for|about) a friend|"
    r"(?:do|does|would|should) (?:we|they|it|that|this) (?:count|qualify|need))\b"
)
ASKS: Final = re.compile(f"{_ASKS_OPENING}|{_ASKS_ANYWHERE}")
# The two halves of ASKS: ASKS finds a match exactly when one of them does.
ASKS_OPENING: Final = re.compile(_ASKS_OPENING)
ASKS_ANYWHERE: Final = re.compile(_ASKS_ANYWHERE)
NEGATORS: Final = re.compile(
    r"\b(?:no|not(?! (?:to )?exceed)|never|without|neither|nor|none|nothing|rather than|instead of|no longer|"
    r"stop(?:ped)?|drop(?:ped)?|scrap(?:ped)?|abandon(?:ed)?|ditch(?:ed)?|isn't|aren't|"
    r"nobody|no one|zero)\b"
)
NEGATION_WINDOW: Final = 40
UNCERTAIN: Final = re.compile(
    r"\b(?:not sure|unsure|unclear|uncertain|tbd|tbc|to be (?:decided|determined|confirmed|"
    r"agreed|worked out)|undecided|undetermined|(?:do|does) not know|no idea|no clue|"
    r"not (?:yet )?(?:decided|settled|agreed|clear|known|certain|confirmed|fixed)|"
    r"(?:have|has) not (?:yet )?(?:decided|figured out|settled|agreed|worked out|landed|"
    r"made up our minds?)|(?:still|remains?|is) (?:an )?(?:open|up in the air|under "
    r"discussion|being discussed|in flux|being negotiated|being worked out|to be seen|"
    r"undecided|unresolved|pending)|open question|up in the air|jury(?:'s| is) (?:still )?"
    r"out|(?:can|could) go either way|who knows|hard to say|too early to (?:say|tell)|"
    r"no decision (?:yet )?on|(?:on|about) the fence|torn (?:on|about|between)|"
    r"(?:still )?(?:figuring|working) (?:it |that )?out|remains? to be seen|"
    r"(?:haven't|have not) (?:got|gotten) that far|don't know|dunno|i'm not certain|"
    r"not confirmed|nobody knows|no one knows|not known|(?:no one|nobody) has decided|"
    r"(?:still )?fuzzy)\b"
)
UNDO: Final = re.compile(
    r"^\W*(?:please |pls |plz |can you |could you |bot,? )?(?:undo|revert|roll ?back|"
    r"take (?:that|it) back|scratch that|undo (?:that|the last (?:change|one|edit))|"
    r"revert (?:that|the last (?:change|one|edit)))(?: (?:that|it|please|pls|thanks|"
    r"the last (?:change|one|edit)))*\W*$"
)
TOPICS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (key, re.compile(rf"\b(?:{pattern})\b"))
    for key, pattern in (
        (
            "horizon",
            r"terms?|duration|length|how long|end date|end-date|timeline|timeframe|time frame|"
            r"horizon|(?:will|it'll|it will|this will|it) (?:last|run|go on)|last for|"
            r"lasts|how many (?:years|months)",
        ),
        (
            "agreement",
            r"contract|paperwork|papers|agreement|what we(?:'ll| will)? sign|sign anything|"
            r"mou|legal (?:form|structure|vehicle)|documents?|what gets signed|the signing",
        ),
        (
            "aim",
            r"goals?|aims?|objectives?|what we(?:'re| are)? (?:trying to achieve|after|aiming)"
            r"|purpose|mission|what brings us together|achieve",
        ),
        ("roles", r"roles?|responsibilities|who does what|who leads|leads?|ownership of tasks"),
        (
            "resources",
            r"resources|budgets?|funding|money|staff|staffing|who pays|who funds|pool(?:ing)?"
            r"|how we fund",
        ),
        (
            "decisions",
            r"decisions?|decision-making|governance|who decides|votes?|vetoe?s?|final say|"
            r"who gets the final say|steering",
        ),
        (
            "benefits",
            r"profits?|revenue|benefits?|how we get paid|upside|compensation|fees?|"
            r"royalt(?:y|ies)|who gains|what we get|payouts?|money side|economics|get out of it|"
            r"gets? paid|paid out",
        ),
        (
            "risk",
            r"risks?|liabilit(?:y|ies)|losses|downside|exposure|insurance|who carries|"
            r"who pays if|indemnit(?:y|ies)",
        ),
        (
            "authority",
            r"brand(?:ing)?|logos?|how we present|present ourselves|who signs|sign for|"
            r"authority|public face|how we appear|appear",
        ),
        (
            "label",
            r"what (?:we|to) call it|what it(?:'s| is) called|label|name for it|call it|"
            r"calling it",
        ),
        ("competitors", r"compete|competitors?|competing|rivals?"),
        (
            "for_profit",
            r"for[- ]profit|non[- ]?profit|commercial|profit motive|make (?:any )?money|"
            r"making money|money-making",
        ),
        (
            "jurisdiction",
            r"jurisdiction|governing law|which law|whose law|law (?:applies|governs)|"
            r"laws? (?:will |would )?appl(?:y|ies)|which courts?|applicable law|governed|"
            r"which country",
        ),
    )
)
