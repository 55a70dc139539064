"""What would change the verdict: the fewest answer changes, or the questions left to answer.

Every change moves a dimension to the end of its scale in the direction of travel, so each
set of dimensions appears once, with its strongest effect; the search over sets is exact
because the margin to a threshold is additive over changes.
"""

from __future__ import annotations

from functools import cache
from typing import Final, Literal, NamedTuple

from bot.core.dimensions import BY_KEY, SCORED_KEYS, SUBSTANCE_KEYS, UNSURE
from bot.core.models import Change, ChangeFlip, Flip, QuestionFlip, Verdict, trusted
from bot.core.scoring import LEANS, MIN_ANSWERED, MIN_SUBSTANCE, WEIGHT2, Tally, kind_of

MAX_FLIPS: Final = 3
Direction = Literal["up", "down"]
TOP: Final[dict[str, str]] = {key: max(LEANS[key], key=LEANS[key].__getitem__) for key in LEANS}
BOTTOM: Final[dict[str, str]] = {key: min(LEANS[key], key=LEANS[key].__getitem__) for key in LEANS}
ORDER: Final[dict[str, int]] = {key: index for index, key in enumerate(SCORED_KEYS)}
QUESTION_FLIPS: Final[dict[str, QuestionFlip]] = {
    key: QuestionFlip(dimension=key, question=BY_KEY[key].question) for key in SCORED_KEYS
}


class Move(NamedTuple):
    """One dimension moved to an end of its scale: its effect on the tally and the margin.

    All integers, so that a set of moves hashes fast; `ident` is its change's place in
    CHANGES. Moves sort by `rank` alone, no two share one: largest gain first, then table
    order.
    """

    rank: int
    gain: int
    lean: int
    weight: int
    order: int
    ident: int


# A candidate flip keyed for ranking: minus the score change, table order, lean, weight, moves.
Ranked = tuple[float, tuple[int, ...], int, int, tuple[Move, ...]]
# A single move keyed the same way, its order and move not wrapped in tuples; and a pair,
# its two orders (lowest first) and two moves likewise.
Single = tuple[float, int, int, int, Move]
Pair = tuple[float, int, int, int, int, Move, Move]


def find_flips(
    scored: tuple[str | None, ...], tally: Tally, verdict: Verdict, open_keys: tuple[str, ...]
) -> tuple[Flip, ...]:
    """Up to three ways to move the verdict, or the questions that would settle it.

    `scored` are the answers to the scored questions in table order, `verdict` is the
    tally's and `open_keys` are the open questions, most decisive first.
    """
    if verdict == "undetermined":
        return settling_questions(open_keys, tally)
    # Most answer sets can flip with one move: those need no sorted moves and no search.
    single: list[Single] = []
    for direction in DIRECTIONS[verdict]:
        single += _single(scored, tally, _needed(tally, verdict, direction), direction)
    if single:
        single.sort()
        return tuple(
            _change_flip((move,), lean, weight) for _, _, lean, weight, move in single[:MAX_FLIPS]
        )
    plans = [_moves(scored, tally, verdict, direction) for direction in DIRECTIONS[verdict]]
    sizes = [_fewest(moves, needed) for moves, needed in plans]
    feasible = [size for size in sizes if size is not None]
    if not feasible:
        return ()
    size = min(feasible)
    chosen = [plan for plan, plan_size in zip(plans, sizes, strict=True) if plan_size == size]
    if size == 2:  # the next most common: pairs keyed flat, as _single keys one move
        pairs: list[Pair] = []
        for moves, needed in chosen:
            pairs += _pairs(tally, moves, needed)
        pairs.sort()
        return tuple(
            _change_flip((first, second), lean, weight)
            for _, _, _, lean, weight, first, second in pairs[:MAX_FLIPS]
        )
    ranked: list[Ranked] = []
    for moves, needed in chosen:
        ranked += _ranked(tally, moves, size, needed)
    ranked.sort()
    return tuple(
        _change_flip(chosen, lean, weight) for _, _, lean, weight, chosen in ranked[:MAX_FLIPS]
    )


