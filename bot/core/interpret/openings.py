r"""Where matches of a pattern can start, so that one scan of a text serves many patterns.

Python's regular-expression engine tries a pattern such as `\b(?:long|alternation|...)` at
every position of the text, which costs 10-20 us per pattern on a 300-character reply. But
every pattern the reader runs begins with `\b` and then one of a known set of literal openings
("pool", "each side", "not sure"). `openings()` reads those openings from the pattern itself,
with the standard library's own regex parser. A `Scanner` compiles a single expression that
finds, in one pass, every place in a text where an opening of any of its patterns begins, and
`Places.matches(pattern)` then tries the pattern only at its own places, with `pattern.match`:
that gives exactly what `pattern.finditer(text)` gives, since a match can start nowhere else.

Openings are read for text whose only whitespace is the space and where no two spaces meet,
as normalized text is: `\s` counts as " ", and so does `\s+` (`\s*` as " " or nothing). Any
other text, and any pattern whose openings cannot be read (it does not begin with `\b`, or a
match may begin with an unknown character), is searched in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

# The standard library's regex parser: private and untyped, so its parse tree is handled as
# Any below. Should its shape ever change, unknown nodes only make patterns fall back to a
# full search.
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any, Final

# How long openings are: long enough to tell apart rules that begin alike ("each side
# keeps", "each side pays"), which would otherwise be tried at every "each side"; shorter
# for a pattern with too many openings of that length (MAX_HEADS), such as DURATION's
# number words and units.
OPENING_CHARS: Final = (12, 8, 6)
# An opening that is any decimal digit (`\d`), as in "3-year" or "50/50".
DIGIT: Final = r"\d"
# A larger class (`\w`, `[^,]`) ends an opening rather than being spelled out.
MAX_CLASS_CHARS: Final = 10
MAX_HEADS: Final = 4096
OTHER_WHITESPACE: Final = re.compile(r"[^\S ]")
ASCII_OTHER_WHITESPACE: Final = tuple(
    char for char in map(chr, range(128)) if OTHER_WHITESPACE.match(char)
)
if any(char.isprintable() for char in ASCII_OTHER_WHITESPACE):
    raise ValueError("_other_whitespace assumes no other whitespace is printable")

# How a match can begin: the literal text so far, and whether the node matched exactly that
# text (so that what follows it extends the opening).
Head = tuple[str, bool]


def openings(pattern: re.Pattern[str]) -> frozenset[str] | None:
    r"""The openings every match of a `\b...` pattern begins with, or None if unknown.

    Each opening is literal text, cut to the first length in OPENING_CHARS at which the
    pattern has at most MAX_HEADS ways to begin, or DIGIT; none begins with another.
    """
    if pattern.flags & re.IGNORECASE or "\\\\" in pattern.pattern:
        return None
    parsed = sre_parser.parse(pattern.pattern, pattern.flags)
    items: list[tuple[Any, Any]] = list(parsed.data)
    if not items or items[0] != (sre.AT, sre.AT_BOUNDARY) or parsed.getwidth()[0] == 0:
        return None
    for chars in OPENING_CHARS:
        heads = _sequence(items[1:], chars)
        if heads is not None:
            break
    else:
        return None
    found = {text for text, _ in heads}
    if "" in found or any(text != DIGIT and _bad_start(text) for text in found):
        return None
    return _shortest(found)


def _shortest(found: set[str]) -> frozenset[str]:
    """The openings without those that begin with another: where one occurs, so does the other."""
    kept: list[str] = []
    for text in sorted(found, key=len):
        if not text.startswith(tuple(kept)):
            kept.append(text)
    return frozenset(kept)


def _bad_start(text: str) -> bool:
    """Whether an opening would be mistaken for DIGIT: it starts with a decimal digit."""
    first = text[1:2] if _is_separator(text[0]) else text[:1]
    return first.isdecimal()


def _sequence(items: Iterable[tuple[Any, Any]], chars: int) -> set[Head] | None:
    """How a sequence of parse nodes can begin, up to `chars` characters; None when there
    are too many ways."""
    heads: set[Head] = {("", True)}
    for op, av in items:
        if not any(whole for _, whole in heads):
            break
        node = _node(op, av, chars)
        if node is None:
            return None
        extended: set[Head] = set()
        for text, whole in heads:
            if not whole:
                extended.add((text, False))
                continue
            for more, more_whole in node:
                if more == DIGIT:  # a digit only opens a match; later it ends the opening
                    extended.add((text or DIGIT, False))
                    continue
                joined = text + more
                extended.add((joined[:chars], more_whole and len(joined) < chars))
        if len(extended) > MAX_HEADS:
            return None
        heads = extended
    return heads


def _node(op: Any, av: Any, chars: int) -> set[Head] | None:
    """How one parse node can begin."""
    if op is sre.LITERAL:
        return {(chr(av), True)}
    if op is sre.IN:
        return _char_class(av)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {("", True)}  # zero width: the opening continues after it
    if op is sre.BRANCH:
        union: set[Head] = set()
        for branch in av[1]:
            heads = _sequence(branch.data, chars)
            if heads is None:
                return None
            union |= heads
        return union
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return {("", False)} if add_flags & re.IGNORECASE else _sequence(sub.data, chars)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, sub = av
        heads = _sequence(sub.data, chars)
        if heads is None:
            return None
        if heads == {(" ", True)} and low <= 1:
            # `\s+`, `\s*`: where no two spaces meet, one space or (for `\s*`) none.
            return {(" ", True), ("", True)} if low == 0 else heads
        if high != 1:  # another repetition may follow the first: stop the opening there
            heads = {(text, False) for text, _ in heads}
        if low == 0:
            heads.add(("", True))
        return heads
    return {("", False)}  # anything else ends the opening


def _char_class(items: Sequence[tuple[Any, Any]]) -> set[Head]:
    """A character class: DIGIT for `\\d`, a few literal characters, or the end of the opening."""
    if list(items) == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
        return {(DIGIT, False)}
    if list(items) == [(sre.CATEGORY, sre.CATEGORY_SPACE)]:
        return {(" ", True)}  # the only whitespace in text that Scanner.places reads
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < MAX_CLASS_CHARS:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:
            return {("", False)}
    if len(chars) > MAX_CLASS_CHARS:
        return {("", False)}
    return {(char, True) for char in chars}


def _is_separator(char: str) -> bool:
    """Whether a character is not a word character (`\\W`)."""
    return re.match(r"\W", char) is not None


@dataclass(frozen=True, slots=True)
class ScanTables:
    """What a Scanner derives from its patterns' openings: costly to build, plain data to store.

    `full`: the patterns searched in full (openings unknown). `word_at`: at a word start, the
    patterns with an opening that is a prefix of the tail found there. `after`: after a
    separator that starts an opening, those patterns with their shift from the separator
    (only the few pairs where a separated opening occurs). `trie`: the scan's alternation.
    """

    full: frozenset[int]
    word_at: dict[str, tuple[int, ...]]
    after: dict[tuple[str, str], tuple[tuple[int, int], ...]]
    trie: str

    @classmethod
    def build(cls, patterns: Sequence[re.Pattern[str]]) -> ScanTables:
        """Read every pattern's openings and lay them out for the scan."""
        by_opening: dict[str, list[int]] = {}
        full = set()
        for index, pattern in enumerate(patterns):
            found = openings(pattern)
            if found is None:
                full.add(index)
                continue
            for opening in found:
                by_opening.setdefault(opening, []).append(index)
        # A scan match is one non-word character followed by the longest "tail" that begins
        # there: an opening that starts a word, or what follows the non-word character that
        # starts an opening (", signed" -> " signed").
        literal = by_opening.keys() - {DIGIT}
        words = {o for o in literal if not _is_separator(o[0])}
        separated = literal - words
        tails = words | {o[1:] for o in separated}
        word_at = {
            tail: _patterns(by_opening, [tail[:n] for n in range(1, len(tail) + 1)], words)
            for tail in tails
        }
        word_at[DIGIT] = tuple(by_opening.get(DIGIT, ()))
        after: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}
        for separator in {o[0] for o in separated}:
            for tail in tails:
                prefixes = [separator + tail[:n] for n in range(len(tail) + 1)]
                at_separator = _patterns(by_opening, prefixes, separated)
                if at_separator:
                    here = tuple((p, 0) for p in at_separator)
                    after[separator, tail] = here + tuple((p, 1) for p in word_at[tail])
        trie = alternation(sorted(tails))
        if DIGIT in by_opening:
            trie = rf"{trie}|(?u:\d)" if trie else r"(?u:\d)"
        return cls(frozenset(full), word_at, after, trie)


