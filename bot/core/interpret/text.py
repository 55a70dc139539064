"""Text preparation: normalize Slack text, fix typos of known words, split sentences and clauses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA

MAX_CHARS: Final = 4000

SLACK_MARKUP: Final = re.compile(r"<[@#!][^>\s]*>|<(?:https?|mailto):[^>|]*(?:\|([^>]*))?>")
URL: Final = re.compile(r"https?://\S+")
EMOJI: Final = re.compile(r":[a-z0-9_+\-]+:")
# Curly quotes and dashes, and what they become. None of the replacements contains another
# of these characters, so replacing each in turn gives what str.translate would; replaced
# only where present, since translate looks every character of the text up in a dict.
QUOTES: Final = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", " - "),
)
_NOT_STEMS: Final = "do|does|did|is|are|was|were|has|have|had|should|would|could|must|need"
# Substitutions applied in order, each with `needles`: substrings one of which every match
# contains. A pass whose needles are all absent cannot match and is skipped, which saves a
# full regex scan of the text (most replies contain none of these).
CONTRACTIONS: Final[tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...]] = (
    (("won't", "wont"), re.compile(r"\bwon'?t\b"), "will not"),
    (("can't", "cant"), re.compile(r"\bcan'?t\b"), "can not"),
    (("cannot",), re.compile(r"\bcannot\b"), "can not"),
    (("shan't", "shant"), re.compile(r"\bshan'?t\b"), "shall not"),
    (("ain't", "aint"), re.compile(r"\bain'?t\b"), "is not"),
    (
        # Each stem ending in "nt" ("dont") contains one of these, some shared ("hasnt",
        # "isnt" and "doesnt" all contain "snt"): fewer needles to look for.
        ("n't", "snt", "dnt", "tnt", "dont", "arent", "werent", "havent"),
        # What `\b(stems)n'?t\b` matches, less the stem, which stays ("don't" -> "do not").
        # Opening with the literal "n", the engine jumps from n to n; the lookahead turns
        # most of them away before the lookbehinds try each stem.
        re.compile(
            r"n(?='?t\b)(?:"
            + "|".join(rf"(?<=\b{stem}n)" for stem in _NOT_STEMS.split("|"))
            + r")'?t\b"
        ),
        " not",
    ),
)
ABBREVIATIONS: Final[tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...]] = (
    (("u.",), re.compile(r"\bu\.\s?s\.(?:\s?a\.)?"), "us"),
    (("u.",), re.compile(r"\bu\.\s?k\.?"), "uk"),
    (
        ("e.g.", "i.e.", "etc.", "vs.", "inc.", "ltd.", "co."),
        re.compile(r"\be\.g\.|\bi\.e\.|\betc\.|\bvs\.|\binc\.|\bltd\.|\bco\.(?=\s)"),
        " ",
    ),
    (("m.o.u",), re.compile(r"\bm\.o\.u\.?"), "mou"),
    # A dot between digits. The pattern opens with the literal dot, so the engine jumps from
    # dot to dot; `(?<=\d\.)` then checks the digit before it.
    ((".",), re.compile(r"\.(?<=\d\.)(?=\d)"), "_"),
    (
        ("rule out", "exclude"),
        re.compile(r"\b(?:can|could|do|will|would) not (?:rule out|exclude)\b"),
        "may",
    ),
    (("not only",), re.compile(r"\bnot only\b"), " "),
    (
        ("nobody's", "no one's", "nothing's", "everyone's", "everybody's"),
        re.compile(r"\b(nobody|no one|nothing|everyone|everybody)'s\b"),
        r"\1 is",
    ),
    (("(",), re.compile(r"\s*\(\d+\)"), ""),
)
SUBSTITUTIONS: Final = (*CONTRACTIONS, *ABBREVIATIONS)
# Characters rare in text: a needle that contains one is looked for only where that
# character occurs. Finding a character costs a tenth of finding a longer substring, and
# most texts have no dot or apostrophe for most of the needles that need one.
GATES: Final = "'.("


def _gated(needles: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The needles by the first of GATES each contains ("" for none: always looked for)."""
    groups: dict[str, list[str]] = {}
    for needle in needles:
        gate = next((char for char in GATES if char in needle), "")
        groups.setdefault(gate, []).append(needle)
    return tuple((gate, tuple(group)) for gate, group in groups.items())