@cache
def _change_flip(chosen: tuple[Move, ...], lean: int, weight: int) -> ChangeFlip:
    """The flip making these moves, to this lean over this weight; built once, unvalidated.

    Over every possible set of answers there are about 9,200 flips, so the cache is bounded.
    """
    ordered = chosen if len(chosen) == 1 else sorted(chosen, key=_by_order)
    return trusted(
        ChangeFlip,
        {
            "kind": "change",
            "changes": tuple(CHANGES[move.ident] for move in ordered),
            "verdict": kind_of(lean, weight),
            "score": round(lean / (2 * weight), 4),
        },
    )


def settling_questions(open_keys: tuple[str, ...], tally: Tally) -> tuple[Flip, ...]:
    """The fewest open questions whose answers would make a verdict possible."""
    need_substance = max(0, MIN_SUBSTANCE - tally.substance)
    need_total = max(0, MIN_ANSWERED - tally.answered, need_substance)
    return _settling(open_keys, need_substance, need_total)


@cache
def _settling(open_keys: tuple[str, ...], need_substance: int, need_total: int) -> tuple[Flip, ...]:
    """The questions settling_questions picks, for each of the few shapes it sees; built once."""
    chosen = [key for key in open_keys if key in SUBSTANCE_KEYS][:need_substance]
    chosen += [key for key in open_keys if key not in chosen][: need_total - len(chosen)]
    chosen.sort(key=open_keys.index)
    return tuple(QUESTION_FLIPS[key] for key in chosen)


def _moves(
    scored: tuple[str | None, ...], tally: Tally, verdict: Verdict, direction: Direction
) -> tuple[list[Move], int]:
    """The possible moves in one direction, best gain first, and the margin they must make up
    (`scored`: the answers in table order)."""
    moves = [move for move in map(dict.get, MOVE_TABLES[direction], scored) if move is not None]
    moves.sort()  # by rank: largest gain first, then table order
    return moves, _needed(tally, verdict, direction)


def _needed(tally: Tally, verdict: Verdict, direction: Direction) -> int:
    """The margin moves in one direction must make up, an integer on the doubled weights:
    partnership needs 2*lean >= weight, collaboration 2*lean <= -weight."""
    doubled, weight = 2 * tally.lean, tally.weight
    if direction == "up" and verdict == "collaboration":
        return -(doubled + weight) + 1  # reach 2L > -W
    if direction == "up":
        return weight - doubled  # from mixed, reach 2L >= W
    if verdict == "partnership":
        return doubled - weight + 1  # reach 2L < W
    return doubled + weight  # from mixed, reach 2L <= -W


def _single(
    scored: tuple[str | None, ...], tally: Tally, needed: int, direction: Direction
) -> list[Single]:
    """Each single move in one direction that makes up the margin, keyed for ranking as
    _ranked keys a set of one (the same order: a one-item tuple compares as its item)."""
    base, lean0, weight0 = tally.score, tally.lean, tally.weight
    found: list[Single] = []
    for move in map(dict.get, MOVE_TABLES[direction], scored):
        if move is not None and move.gain >= needed:
            lean, weight = lean0 + move.lean, weight0 + move.weight
            found.append((-abs(lean / (2 * weight) - base), move.order, lean, weight, move))
    return found


def _move_table(direction: Direction, changes: list[Change]) -> dict[str, dict[str | None, Move]]:
    """Every move in one direction, by dimension and current value, built once; each move's
    change is appended to `changes`."""
    up = direction == "up"
    table: dict[str, dict[str | None, Move]] = {}
    for order, key in enumerate(SCORED_KEYS):
        new = TOP[key] if up else BOTTOM[key]
        w = WEIGHT2[key]
        table[key] = {}
        old: str | None
        for old in (*LEANS[key], UNSURE, None):
            if old == new:
                continue
            before = LEANS[key].get(old) if old is not None else None  # None: not counted
            delta_lean = w * (LEANS[key][new] - (before or 0))
            delta_weight = 0 if before is not None else w
            gain = 2 * delta_lean - delta_weight if up else -2 * delta_lean - delta_weight
            if gain > 0:
                changes.append(Change(dimension=key, old=old, new=new))
                rank = -gain * len(SCORED_KEYS) + order
                table[key][old] = Move(
                    rank, gain, delta_lean, delta_weight, order, len(changes) - 1
                )
    return table