class Scanner:
    """Finds in one pass over a text the places where each of its patterns can start."""

    def __init__(
        self, patterns: Sequence[re.Pattern[str]], tables: ScanTables | None = None
    ) -> None:
        """`tables` as ScanTables.build(patterns) gives them (built here if not given)."""
        self.patterns = tuple(patterns)
        # Patterns are looked up by id(): a compiled pattern's hash is recomputed from its
        # whole program on every lookup, which costs microseconds for a long rule.
        self.indexes = {id(pattern): index for index, pattern in enumerate(self.patterns)}
        if tables is None:
            tables = ScanTables.build(self.patterns)
        self.full = tables.full
        self._word_at = dict(tables.word_at)
        self._word_after = {tail: tuple((p, 1) for p in at) for tail, at in self._word_at.items()}
        self._after = tables.after
        # One expression for all text, compiled once (it is large): ASCII `\W` matches every
        # character Unicode `\W` does, and more (any other non-ASCII character), so it finds
        # every place the Unicode form would find, and a few more that are only tried; the
        # digit stays Unicode's, as in the patterns.
        self._scan = re.compile(rf"(\W)(?=({tables.trie}))", re.ASCII)
        # The same patterns for ASCII text (see places).
        self.ascii_patterns = tuple(map(_for_ascii, self.patterns))
        # The targets found so far, by separator and tail (see _after_separator).
        self._found: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}

    def places(self, text: str) -> Places:
        """Where in `text` each pattern can start a match.

        Text with other whitespace, or two spaces together, has every pattern searched in
        full. ASCII text whose only whitespace is the space is read with the ASCII forms of the
        patterns (`re.ASCII`), which match there exactly as the others do but test a word
        character without looking it up in the Unicode database.
        """
        ascii_text = text.isascii()
        if "  " in text or _other_whitespace(text, ascii_text):
            everywhere = frozenset(range(len(self.patterns)))
            return Places(self, text, self.patterns, {}, everywhere)
        starts: dict[int, list[int]] = {}
        # The scan runs on the text after a space, which finds an opening at the very start.
        # split() gives each match's groups, and the text between matches to count positions
        # by, without building a match object per match (half the cost of finditer).
        parts = self._scan.split(" " + text)
        pieces = zip(zip(parts[1::3], parts[2::3], strict=True), parts[3::3], strict=True)
        at = len(parts[0]) - 1  # where the separator is in the text (-1: the space put first)
        if at < 0:
            key, between = next(pieces)
            for index, _ in self._targets(key[1]):
                starts[index] = [0]
            at += 1 + len(between)
        found = self._found
        for key, between in pieces:
            targets = found.get(key)
            if targets is None:
                targets = self._after_separator(key)
            for index, shift in targets:
                if (listed := starts.get(index)) is None:
                    starts[index] = [at + shift]
                else:
                    listed.append(at + shift)
            at += 1 + len(between)
        patterns = self.ascii_patterns if ascii_text else self.patterns
        return Places(self, text, patterns, starts, self.full)

    def _after_separator(self, key: tuple[str, str]) -> tuple[tuple[int, int], ...]:
        """The patterns, with the shift from the separator to their start, given a separator
        and the tail after it; remembered for ASCII separators (a bounded set)."""
        separator, tail = key
        targets = (
            self._after.get((separator, tail)) or self._word_after.get(tail) or self._targets(tail)
        )
        if separator.isascii():
            self._found[key] = targets
        return targets

    def _targets(self, tail: str) -> tuple[tuple[int, int], ...]:
        """The patterns with an opening at a word start, given the tail found there."""
        if tail.isdecimal():  # the scan's `\d`: no literal tail starts with a digit
            return self._word_after[DIGIT]
        return self._word_after.get(tail, ())


