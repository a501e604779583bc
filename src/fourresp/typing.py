"""Public protocols and types for extending fourresp.

A scorer plugin implements :class:`Scorer`; register it with
:func:`fourresp.assessment.register_scorer` or through the ``fourresp.scorers``
entry-point group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

__all__ = ["KeyedAnswer", "Scorer", "ScorerOutput"]


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
