"""What scoring gives: a result per response, with scores per responsibility and aspect."""

from __future__ import annotations

from operator import attrgetter
from typing import Literal

import attrs

from fourresp._lookup import find

__all__ = [
    "AspectResult",
    "BandRef",
    "Highlight",
    "ResponsibilityResult",
    "Result",
    "Score",
]


@attrs.frozen(kw_only=True)
class BandRef:
    """The band a score fell in: its id and name."""

    id: str
    name: str


@attrs.frozen(kw_only=True)
class Score:
    """The scores of one group of items (an aspect, a responsibility, or all).

    ``raw`` is the (prorated) sum of keyed answers, ``mean`` their mean on the scale,
    ``percent`` the percent of the maximum possible (0-100), ``value`` the
    scorer's own figure, and ``band`` where ``percent`` falls. When fewer than the
    policy's fraction of items were answered, ``status`` is ``"insufficient"`` and
    the figures are None.
    """

    status: Literal["scored", "insufficient"]
    answered: int
    missing: int
    raw: float | None = None
    mean: float | None = None
    percent: float | None = None
    value: float | None = None
    band: BandRef | None = None


@attrs.frozen(kw_only=True)
class AspectResult:
    """The score of one aspect.

    ``items`` is the number of its items that were answered; an aspect is a
    strength or an area to improve only on two answered items or more.
    """

    aspect: str
    title: str
    responsibility: str
    items: int
    score: Score


@attrs.frozen(kw_only=True)
class ResponsibilityResult:
    """The score of one responsibility and the feedback of the band it fell in."""

    responsibility: str
    title: str
    score: Score
    doing_well: str | None = None
    to_improve: str | None = None


@attrs.frozen(kw_only=True)
class Highlight:
    """A strength or an area to improve: the aspect, its percent and the advice."""

    aspect: str
    title: str
    responsibility: str
    percent: float
    advice: str


@attrs.frozen(kw_only=True)
class Result:
    """What a questionnaire says about one response: overall, per responsibility, per aspect."""

    questionnaire: str
    version: str
    scorer: str
    overall: Score
    responsibilities: tuple[ResponsibilityResult, ...]
    aspects: tuple[AspectResult, ...]
    strengths: tuple[Highlight, ...]
    improvements: tuple[Highlight, ...]
    overall_doing_well: str | None = None
    overall_to_improve: str | None = None
    respondent: str | None = None

    def responsibility(self, responsibility_id: str) -> ResponsibilityResult:
        """The result for one responsibility."""
        return find(
            self.responsibilities,
            responsibility_id,
            lambda: f"no result for responsibility {responsibility_id!r}",
            key=attrgetter("responsibility"),
        )

    def aspect(self, aspect_id: str) -> AspectResult:
        """The result for one aspect."""
        return find(
            self.aspects,
            aspect_id,
            lambda: f"no result for aspect {aspect_id!r}",
            key=attrgetter("aspect"),
        )