class Places:
    """The places in one text where each pattern of a Scanner can start a match."""

    # One is built per sentence: slots make it cheaper to build and to read.
    __slots__ = ("_full", "_indexes", "_patterns", "_scanner", "_starts", "possible", "text")

    def __init__(
        self,
        scanner: Scanner,
        text: str,
        patterns: Sequence[re.Pattern[str]],
        starts: dict[int, list[int]],
        full: frozenset[int],
    ) -> None:
        self.text = text
        self._scanner = scanner
        self._patterns = patterns  # the scanner's, or their ASCII forms for ASCII text
        self._indexes = scanner.indexes
        self._starts = starts
        self._full = full  # the patterns to search in full
        # The positions in the scanner's patterns of those that may match.
        self.possible: AbstractSet[int] = starts.keys() | full if full else starts.keys()

    def within(self, start: int, end: int) -> Places:
        """The places of `text[start:end]`, for a span that starts a word after a non-word
        character (or at 0): what `scanner.places(text[start:end])` finds, or more.

        Places are only ever tried, never trusted: every match is checked on the span's own
        text. The places found at or after `start` include those of the span, since a scan
        sees there the same characters and maybe more of them (an opening that runs past
        `end` adds a place where no match fits, and one that would start before `start`,
        at the non-word character, is left out), and the span's first word is found after
        that character as the span's own scan finds it at its start.
        """
        starts: dict[int, list[int]] = {}
        for index, listed in self._starts.items():
            inside = [at - start for at in listed if start <= at < end]
            if inside:
                starts[index] = inside
        return Places(self._scanner, self.text[start:end], self._patterns, starts, self._full)

    def found(
        self, below: int, among: Sequence[int] | None = None
    ) -> list[tuple[int, list[re.Match[str]]]]:
        """Each of the scanner's first `below` patterns (or of those at the ascending
        positions `among`) that matches, with what `finditer` yields, in pattern order."""
        text = self.text
        starts = self._starts
        if among is not None:
            indexes = [i for i in among if i in starts or i in self._full]
        else:
            indexes = sorted(starts.keys() | self._full) if self._full else sorted(starts)
        found = []
        for index in indexes:
            if index >= below:
                break
            pattern = self._patterns[index]
            places = starts.get(index)
            if places is None:
                matches = list(pattern.finditer(text))
            else:
                matches = []
                pos = 0
                for start in places:
                    if start >= pos and (match := pattern.match(text, start)) is not None:
                        matches.append(match)
                        pos = match.end()  # openings make every match at least one long
            if matches:
                found.append((index, matches))
        return found

    def starts(self, pattern: re.Pattern[str]) -> list[int] | None:
        """Where the pattern may start a match, in order; None if it may start anywhere."""
        index = self._indexes[id(pattern)]
        if index in self._full:
            return None
        return self._starts.get(index, [])

    def may_match(self, pattern: re.Pattern[str]) -> bool:
        """Whether the pattern may match anywhere in the text (False: it cannot)."""
        index = self._indexes[id(pattern)]
        return index in self._starts or index in self._full

    def matches(
        self, pattern: re.Pattern[str], pos: int = 0, endpos: int | None = None
    ) -> list[re.Match[str]]:
        """What `pattern.finditer(text, pos, endpos)` yields, trying only where it can start."""
        text = self.text
        end = len(text) if endpos is None else endpos
        index = self._indexes[id(pattern)]
        pattern = self._patterns[index]
        starts = self._starts.get(index)
        if starts is None:
            return list(pattern.finditer(text, pos, end)) if index in self._full else []
        found = []
        for start in starts:
            if start >= end:
                break
            if start >= pos and (match := pattern.match(text, start, end)) is not None:
                found.append(match)
                pos = match.end()  # openings make every match at least one character long
        return found

    def search(self, pattern: re.Pattern[str], pos: int, endpos: int) -> re.Match[str] | None:
        """What `pattern.search(text, pos, endpos)` finds, trying only where it can start."""
        index = self._indexes[id(pattern)]
        pattern = self._patterns[index]
        starts = self._starts.get(index)
        if starts is None:
            return pattern.search(self.text, pos, endpos) if index in self._full else None
        for start in starts:
            if start >= endpos:
                break
            if start >= pos and (match := pattern.match(self.text, start, endpos)) is not None:
                return match
        return None


