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
from collections.abc import Sequence

__all__ = ["Packing"]


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
