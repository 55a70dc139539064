"""Durations and end dates in free text, resolved to a horizon against today's date."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

NUMBER_WORDS: Final[dict[str, float]] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "thirty-six": 36,
    "sixty": 60,
    "ninety": 90,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
    "half a": 0.5,
}
UNIT_MONTHS: Final[dict[str, float]] = {
    "day": 1 / 30,
    "week": 12 / 52,
    "wk": 12 / 52,
    "month": 1,
    "mo": 1,
    "mth": 1,
    "quarter": 3,
    "year": 12,
    "yr": 12,
    "y": 12,
}
MONTHS: Final[dict[str, int]] = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
SEASONS: Final[dict[str, int]] = {"spring": 5, "summer": 8, "fall": 11, "autumn": 11, "winter": 2}

_NUMBER = (
    r"(?P<number>\d+(?:_\d+)?|"
    + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
    + r")"
)
_UNIT = r"(?P<unit>days?|weeks?|wks?|months?|mos?|mths?|quarters?|years?|yrs?|y)"
DURATION: Final = re.compile(
    rf"\b{_NUMBER}(?:\s*\+)?(?:\s|-|(?<=\d))(?:plus\s|\+\s?)?{_UNIT}\b(?P<tail>(?:-|\s)?long|(?:\s|-)old)?"
)
END_DATE: Final = re.compile(
    r"\b(?:through|thru|until|till|til|to|by|ending|ends?(?:\s+in)?|wraps?\s+up\s+(?:in|by)"
    r"|finish(?:es|ing)?\s+(?:in|by)|(?:runs?|goes|go|lasts?|continues?)\s+(?:past|beyond)|"
    r"ends?\s+after|due\s+(?:in|by)|closes?\s+(?:in|by)|runs?\s+(?:through|to|until))\s+"
    r"(?:the\s+)?(?:end\s+of\s+)?(?:(?P<next>next|this)\s+)?"
    r"(?:(?P<quarter>q[1-4])|(?P<month>"
    + "|".join(MONTHS)
    + r")|(?P<season>"
    + "|".join(SEASONS)
    + r")|(?P<year>20\d\d)|(?P<yearword>year|year-end|ye))\b(?:\s+(?P<qyear>20\d\d))?"
)
HISTORY: Final = re.compile(
    r"\b(?:ago|past|last|previous|previously|since|already|so far|known|been\s+\w+ing|"
    r"experience|old)\b"
)
NOT_A_TERM: Final = re.compile(
    r"\b(?:notice|payment|net|warranty|probation|response|delay|lead time|wait|waiting|"
    r"deadline|meeting|call|review|negotiat\w*|exclusivity|non-compete|cooling|grace|vesting|"
    r"cliff|in|within|every|each|per|after)\s*$"
)


def months_of(match: re.Match[str]) -> float | None:
    """The length in months of a duration match."""
    raw = match.group("number").replace("_", ".")
    number = NUMBER_WORDS.get(raw)
    if number is None:
        try:
            number = float(raw)
        except ValueError:
            return None
    unit = match.group("unit").rstrip("s") or "y"
    return number * UNIT_MONTHS.get(unit, UNIT_MONTHS.get(unit[:2], 12))


def months_until(match: re.Match[str], today: date) -> float | None:
    """How many months from today an end date lies."""
    year = today.year
    if match.group("year"):
        end_year, end_month = int(match.group("year")), 12
    elif match.group("yearword"):
        end_year, end_month = year + (match.group("next") == "next"), 12
    else:
        if match.group("quarter"):
            end_month = int(match.group("quarter")[1]) * 3
        elif match.group("season"):
            end_month = SEASONS[match.group("season")]
        else:
            end_month = MONTHS[match.group("month")]
        explicit = match.group("qyear")
        end_year = int(explicit) if explicit else year
        if not explicit and (end_month < today.month or match.group("next") == "next"):
            end_year += 1
    return (end_year - today.year) * 12 + end_month - today.month + 0.5


def horizon_for(months: float) -> str:
    """DOMAIN.md: within twelve months is short; a fixed term longer than a year multi-year."""
    return "short" if months <= 12 else "multi_year"
