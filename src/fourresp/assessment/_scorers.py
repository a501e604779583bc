"""Scorers: the built-ins, a registry, and discovery through the ``fourresp.scorers`` entry points.

A registry maps names to scorers. Built-ins are registered first; third-party
scorers are found through the ``fourresp.scorers`` entry-point group the first
time a name is not found (or the names are listed), and loaded only then. A
name claimed twice is an error, never a silent override.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from fourresp.assessment._protocols import AdditiveScorer, KeyedAnswer, Scorer, ScorerOutput
from fourresp.errors import ArgumentError, NotFoundError

__all__ = [
    "ENTRY_POINT_GROUP",
    "ScorerRegistry",
    "default_registry",
    "register_scorer",
]

ENTRY_POINT_GROUP = "fourresp.scorers"
S = TypeVar("S", bound=Callable[..., ScorerOutput])


def _clamped(percent: float) -> float:
    return min(100.0, max(0.0, percent))


class _BuiltIn(AdditiveScorer):
    """A built-in scorer: none of them reads the questionnaire's scoring parameters."""

    def from_sums(
        self,
        sums: tuple[float, ...],
        *,
        answered: int,
        total_items: int,
        parameters: Mapping[str, Any],
    ) -> ScorerOutput:
        return self.output(sums, answered, total_items)

    def output(self, sums: tuple[float, ...], answered: int, total_items: int) -> ScorerOutput:
        raise NotImplementedError


class _SumScorer(_BuiltIn):
    """The sum of keyed answers, prorated to all the group's items; percent of maximum possible."""

    def terms(self, answer: KeyedAnswer) -> tuple[float, ...]:
        return (answer.keyed, answer.keyed - answer.minimum, answer.maximum - answer.minimum)

    def output(self, sums: tuple[float, ...], answered: int, total_items: int) -> ScorerOutput:
        keyed, above_minimum, spans = sums
        return ScorerOutput(
            value=keyed * total_items / answered, percent=_clamped(100.0 * above_minimum / spans)
        )


class _MeanScorer(_BuiltIn):
    """The mean keyed answer on the scale; percent is each answer's position, averaged."""

    def terms(self, answer: KeyedAnswer) -> tuple[float, ...]:
        return (answer.keyed, (answer.keyed - answer.minimum) / (answer.maximum - answer.minimum))

    def output(self, sums: tuple[float, ...], answered: int, total_items: int) -> ScorerOutput:
        keyed, positions = sums
        return ScorerOutput(value=keyed / answered, percent=_clamped(100.0 * positions / answered))


class _PercentScorer(_BuiltIn):
    """Percent of maximum possible (POMP), unweighted: 0 at all-minimum, 100 at all-maximum."""

    def terms(self, answer: KeyedAnswer) -> tuple[float, ...]:
        return (answer.keyed - answer.minimum, answer.maximum - answer.minimum)

    def output(self, sums: tuple[float, ...], answered: int, total_items: int) -> ScorerOutput:
        above_minimum, spans = sums
        percent = _clamped(100.0 * above_minimum / spans)
        return ScorerOutput(value=percent, percent=percent)


class _WeightedMeanScorer(_BuiltIn):
    """The weighted mean keyed answer; percent is the weighted percent of maximum possible."""

    def terms(self, answer: KeyedAnswer) -> tuple[float, ...]:
        weight = answer.weight
        return (
            weight,
            weight * answer.keyed,
            weight * (answer.keyed - answer.minimum),
            weight * (answer.maximum - answer.minimum),
        )

    def output(self, sums: tuple[float, ...], answered: int, total_items: int) -> ScorerOutput:
        weights, keyed, above_minimum, spans = sums
        return ScorerOutput(value=keyed / weights, percent=_clamped(100.0 * above_minimum / spans))


score_sum: Scorer = _SumScorer()
score_mean: Scorer = _MeanScorer()
score_percent: Scorer = _PercentScorer()
score_weighted_mean: Scorer = _WeightedMeanScorer()


_BUILT_INS: dict[str, Scorer] = {
    "sum": score_sum,
    "mean": score_mean,
    "percent": score_percent,
    "weighted-mean": score_weighted_mean,
}


class ScorerRegistry:
    """Scorers by name. Pass one to :func:`~fourresp.assessment.score` to control what is used.

    ``ScorerRegistry()`` starts with the built-ins (``sum``, ``mean``, ``percent``,
    ``weighted-mean``); ``discover=True`` also looks in the ``fourresp.scorers``
    entry-point group when a name is not found.
    """

    def __init__(self, *, built_ins: bool = True, discover: bool = False) -> None:
        self._scorers: dict[str, Scorer] = dict(_BUILT_INS) if built_ins else {}
        self._discover = discover
        self._discovered = False

    def register(self, name: str, scorer: Scorer) -> None:
        """Add ``scorer`` under ``name``.

        Raises :class:`~fourresp.errors.ArgumentError` when the name is taken or bad.
        """
        if not isinstance(name, str) or not name or name != name.strip():
            raise ArgumentError(f"a scorer name must be a non-empty string, not {name!r}")
        if not callable(scorer):
            raise ArgumentError(f"scorer {name!r} is not callable")
        if name in self._scorers and self._scorers[name] is not scorer:
            raise ArgumentError(f"a scorer called {name!r} is already registered")
        self._scorers[name] = scorer

    def scorer(self, name: str) -> Callable[[S], S]:
        """A decorator that registers the decorated function under ``name``."""

        def decorate(function: S) -> S:
            self.register(name, function)
            return function

        return decorate

    def _load_entry_points(self) -> None:
        if not self._discover or self._discovered:
            return
        self._discovered = True
        # Imported here: importlib.metadata costs more to import than the whole
        # assessment package, and only discovery needs it.
        from importlib.metadata import entry_points

        for entry in entry_points(group=ENTRY_POINT_GROUP):
            if entry.name in self._scorers:
                continue
            try:
                loaded = entry.load()
            except Exception as exc:
                raise ArgumentError(
                    f"scorer plugin {entry.name!r} ({entry.value}) failed to load: {exc}"
                ) from exc
            self.register(entry.name, loaded)

    def get(self, name: str) -> Scorer:
        """The scorer called ``name``; :class:`~fourresp.errors.NotFoundError` if none is."""
        found = self._scorers.get(name)
        if found is None:
            self._load_entry_points()
            found = self._scorers.get(name)
        if found is None:
            raise NotFoundError(f"no scorer called {name!r}; known: {', '.join(self.names())}")
        return found

    def names(self) -> tuple[str, ...]:
        """Every scorer's name, sorted (entry points included when discovery is on)."""
        self._load_entry_points()
        return tuple(sorted(self._scorers))

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        try:
            self.get(name)
        except NotFoundError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


_DEFAULT: ScorerRegistry | None = None


def default_registry() -> ScorerRegistry:
    """The process-wide registry: built-ins plus the ``fourresp.scorers`` entry points."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ScorerRegistry(discover=True)
    return _DEFAULT


def register_scorer(name: str) -> Callable[[S], S]:
    """Register the decorated function as a scorer in the default registry.

    >>> from fourresp.assessment import register_scorer
    >>> from fourresp.assessment._protocols import ScorerOutput
    >>> @register_scorer("lowest-answer")
    ... def lowest(answers, *, total_items, parameters):
    ...     worst = min((a.keyed - a.minimum) / (a.maximum - a.minimum) for a in answers)
    ...     return ScorerOutput(value=worst, percent=100 * worst)
    """
    return default_registry().scorer(name)