def _other_whitespace(text: str, ascii_text: bool) -> bool:
    """Whether the text has whitespace other than the space (ASCII text is checked for its
    few whitespace characters with str methods, much cheaper than a regex search)."""
    if ascii_text:
        # None of them is printable: normalized text, printable, needs a single pass.
        return not text.isprintable() and any(map(text.__contains__, ASCII_OTHER_WHITESPACE))
    return OTHER_WHITESPACE.search(text) is not None


def _for_ascii(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern with `re.ASCII`, or itself if it ignores case (which would change more)."""
    if pattern.flags & re.IGNORECASE:
        return pattern
    return re.compile(pattern.pattern, (pattern.flags & ~re.UNICODE) | re.ASCII)


def _patterns(
    by_opening: dict[str, list[int]], prefixes: Iterable[str], allowed: AbstractSet[str]
) -> tuple[int, ...]:
    """The patterns, in first-seen order, with one of `prefixes` among their allowed openings."""
    found: dict[int, None] = {}
    for prefix in prefixes:
        if prefix in allowed:
            found.update(dict.fromkeys(by_opening[prefix]))
    return tuple(found)


def alternation(texts: Sequence[str]) -> str:
    """A regex for the longest of `texts` that matches: a trie, so no branch is tried twice."""
    branches: dict[str, list[str]] = {}
    ends = False
    for text in texts:
        if text:
            branches.setdefault(text[0], []).append(text[1:])
        else:
            ends = True
    parts = []
    for char, rests in branches.items():
        rest = alternation(rests)
        parts.append(re.escape(char) + (f"(?:{rest})" if "|" in rest else rest))
    body = "|".join(parts)
    if ends and body:
        return f"(?:{body})?"  # greedy: the longer text first, this one if it fails
    return body
