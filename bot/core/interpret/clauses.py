"""Clause boundaries of one scanned sentence, found once rather than on every lookup.

`text.clause_start` and `text.clause_end` search the sentence again for each phrase, position
by position; a sentence with several findings pays for that several times. `Clauses` finds
the clause breaks once, the marks with short scans and the words ("but", "while"...) through
the sentence's scanner places, and then answers each lookup with a bisection.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Final

from bot.core.interpret.openings import Places
from bot.core.interpret.text import CLAUSE_WORDS

# The parts of CLAUSE_BREAK and CLAUSE_END. No two of their matches overlap, except a dash
# inside another (" - - "), and that only within DASH itself, so the matches of each part
# are those of the whole.
BREAK_MARK: Final = re.compile(r"[,():]")
DASH: Final = re.compile(r"\s-\s")
BREAK_WORD: Final = re.compile(rf"\b(?:{CLAUSE_WORDS})\b")
END_MARK: Final = re.compile(r"[,;:]")
END_WORD: Final = re.compile(r"\b(?:but|however|though|while)\b")
# A clause word at the start of a word, whatever follows: clause_start searches only up to
# its position, so a word such as "so" in "soon" ends a clause when the position cuts it there.
WORD_AT_START: Final = re.compile(rf"\b(?:{CLAUSE_WORDS})")
SCANNED: Final = (BREAK_WORD, END_WORD, WORD_AT_START)


class Clauses:
    """Where the clauses of one sentence start and end; its places must include SCANNED."""

    def __init__(self, places: Places) -> None:
        self._places = places
        self._break_ends: list[int] | None = None
        self._cut_words: set[int] = set()
        self._end_starts: list[int] | None = None

    def start(self, position: int) -> int:
        """Where the clause containing `position` begins, as text.clause_start finds it."""
        ends = self._break_ends if self._break_ends is not None else self._find_breaks()
        if position in self._cut_words:
            return position
        count = bisect_right(ends, position)
        return ends[count - 1] if count else 0

    def end(self, position: int) -> int:
        """Where the clause containing `position` ends, as text.clause_end finds it."""
        places = self._places
        sentence = places.text
        if self._end_starts is None:
            self._end_starts = sorted(
                [m.start() for m in END_MARK.finditer(sentence)]
                + [m.start() for m in places.matches(END_WORD)]
            )
        index = bisect_left(self._end_starts, position)
        return self._end_starts[index] if index < len(self._end_starts) else len(sentence)

    def _find_breaks(self) -> list[int]:
        """The ends of every clause break, in order; also notes where clause words end."""
        places = self._places
        sentence = places.text
        ends = [m.end() for m in BREAK_MARK.finditer(sentence)]
        if "-" in sentence:
            ends += [m.end() for m in DASH.finditer(sentence)]
        ends += [m.end() for m in places.matches(BREAK_WORD)]
        self._break_ends = sorted(ends)
        self._cut_words = {m.end() for m in places.matches(WORD_AT_START)}
        return self._break_ends