# Every match of the contraction passes but "cannot" ends a word in "n't" or "nt" after one
# of their stems. Their needles nearly all end in "t", the commonest last letter of a word,
# which makes each a slow scan of the text; one search for this (opening with a literal, like
# the n't pass) tells whether any of them can match at all.
CONTRACTED: Final = re.compile(
    r"n(?='?t\b)(?:"
    + "|".join(rf"(?<={stem}n)" for stem in ("wo", "ca", "sha", "ai", *_NOT_STEMS.split("|")))
    + ")"
)
AFTER_CONTRACTED: Final = frozenset(
    pattern for needles, pattern, _ in CONTRACTIONS if needles != ("cannot",)
)
# SUBSTITUTIONS with their needles grouped by gate: a pass is run if, for some group, its
# gate and one of its needles occur in the text, which is when one of its needles does; and
# whether it needs CONTRACTED.
GATED_SUBSTITUTIONS: Final = tuple(
    (pattern in AFTER_CONTRACTED, _gated(needles), pattern, replacement)
    for needles, pattern, replacement in SUBSTITUTIONS
)
NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")
SENTENCE: Final = re.compile(r"[^.!?;\n]+[.!?;\n]*")
CLAUSE_WORDS: Final = "but|however|although|though|whereas|while|yet|and|so|plus|except"
CLAUSE_BREAK: Final = re.compile(rf",|\s-\s|\(|\)|:|\b(?:{CLAUSE_WORDS})\b")
# Where a clause ends, looking forward from a phrase (see reader).
CLAUSE_END: Final = re.compile(r",|;|:|\bbut\b|\bhowever\b|\bthough\b|\bwhile\b")
# The words the speller may correct: from the first to the last letter of a run of letters,
# apostrophes and hyphens, when that is at least five characters long.
SPELLED_WORD: Final = re.compile(r"[a-z][a-z'\-]{3,}[a-z]")
SPELLED_PIECES: Final = re.compile(f"({SPELLED_WORD.pattern})")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of normalized text, and whether it asks rather than tells."""

    text: str
    start: int
    asks: bool


def normalize(text: str) -> str:
    """Lower-case plain text with Slack markup, emoji and curly quotes folded away."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    if "<" in text:  # each of these passes needs its first character to match at all
        text = SLACK_MARKUP.sub(lambda m: f" {m.group(1) or ''} ", text)
    if not text.isascii():  # the curly quotes and dashes are not ASCII
        for char, replacement in QUOTES:
            if char in text:
                text = text.replace(char, replacement)
    text = text.lower()
    if "://" in text:
        text = URL.sub(" ", text)
    if ":" in text:
        text = EMOJI.sub(" ", text)
    if not text.isascii():  # no ASCII character is a symbol of category So
        text = NON_ASCII.sub(_blank_symbol, text)
    text = _substituted(text)
    if text.isascii() and text.isprintable() and "  " not in text:
        # Printable ASCII has no whitespace but the space, so only a space at either end
        # is left to strip.
        return text.strip(" ")
    return " ".join(text.split())


def _substituted(text: str) -> str:
    """The text after SUBSTITUTIONS, each pass run only where its needles say it may match."""
    contracted: bool | None = None  # whether CONTRACTED finds something; None: not looked yet
    for needs_contracted, groups, pattern, replacement in GATED_SUBSTITUTIONS:
        if needs_contracted:
            if contracted is None:
                contracted = CONTRACTED.search(text) is not None
            if not contracted:
                continue
        for gate, needles in groups:
            if gate in text and any(map(text.__contains__, needles)):
                text = pattern.sub(replacement, text)
                contracted = None  # to be looked for again in the new text
                break
    return text


