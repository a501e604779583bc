"""Reliability of a batch: Cronbach's alpha and corrected item-total correlations.

The accumulator keeps, per group of items (each responsibility, and overall),
the count of complete responses, each item's sum and every pair's sum of
products: memory grows with the number of items squared, never with the number
of responses, so a stream of any length fits.

The sums are exact (Python integers, or fractions when a scale has fractional
points), and the textbook formulas are evaluated exactly too; only the final
figures are rounded to floats. So the order of the responses changes nothing
and the figures agree with any careful independent computation.

With k items, sample covariances c_ij over the n complete responses,
total variance V = sum over i, j of c_ij:

- alpha = k / (k - 1) * (1 - sum_i c_ii / V)
- corrected item-total correlation of item i: the correlation of the item with the
  sum of the *other* items, (r_i - c_ii) / sqrt(c_ii * (V - 2 r_i + c_ii)) with
  r_i = sum_j c_ij
- alpha if item i is deleted: the same alpha over the other k - 1 items.

Reverse-keyed items enter keyed (``min + max - answer``), as they must.
Responses that skip an item of a group are left out of that group's figures
(listwise deletion); each group reports how many responses it used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, TypeAlias

import attrs

from fourresp._lookup import find
from fourresp.assessment._keying import Keying
from fourresp.assessment._models import Questionnaire, Response
from fourresp.content import Framework, load_framework

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = [
    "GroupReliability",
    "ItemTotal",
    "Reliability",
    "ReliabilityAccumulator",
    "reliability",
]

# fractions (and the decimal module it imports) is loaded only when figures are
# computed: importing fourresp.assessment does not pay for it.
Exact: TypeAlias = "int | Fraction"


@attrs.frozen(kw_only=True)
class ItemTotal:
    """How one item hangs together with the rest of its group.

    ``correlation`` is the corrected item-total correlation (with the sum of the
    group's other items); ``alpha_if_deleted`` the group's alpha without this item.
    Either is None, with ``note`` saying why, when it cannot be computed.
    """

    item: str
    correlation: float | None
    alpha_if_deleted: float | None
    note: str | None = None


@attrs.frozen(kw_only=True)
class GroupReliability:
    """Cronbach's alpha of one group (``"overall"`` or a responsibility id).

    ``respondents`` counts the complete responses used (those that answered every
    item of the group). ``alpha`` is None, with ``note`` saying why, when it is
    undefined: fewer than two items, fewer than two complete responses, or a total
    score that does not vary.
    """

    group: str
    items: int
    respondents: int
    alpha: float | None
    note: str | None
    item_total: tuple[ItemTotal, ...]


@attrs.frozen(kw_only=True)
class Reliability:
    """The reliability of a batch of responses: overall first, then each responsibility."""

    questionnaire: str
    version: str
    responses: int
    groups: tuple[GroupReliability, ...]

    def group(self, name: str) -> GroupReliability:
        """The figures of one group; :class:`~fourresp.errors.NotFoundError` if absent."""
        return find(
            self.groups,
            name,
            lambda: f"no reliability figures for {name!r}",
            key=attrgetter("group"),
        )


def _exact(value: float) -> Exact:
    from fractions import Fraction

    if isinstance(value, int):
        return value
    return int(value) if value.is_integer() else Fraction(value)


class _Moments:
    """Exact sums and sums of products of one group's keyed answers."""

    def __init__(self, name: str, positions: tuple[int, ...], item_ids: tuple[str, ...]) -> None:
        self.name = name
        self.positions = positions
        self.item_ids = item_ids
        self.count = 0
        size = len(positions)
        self.sums: list[Exact] = [0] * size
        # Upper triangle, row by row: products[i][j - i] is the sum of x_i * x_j.
        self.products: list[list[Exact]] = [[0] * (size - i) for i in range(size)]

    def add(self, values: list[Exact | None]) -> None:
        picked = [values[p] for p in self.positions]
        if any(value is None for value in picked):
            return
        self.count += 1
        sums, products = self.sums, self.products
        for i, x in enumerate(picked):
            assert x is not None
            sums[i] += x
            row = products[i]
            for offset, y in enumerate(picked[i:]):
                row[offset] += x * y  # type: ignore[operator]

    def covariance(self) -> list[list[Fraction]]:
        from fractions import Fraction

        n = self.count
        size = len(self.positions)
        matrix = [[Fraction(0)] * size for _ in range(size)]
        for i in range(size):
            for j in range(i, size):
                value = Fraction(
                    n * self.products[i][j - i] - self.sums[i] * self.sums[j], n * (n - 1)
                )
                matrix[i][j] = matrix[j][i] = value
        return matrix

    def report(self) -> GroupReliability:
        from fractions import Fraction

        k, n = len(self.positions), self.count

        def result(
            alpha: float | None, note: str | None, items: tuple[ItemTotal, ...] = ()
        ) -> GroupReliability:

            return GroupReliability(
                group=self.name,
                items=k,
                respondents=n,
                alpha=alpha,
                note=note,
                item_total=items,
            )

        if n < 2:
            return result(None, "fewer than two complete responses")
        cov = self.covariance()
        rows = [sum(row, Fraction(0)) for row in cov]
        diagonal = [cov[i][i] for i in range(k)]
        total_variance = sum(rows, Fraction(0))
        sum_variances = sum(diagonal, Fraction(0))
        if k < 2:
            return result(None, "alpha needs at least two items")
        alpha: float | None = None
        note: str | None = None
        if total_variance == 0:
            note = "the total score does not vary"
        else:
            alpha = float(Fraction(k, k - 1) * (1 - sum_variances / total_variance))
        items = []
        for i, item_id in enumerate(self.item_ids):
            rest_variance = total_variance - 2 * rows[i] + diagonal[i]
            covariance_with_rest = rows[i] - diagonal[i]
            correlation: float | None = None
            item_note: str | None = None
            if diagonal[i] == 0:
                item_note = "the item does not vary"
            elif rest_variance == 0:
                item_note = "the other items' total does not vary"
            else:
                # Square the exact ratio, then one square root: sign kept apart.
                squared = covariance_with_rest**2 / (diagonal[i] * rest_variance)
                correlation = math.copysign(math.sqrt(squared), covariance_with_rest)
            alpha_if_deleted: float | None = None
            if k > 2 and rest_variance != 0:
                alpha_if_deleted = float(
                    Fraction(k - 1, k - 2) * (1 - (sum_variances - diagonal[i]) / rest_variance)
                )
            items.append(
                ItemTotal(
                    item=item_id,
                    correlation=correlation,
                    alpha_if_deleted=alpha_if_deleted,
                    note=item_note,
                )
            )
        return result(alpha, note, tuple(items))


class ReliabilityAccumulator:
    """Feed responses one at a time; ask for :class:`Reliability` at any point.

    >>> from fourresp.assessment import ReliabilityAccumulator, Response, load_questionnaire
    >>> questionnaire = load_questionnaire()
    >>> accumulator = ReliabilityAccumulator(questionnaire)
    >>> for level in (2, 3, 4):
    ...     answers = {item.id: level for item in questionnaire.items}
    ...     accumulator.add(Response(questionnaire=questionnaire.id,
    ...         version=questionnaire.version, answers=answers))
    >>> accumulator.report().group("overall").respondents
    3

    Responses are checked against the questionnaire as when scoring; one that does
    not fit raises :class:`~fourresp.errors.DocumentError` and is not counted.
    """

    def __init__(self, questionnaire: Questionnaire, *, framework: Framework | None = None) -> None:
        framework = framework if framework is not None else load_framework()
        self._questionnaire = questionnaire
        self._keyer = Keying(questionnaire)
        self._responses = 0
        items = questionnaire.items
        self._groups = [
            _Moments("overall", tuple(range(len(items))), tuple(item.id for item in items))
        ]
        for responsibility in framework:
            aspects = {aspect.id for aspect in responsibility.aspects}
            positions = tuple(p for p, item in enumerate(items) if item.aspect in aspects)
            if positions:
                self._groups.append(
                    _Moments(responsibility.id, positions, tuple(items[p].id for p in positions))
                )

    def add(self, response: Response) -> None:
        """Count one response (checked against the questionnaire first)."""
        keyed = self._keyer.keyed_answers(self._keyer.codes(response))
        values = [None if answer is None else _exact(answer.keyed) for answer in keyed]
        self._responses += 1
        for group in self._groups:
            group.add(values)

    def report(self) -> Reliability:
        """Alpha and item-total figures for every group, from the responses so far."""
        return Reliability(
            questionnaire=self._questionnaire.id,
            version=self._questionnaire.version,
            responses=self._responses,
            groups=tuple(group.report() for group in self._groups),
        )


def reliability(
    questionnaire: Questionnaire,
    responses: Iterable[Response],
    *,
    framework: Framework | None = None,
) -> Reliability:
    """Cronbach's alpha and corrected item-total correlations of ``responses``.

    Streams: memory does not grow with the number of responses.
    """
    accumulator = ReliabilityAccumulator(questionnaire, framework=framework)
    for response in responses:
        accumulator.add(response)
    return accumulator.report()
