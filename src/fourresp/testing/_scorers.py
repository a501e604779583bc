"""A conformance kit for scorer plugins: keyed answers, and a check of a scorer's promises."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from fourresp.testing._args import check_at_least, check_size_range
from fourresp.testing._content import identifiers

if TYPE_CHECKING:
    from fourresp.assessment import AdditiveScorer, KeyedAnswer, Scorer, ScorerOutput


def keyed_answers(*, min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[list[KeyedAnswer]]:
    """Non-empty lists of :class:`~fourresp.assessment.KeyedAnswer`, as scorers receive them.

    Needs ``1 <= min_size <= max_size`` (``InvalidArgument`` otherwise): scorers
    are never given an empty list.
    """
    from fourresp.assessment import KeyedAnswer

    check_size_range("min_size", min_size, "max_size", max_size, floor=1)

    @st.composite
    def one(draw: st.DrawFn) -> KeyedAnswer:
        low = draw(st.integers(-3, 3))
        high = low + draw(st.integers(1, 10))
        return KeyedAnswer(
            item=draw(identifiers(max_parts=2)),
            keyed=draw(st.integers(low, high)),
            minimum=low,
            maximum=high,
            weight=draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
        )

    return st.lists(one(), min_size=min_size, max_size=max_size)


def check_scorer(
    scorer: Scorer,
    *,
    max_examples: int = 100,
    parameters: Mapping[str, Any] | None = None,
    shrink: bool = True,
) -> None:
    """Check that ``scorer`` keeps the promises of :class:`fourresp.assessment.Scorer`.

    Run it in your plugin's own tests; it raises ``AssertionError`` with the
    smallest failing example Hypothesis finds. It checks that the scorer returns a
    :class:`~fourresp.assessment.ScorerOutput` with a finite value and a percent from 0
    to 100, gives the same output for the same input (pure), and does not depend on
    the order of the answers. For an :class:`~fourresp.assessment.AdditiveScorer`, it
    also checks that ``from_sums`` of the answers' terms agrees with calling it.
    ``shrink=False`` reports the first failing example as found, without the
    search for a smaller one: quick when a test expects the check to fail.
    ``max_examples`` must be at least 1 (``InvalidArgument`` otherwise).

    >>> from fourresp.assessment._scorers import score_percent
    >>> from fourresp.testing import check_scorer
    >>> check_scorer(score_percent, max_examples=20)
    """
    from hypothesis import Phase, given, settings

    from fourresp.assessment import AdditiveScorer

    check_at_least("max_examples", max_examples, 1)
    given_parameters = dict(parameters or {})

    phases = tuple(Phase) if shrink else (Phase.explicit, Phase.reuse, Phase.generate)

    @settings(max_examples=max_examples, deadline=None, phases=phases)
    @given(keyed_answers(), st.randoms(use_true_random=False), st.integers(0, 5))
    def conforms(answers: list[KeyedAnswer], rng: random.Random, extra: int) -> None:
        total = len(answers) + extra
        first = _check_output(scorer, answers, total, given_parameters, rng)
        if isinstance(scorer, AdditiveScorer):
            _check_sums(scorer, answers, total, given_parameters, first)

    conforms()


def _close(a: ScorerOutput, b: ScorerOutput) -> bool:
    """Whether two outputs agree in value and percent, to rounding."""
    return math.isclose(a.percent, b.percent, rel_tol=1e-9, abs_tol=1e-9) and math.isclose(
        a.value, b.value, rel_tol=1e-9, abs_tol=1e-9
    )


def _check_output(
    scorer: Scorer,
    answers: Sequence[KeyedAnswer],
    total: int,
    parameters: dict[str, Any],
    rng: random.Random,
) -> ScorerOutput:
    """Assert the output is well formed, pure and independent of order; return it."""
    from fourresp.assessment import ScorerOutput

    first = scorer(answers, total_items=total, parameters=dict(parameters))
    assert isinstance(first, ScorerOutput), f"returned {first!r}, not a ScorerOutput"
    assert math.isfinite(first.value), f"value {first.value!r} is not finite"
    assert math.isfinite(first.percent), f"percent {first.percent!r} is not finite"
    assert 0 <= first.percent <= 100, f"percent {first.percent!r} is not from 0 to 100"
    again = scorer(list(answers), total_items=total, parameters=dict(parameters))
    assert again == first, f"not pure: {first!r}, then {again!r}"
    shuffled = list(answers)
    rng.shuffle(shuffled)
    moved = scorer(shuffled, total_items=total, parameters=dict(parameters))
    assert math.isclose(moved.percent, first.percent, rel_tol=1e-9, abs_tol=1e-9), (
        f"depends on the order of the answers: {first!r} then {moved!r}"
    )
    assert math.isclose(moved.value, first.value, rel_tol=1e-9, abs_tol=1e-9), (
        f"depends on the order of the answers: {first!r} then {moved!r}"
    )
    return first


def _check_sums(
    scorer: AdditiveScorer,
    answers: Sequence[KeyedAnswer],
    total: int,
    parameters: dict[str, Any],
    first: ScorerOutput,
) -> None:
    """Assert ``from_sums`` of the answers' terms agrees with calling the scorer."""
    columns = zip(*map(scorer.terms, answers), strict=True)
    sums = tuple(math.fsum(column) for column in columns)
    summed = scorer.from_sums(
        sums,
        answered=len(answers),
        total_items=total,
        parameters=dict(parameters),
    )
    disagreement = (
        f"from_sums of the terms gives {summed!r}, but calling the scorer gives "
        f"{first!r}; the engine uses from_sums"
    )
    assert _close(summed, first), disagreement
