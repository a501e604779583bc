"""The scorer plugin protocols, owned by the assessment package.

A scorer plugin implements :class:`Scorer` (or, better for large batches,
:class:`AdditiveScorer`); register it with
:func:`fourresp.assessment.register_scorer` or through the ``fourresp.scorers``
entry-point group.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

__all__ = ["AdditiveScorer", "KeyedAnswer", "Scorer", "ScorerOutput"]


@attrs.frozen(kw_only=True)
class KeyedAnswer:
    """One answered item, ready to score.

    ``keyed`` is the answer after reverse keying (``minimum + maximum - answer`` for
    reversed items), so a higher ``keyed`` always means better practice.
    """

    item: str
    keyed: float
    minimum: float
    maximum: float
    weight: float = 1.0


@attrs.frozen(kw_only=True)
class ScorerOutput:
    """What a scorer says of a group of answers.

    ``value`` is in the scorer's own units (a sum, a mean...); ``percent`` (0 to
    100) is what bands, strengths and charts use.
    """

    value: float
    percent: float


@runtime_checkable
class Scorer(Protocol):
    """Turns a group's keyed answers into a score.

    ``total_items`` counts the group's items, answered or not, so a scorer can
    prorate. ``answers`` is never empty. ``parameters`` are the questionnaire's
    ``scoring.parameters``. A scorer must be pure: same input, same output.
    """

    def __call__(
        self,
        answers: Sequence[KeyedAnswer],
        *,
        total_items: int,
        parameters: Mapping[str, Any],
    ) -> ScorerOutput: ...


@runtime_checkable
class AdditiveScorer(Protocol):
    """A scorer whose output depends only on the sums of per-answer terms.

    ``terms(answer)`` is one answer's contribution: a tuple of finite floats, the
    same length for every answer. ``from_sums`` turns the sums of a group's terms
    (each a correctly rounded :func:`math.fsum`) into the group's output. The engine
    then keeps each group's sums and works out the overall from the sums of the
    responsibilities instead of reading every answer again, and remembers outcomes
    by sums, which is what makes scoring large batches fast.

    Subclass it to inherit ``__call__``, which scores a list of answers from the
    sums of their terms, so the scorer works anywhere a :class:`Scorer` does:

    >>> from fourresp.assessment import AdditiveScorer, KeyedAnswer, ScorerOutput
    >>> class HighAnswers(AdditiveScorer):
    ...     # the percent of answers in the top half of their scale
    ...     def terms(self, answer):
    ...         middle = (answer.minimum + answer.maximum) / 2
    ...         return (1.0 if answer.keyed > middle else 0.0,)
    ...     def from_sums(self, sums, *, answered, total_items, parameters):
    ...         return ScorerOutput(value=sums[0], percent=100 * sums[0] / answered)
    >>> answers = [KeyedAnswer(item=str(n), keyed=n, minimum=1, maximum=5) for n in (1, 4, 5)]
    >>> HighAnswers()(answers, total_items=3, parameters={}).value
    2.0

    The overall's sums are the sums of its responsibilities' sums: exact when the
    terms are whole numbers, halves, quarters and so on (as with the default
    questionnaire), and otherwise within rounding of summing every answer at once.
    """

    def terms(self, answer: KeyedAnswer) -> tuple[float, ...]: ...

    def from_sums(
        self,
        sums: tuple[float, ...],
        *,
        answered: int,
        total_items: int,
        parameters: Mapping[str, Any],
    ) -> ScorerOutput: ...

    def __call__(
        self,
        answers: Sequence[KeyedAnswer],
        *,
        total_items: int,
        parameters: Mapping[str, Any],
    ) -> ScorerOutput:
        """Score ``answers`` from the sums of their terms, as the engine does."""
        sums = tuple(math.fsum(column) for column in zip(*map(self.terms, answers), strict=True))
        return self.from_sums(
            sums, answered=len(answers), total_items=total_items, parameters=parameters
        )
