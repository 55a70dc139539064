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

# The parts of CLAUSE_BREAK and CLAUSE_END: marks, dashes and words. No two of their matches
# overlap, except a dash inside another (" - - "), and that only within DASH itself, so the
# matches of each part are those of the whole. The words are `\b(?:CLAUSE_WORDS)\b` for a
# break and those of END_WORDS for an end, found through WORD_AT_START (see Clauses._find).
BREAK_MARK: Final = re.compile(r"[,():]")  # found as characters (see Clauses._find)
DASH: Final = re.compile(r"\s-\s")
END_MARK: Final = re.compile(r"[,;:]")  # likewise
END_WORDS: Final = frozenset({"but", "however", "though", "while"})
# A clause word at the start of a word, whatever follows: clause_start searches only up to
# its position, so a word such as "so" in "soon" ends a clause when the position cuts it there.
WORD_AT_START: Final = re.compile(rf"\b(?:{CLAUSE_WORDS})")
SCANNED: Final = (WORD_AT_START,)


class Clauses:
    """Where the clauses of one sentence start and end; its places must include SCANNED."""

    def __init__(self, places: Places) -> None:
        self._places = places
        self._break_ends: list[int] | None = None
        self._cut_words: set[int] = set()
        self._end_starts: list[int] = []

    def start(self, position: int) -> int:
        """Where the clause containing `position` begins, as text.clause_start finds it."""
        ends = self._break_ends if self._break_ends is not None else self._find()
        if position in self._cut_words:
            return position
        count = bisect_right(ends, position)
        return ends[count - 1] if count else 0

    def end(self, position: int) -> int:
        """Where the clause containing `position` ends, as text.clause_end finds it."""
        if self._break_ends is None:
            self._find()
        starts = self._end_starts
        index = bisect_left(starts, position)
        return starts[index] if index < len(starts) else len(self._places.text)

    def _find(self) -> list[int]:
        """The ends of every clause break and the starts of every clause end, in order; also
        notes where clause words end.

        A clause word breaks or ends a clause only where a word boundary follows it; no
        clause word begins another, so one match of WORD_AT_START tells all three.
        """
        places = self._places
        sentence = places.text
        # The marks are single characters, found with str.find (far cheaper than a regex
        # search, which costs its engine about a hundred instructions a character).
        commas, colons = _found(sentence, ","), _found(sentence, ":")
        ends = [at + 1 for at in (*commas, *colons, *_found(sentence, "("), *_found(sentence, ")"))]
        if "-" in sentence:
            ends += [m.end() for m in DASH.finditer(sentence)]
        end_starts = [*commas, *colons, *_found(sentence, ";")]
        cut_words = self._cut_words
        for word in places.matches(WORD_AT_START):
            cut = word.end()
            cut_words.add(cut)
            if cut < len(sentence) and _is_word(sentence[cut]):
                continue  # "sooner": no clause word
            ends.append(cut)
            if word.group() in END_WORDS:
                end_starts.append(word.start())
        ends.sort()
        end_starts.sort()
        self._break_ends = ends
        self._end_starts = end_starts
        return ends


def _found(text: str, char: str) -> list[int]:
    """Every position of a character in the text, in order."""
    found = []
    at = text.find(char)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def _is_word(char: str) -> bool:
    """Whether a character is one `\\w` matches."""
    return char.isalnum() or char == "_"