def _blank_symbol(match: re.Match[str]) -> str:
    """A space for a symbol such as an emoji (category So), else the character itself."""
    char = match.group()
    return " " if unicodedata.category(char) == "So" else char


def sentences(text: str, asks: re.Pattern[str]) -> list[Sentence]:
    """Split normalized text into sentences, marking questions and what-ifs."""
    found = []
    for match in SENTENCE.finditer(text):
        body = match.group().strip()
        if not body:
            continue
        question = body.endswith("?") or asks.search(body) is not None
        found.append(Sentence(body, match.start(), question))
    return found


def sentence_texts(text: str) -> list[str]:
    """The sentences of normalized text, as sentences() finds them."""
    return [body for piece in SENTENCE.findall(text) if (body := piece.strip())]


def clause_end(sentence: str, position: int) -> int:
    """Where the clause containing `position` ends, looking forward."""
    match = CLAUSE_END.search(sentence, position)
    return match.start() if match else len(sentence)


def clause_start(sentence: str, position: int) -> int:
    """Where the clause containing `position` begins."""
    start = 0
    for match in CLAUSE_BREAK.finditer(sentence, 0, position):
        start = match.end()
    return start


SOUND_WORDS: Final = 20_000


class Speller:
    """Corrects words one typo away from the interpreter's vocabulary, and nothing else."""

    def __init__(self, vocabulary: frozenset[str], keep: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self.keep = keep | vocabulary
        self.index: dict[str, set[str]] = {}
        for word in vocabulary:
            for variant in _deletions(word):
                self.index.setdefault(variant, set()).add(word)
        # Remembered per word (a bounded number of them).
        self.fix: Callable[[str], str] = lru_cache(maxsize=4096)(self._fix)
        # The words to keep, and those found to need no fix (up to SOUND_WORDS of them): one
        # set difference leaves only words never seen, instead of a lookup per known word.
        self._known: set[str] = set(self.keep)

    def correct(self, text: str) -> str:
        """The text with misspelt vocabulary words replaced; other words are left alone.

        A word is corrected if it is not one to keep and is a near miss of exactly one
        vocabulary word. Most texts have none and are returned as they are, with no callback
        per word.
        """
        unknown = set(SPELLED_WORD.findall(text)) - self._known
        if not unknown:
            return text
        fixes = {}
        for word in unknown:
            fixed = self.fix(word)
            if fixed == word:
                self._remember_sound(word)
            else:
                fixes[word] = fixed
        if not fixes:
            return text
        # A capturing split puts the words at the odd places: each fixed there, with no
        # callback per word (fixes.get(word, word) mapped in C).
        pieces = SPELLED_PIECES.split(text)
        pieces[1::2] = map(fixes.get, pieces[1::2], pieces[1::2])
        return "".join(pieces)

    def _remember_sound(self, word: str) -> None:
        """Note a word that needs no fix; start again from the words to keep when too many."""
        if len(self._known) >= len(self.keep) + SOUND_WORDS:
            self._known = set(self.keep)  # replaced whole: a reader sees the old or the new
        self._known.add(word)

    def _fix(self, word: str) -> str:
        """The vocabulary word this one misspells, or the word itself."""
        candidates: set[str] = set()
        for variant in _deletions(word):
            candidates |= self.index.get(variant, set())
        limit = 1 if len(word) < 9 else 2
        near = {
            candidate
            for candidate in candidates
            if candidate[0] == word[0] and OSA.distance(word, candidate) <= limit
        }
        return near.pop() if len(near) == 1 else word


def _deletions(word: str) -> set[str]:
    """The word and every string one deletion away from it."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