def _fewest(moves: list[Move], needed: int) -> int | None:
    """The smallest number of moves whose gains can make up the margin."""
    total = 0
    for count, move in enumerate(moves, start=1):
        total += move.gain
        if total >= needed:
            return count
    return None


def _combinations(moves: list[Move], size: int, needed: int) -> list[tuple[Move, ...]]:
    """Every set of `size` moves whose gains reach `needed`, pruned by the best remaining."""
    found: list[tuple[Move, ...]] = []
    prefix = [0]
    for move in moves:
        prefix.append(prefix[-1] + move.gain)

    def extend(start: int, chosen: tuple[Move, ...], total: int) -> None:
        left = size - len(chosen)
        if left == 0:
            found.append(chosen)
            return
        for index in range(start, len(moves) - left + 1):
            if total + prefix[index + left] - prefix[index] < needed:
                return
            extend(index + 1, (*chosen, moves[index]), total + moves[index].gain)

    extend(0, (), 0)
    return found


def _pairs(tally: Tally, moves: list[Move], needed: int) -> list[Pair]:
    """Each pair of moves (best gain first) that makes up the margin, keyed for ranking as
    _ranked keys a set of two, flat: one tuple per pair rather than three."""
    base, lean0, weight0 = tally.score, tally.lean, tally.weight
    found: list[Pair] = []
    for i in range(len(moves) - 1):
        first = moves[i]
        _, gain1, lean1, weight1, order1, _ = first
        if gain1 + moves[i + 1].gain < needed:
            break
        lean1 += lean0
        weight1 += weight0
        for second in moves[i + 1 :]:
            _, gain2, lean2, weight2, order2, _ = second
            if gain1 + gain2 < needed:
                break
            lean = lean1 + lean2
            weight = weight1 + weight2
            key = -abs(lean / (2 * weight) - base)
            if order1 < order2:
                found.append((key, order1, order2, lean, weight, first, second))
            else:
                found.append((key, order2, order1, lean, weight, first, second))
    return found


def _ranked(tally: Tally, moves: list[Move], size: int, needed: int) -> list[Ranked]:
    """Each feasible set of moves keyed for ranking: larger score change, then table order.

    Sets of one and two moves are _single's and _pairs'.
    """
    base, lean0, weight0 = tally.score, tally.lean, tally.weight
    ranked: list[Ranked] = []
    for chosen in _combinations(moves, size, needed):
        lean = lean0 + sum(move.lean for move in chosen)
        weight = weight0 + sum(move.weight for move in chosen)
        ranked.append(
            (
                -abs(lean / (2 * weight) - base),
                tuple(sorted(move.order for move in chosen)),
                lean,
                weight,
                chosen,
            )
        )
    return ranked


def _by_order(move: Move) -> int:
    """Sort key: table order."""
    return move.order


CHANGES: Final[list[Change]] = []
MOVES: Final[dict[Direction, dict[str, dict[str | None, Move]]]] = {
    "up": _move_table("up", CHANGES),
    "down": _move_table("down", CHANGES),
}
# The directions a verdict can move in: a partnership down, a collaboration up.
DIRECTIONS: Final[dict[Verdict, tuple[Direction, ...]]] = {
    "partnership": ("down",),
    "collaboration": ("up",),
    "mixed": ("up", "down"),
}
# The same tables in SCORED_KEYS order, to walk beside the answers.
MOVE_TABLES: Final[dict[Direction, tuple[dict[str | None, Move], ...]]] = {
    direction: tuple(table[key] for key in SCORED_KEYS) for direction, table in MOVES.items()
}
