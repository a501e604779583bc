"""Exact totals of an additive scorer's terms, packed into one integer.

A group's totals are ``(answered items, sum of keyed answers, *sums of the
scorer's terms)``. Every finite float is a whole multiple of some power of two,
so scaling every term by the largest power of two any of them needs makes them
all integers, and integer sums are exact: unpacked, each sum is the correctly
rounded sum of its terms (what :func:`math.fsum` gives), whatever the order or
grouping of the additions.

The columns are packed side by side into one Python integer, each in a field
wide enough that no sum over a whole questionnaire can overflow into its
neighbour (negative sums included: Python integers are signed and unbounded).
Adding two packed totals adds every column at once, and a packed total is an
exact dictionary key, which is what lets the engine remember a group's score by
its totals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

from fourresp.assessment._keying import Keying
from fourresp.assessment._protocols import AdditiveScorer
from fourresp.errors import ArgumentError

__all__ = ["Packing", "Spread", "spread", "term_vectors"]


class Packing:
    """How to pack and unpack one plan's totals: a field of ``width`` bits per column."""

    def __init__(self, rows: Sequence[Sequence[tuple[float, ...]]]) -> None:
        """A packing fit for summing one vector from each row, in any combination."""
        values = [value for row in rows for vector in row for value in vector]
        self.columns = len(rows[0][0]) if rows and rows[0] else 0
        denominator = max((value.as_integer_ratio()[1] for value in values), default=1)
        self.scale = denominator  # a power of two, so every term times it is an integer
        bound = sum(max((abs(v) for vector in row for v in vector), default=0.0) for row in rows)
        self.width = (math.ceil(bound) * self.scale).bit_length() + 2  # the sign and a margin

    def pack(self, vector: tuple[float, ...]) -> int:
        """One vector of terms as a packed integer."""
        packed = 0
        for column, value in enumerate(vector):
            numerator, denominator = value.as_integer_ratio()
            packed += (numerator * (self.scale // denominator)) << (column * self.width)
        return packed

    def unpack(self, packed: int) -> tuple[float, ...]:
        """The correctly rounded sums of each column."""
        fields = []
        size = 1 << self.width
        for _ in range(self.columns):
            field = packed & (size - 1)
            if field >= size >> 1:
                field -= size
            fields.append(field / self.scale)  # int / int is correctly rounded
            packed = (packed - field) >> self.width
        return tuple(fields)


class Spread:
    """Every answer's packed totals placed in its group's field of one wider integer.

    Groups do not overlap (each item counts in one group), so summing a response's
    entries gives every group's packed totals at once, one field each; the fields
    are as wide as a packed total needs, and a sign margin keeps the negative ones
    exact. :meth:`sums` splits them apart: each is the very integer that adding the
    group's items' packed totals one by one gives.
    """

    def __init__(self, packing: Packing, entries: dict[Hashable, tuple[int, int]]) -> None:
        """``entries``: for each key (an item and an answer), its group's field and totals."""
        # A packed total's columns each hold less than 2**(width - 2) in magnitude.
        self.width = packing.columns * packing.width + 2
        self.fields = 1 + max((field for field, _ in entries.values()), default=-1)
        self.of = {key: packed << (field * self.width) for key, (field, packed) in entries.items()}

    def sums(self, keys: Iterable[Hashable]) -> list[int] | None:
        """Each group's packed totals over ``keys``; None when a key is not an entry."""
        try:
            # One C-level pass over the answers: a missing key gives None, and
            # adding None (or looking up an unhashable key) raises TypeError.
            total: int = sum(map(self.of.get, keys))  # type: ignore[arg-type]
        except TypeError:
            return None
        width = self.width
        size = 1 << width
        fields = []
        for _ in range(self.fields):
            field = total & (size - 1)
            if field >= size >> 1:
                field -= size
            fields.append(field)
            total = (total - field) >> width
        return fields


def spread(
    packing: Packing,
    vectors: Sequence[Sequence[int]],
    lookup: Mapping[tuple[str, object], tuple[int, int]],
    field_of: Mapping[int, int],
    last: int,
    keep: Callable[[str, object], bool],
) -> Spread:
    """The :class:`Spread` of the (item, answer) keys of ``lookup`` that ``keep`` keeps.

    ``lookup`` gives each key's position and code, ``vectors[position][code]`` its
    packed totals and ``field_of`` its position's field (``last`` when in none).
    """
    entries: dict[Hashable, tuple[int, int]] = {
        key: (field_of.get(position, last), vectors[position][code])
        for key, (position, code) in lookup.items()
        if keep(*key)
    }
    return Spread(packing, entries)


def term_vectors(
    scorer_name: str, scorer: AdditiveScorer, keying: Keying
) -> list[list[tuple[float, ...]]]:
    """Per position and code, the totals of that one answer: (1, keyed, *the scorer's terms).

    Code 0 (skipped) gets zeros, so a group's totals are the sum of its items'.
    """
    width: int | None = None
    rows: list[list[tuple[float, ...]]] = []
    for keyed in keying.keyed:
        row: list[tuple[float, ...]] = []
        for answer in keyed[1:]:
            assert answer is not None
            terms = scorer.terms(answer)
            if (
                not isinstance(terms, tuple)
                or (width is not None and len(terms) != width)
                or not all(
                    isinstance(t, int | float) and not isinstance(t, bool) and math.isfinite(t)
                    for t in terms
                )
            ):
                raise ArgumentError(
                    f"scorer {scorer_name!r} gave the terms {terms!r} for {answer!r}; an "
                    "additive scorer gives a tuple of finite numbers, the same length each time"
                )
            width = len(terms)
            row.append((1.0, float(answer.keyed), *map(float, terms)))
        rows.append(row)
    zeros = (0.0,) * (2 + (width or 0))
    return [[zeros, *row] for row in rows]
