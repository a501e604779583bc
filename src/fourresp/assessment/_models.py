"""Questionnaire, response and result models.

Frozen, keyword-only attrs classes, loaded through the one loader
(:func:`fourresp.load`) and round-tripped by :func:`fourresp.to_document`.
"""

from __future__ import annotations

import math
from collections.abc import ItemsView, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from fourresp._load import DocumentKind
from fourresp._lookup import find
from fourresp.assessment._results import (
    AspectResult,
    BandRef,
    Highlight,
    ResponsibilityResult,
    Result,
    Score,
)
from fourresp.errors import ArgumentError, Problem

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "QUESTIONNAIRE_KIND",
    "RESPONSE_KIND",
    "RESULT_KIND",
    "Answers",
    "AspectFeedback",
    "AspectResult",
    "Band",
    "BandRef",
    "BandSet",
    "Cutoffs",
    "Highlight",
    "Highlights",
    "Item",
    "MissingPolicy",
    "Questionnaire",
    "Reference",
    "Response",
    "ResponsibilityResult",
    "Result",
    "Scale",
    "ScaleLabel",
    "Score",
    "Scoring",
    "assessment_hooks",
]

Number = int | float


@attrs.frozen(kw_only=True)
class ScaleLabel:
    """The label of one point on a scale (``1`` -> ``"Never"``)."""

    value: Number
    label: str


@attrs.frozen(kw_only=True)
class Scale:
    """An answer scale: ``min`` to ``max`` in steps of ``step``, a label for each point."""

    min: Number
    max: Number
    step: Number = 1
    labels: tuple[ScaleLabel, ...] = ()

    @property
    def points(self) -> tuple[Number, ...]:
        """Every allowed value, lowest first."""
        return tuple(_tidy(self.min + index * self.step) for index in range(self.point_count))

    @property
    def point_count(self) -> int:
        """How many values the scale allows."""
        return round((self.max - self.min) / self.step) + 1

    def label_for(self, value: Number) -> str | None:
        """The label of ``value``, or None when the point has none."""
        for item in self.labels:
            if math.isclose(item.value, value, abs_tol=1e-9):
                return item.label
        return None

    def allows(self, value: Number) -> bool:
        """True when ``value`` is on the scale and on a step."""
        if value < self.min - 1e-9 or value > self.max + 1e-9:
            return False
        steps = (value - self.min) / self.step
        return math.isclose(steps, round(steps), abs_tol=1e-9)


def _tidy(value: float) -> Number:
    rounded = round(value, 9)
    return int(rounded) if float(rounded).is_integer() else rounded


@attrs.frozen(kw_only=True)
class Item:
    """One statement the respondent rates, measuring one aspect.

    ``reverse`` items are keyed ``min + max - answer``: agreeing with them is the
    weaker practice. ``weight`` (> 0) counts in weighted scorers. ``scale``
    overrides the questionnaire's scale for this item.
    """

    id: str
    text: str
    aspect: str
    reverse: bool = False
    weight: float = 1.0
    scale: Scale | None = None


@attrs.frozen(kw_only=True)
class Reference:
    """A public source behind a piece of advice: a book, an article, a model.

    ``year`` is the year of the edition cited; ``url`` is a stable address, given
    only where one is known (a DOI link, the author's own page).
    """

    title: str
    author: str
    year: int | None = None
    url: str | None = None

    def citation(self) -> str:
        """One line for people: ``Author (year), Title``, then the address if there is one.

        >>> Reference(title="Map It", author="Cathy Moore", year=2017).citation()
        'Cathy Moore (2017), Map It'
        """
        year = f" ({self.year})" if self.year is not None else ""
        address = f", {self.url}" if self.url is not None else ""
        return f"{self.author}{year}, {self.title}{address}"


@attrs.frozen(kw_only=True)
class Band:
    """A named range of percent scores, ``from_`` inclusive to ``to`` exclusive (100 included).

    ``doing_well`` describes the practice a score in the band reflects;
    ``to_improve`` is one concrete next step; ``references`` are public sources
    that help with that step.
    """

    id: str
    name: str
    from_: float
    to: float
    doing_well: str
    to_improve: str
    references: tuple[Reference, ...] = ()

    def contains(self, percent: float) -> bool:
        """True when ``percent`` falls in this band."""
        return self.from_ <= percent < self.to or (self.to == 100 and percent == 100)


@attrs.frozen(kw_only=True)
class BandSet:
    """The bands of one group: ``"overall"`` or a responsibility id.

    In documents, ``bands`` is a mapping from group to its list of bands.
    """

    group: str
    bands: tuple[Band, ...]


@attrs.frozen(kw_only=True)
class AspectFeedback:
    """Advice for one aspect: what to say when it is a strength, and when it is not.

    ``to_improve`` is one concrete next step; ``references`` are public sources
    that help with it.
    """

    aspect: str
    doing_well: str
    to_improve: str
    references: tuple[Reference, ...] = ()


@attrs.frozen(kw_only=True)
class Cutoffs:
    """How far the bands' cut-offs can be trusted.

    ``provisional`` cut-offs were set by judgement, not from pilot data; ``note``
    says how they were set and what would firm them up. Reports show the note.
    """

    provisional: bool = False
    note: str | None = None


@attrs.frozen(kw_only=True)
class Scoring:
    """Which scorer turns answers into scores, and its parameters."""

    scorer: str = "percent"
    parameters: Mapping[str, Any] = attrs.field(factory=dict, eq=False, hash=False)


@attrs.frozen(kw_only=True)
class MissingPolicy:
    """What skipped answers do to a score.

    A group (aspect, responsibility, overall) is scored when at least
    ``min_answered_fraction`` of its items were answered, prorated from the answers
    given; below that it reports "not enough answers" and has no score or band.
    """

    min_answered_fraction: float = 0.75


@attrs.frozen(kw_only=True)
class Highlights:
    """How strengths and areas to improve are chosen among aspects."""

    count: int = 3
    strength_from: float = 75.0
    improve_below: float = 60.0


@attrs.frozen(kw_only=True)
class Questionnaire:
    """A self-assessment questionnaire: items on aspects, a scale, scoring, bands and feedback.

    ``bands`` holds the overall bands under ``"overall"`` and each responsibility's
    under its id; ``cutoffs`` says whether their cut-offs are provisional.
    """

    id: str
    version: str
    framework: str
    title: str
    introduction: str
    instructions: str
    scale: Scale
    items: tuple[Item, ...]
    bands: tuple[BandSet, ...] = ()
    aspect_feedback: tuple[AspectFeedback, ...] = ()
    scoring: Scoring = Scoring()
    missing: MissingPolicy = MissingPolicy()
    highlights: Highlights = Highlights()
    cutoffs: Cutoffs = Cutoffs()

    def item(self, item_id: str) -> Item:
        """The item with ``item_id``; :class:`~fourresp.errors.NotFoundError` if absent."""
        return find(
            self.items, item_id, lambda: f"questionnaire {self.id!r} has no item {item_id!r}"
        )

    def scale_of(self, item: Item) -> Scale:
        """The scale that applies to ``item``."""
        return item.scale if item.scale is not None else self.scale

    def bands_for(self, group: str) -> tuple[Band, ...]:
        """The bands of ``group`` (a responsibility id or ``"overall"``), or ()."""
        for band_set in self.bands:
            if band_set.group == group:
                return band_set.bands
        return ()

    def feedback_for(self, aspect_id: str) -> AspectFeedback | None:
        """The advice for ``aspect_id``, if the questionnaire has some."""
        for feedback in self.aspect_feedback:
            if feedback.aspect == aspect_id:
                return feedback
        return None


class Answers(Mapping[str, Number | None]):
    """Answers by item id; ``None`` means the item was skipped. Immutable and hashable.

    Keeps the order the answers were given in; equal to any mapping with the same
    answers, whatever their order.

    >>> from fourresp.assessment import Answers
    >>> answers = Answers({"q1": 4, "q2": None})
    >>> answers["q1"], list(answers), answers == {"q2": None, "q1": 4}
    (4, ['q1', 'q2'], True)
    """

    __slots__ = ("_by_item", "_hash")

    def __init__(
        self,
        answers: Mapping[str, Number | None] | Iterable[tuple[str, Number | None]] = (),
    ) -> None:
        self._by_item: dict[str, Number | None] = dict(answers)
        self._hash: int | None = None

    @classmethod
    def of(cls, answers: Mapping[str, Number | None] | Answers) -> Answers:
        """Answers from any mapping of item id to value (or None for skipped)."""
        if answers.__class__ is cls:
            return answers
        return cls(answers)

    @property
    def pairs(self) -> tuple[tuple[str, Number | None], ...]:
        """The (item id, answer) pairs in the order they were given."""
        return tuple(self._by_item.items())

    def items(self) -> ItemsView[str, Number | None]:
        """The (item id, answer) pairs in the order they were given, as a view."""
        return self._by_item.items()

    def __getitem__(self, key: str) -> Number | None:
        return self._by_item[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_item

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_item)

    def __len__(self) -> int:
        return len(self._by_item)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Answers):
            return self._by_item == other._by_item
        if isinstance(other, Mapping):
            return self._by_item == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._by_item.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"Answers({self._by_item!r})"


def _answers(value: Mapping[str, Number | None] | Answers) -> Answers:
    if value.__class__ is Answers:
        return Answers.of(value)
    if not isinstance(value, Mapping):
        raise ArgumentError(
            f"answers are a mapping of item id to a number or None, not {type(value).__name__}"
        )
    for key in value:  # a key that is not text could not even be named in a problem
        if not isinstance(key, str):
            raise ArgumentError(f"answers are keyed by item id (text), not {key!r}")
    return Answers.of(value)


@attrs.frozen(kw_only=True)
class Response:
    """One person's answers to one questionnaire (id and version must match it)."""

    questionnaire: str
    version: str
    answers: Answers = attrs.field(converter=_answers)
    respondent: str | None = None
    started_at: str | None = None
    completed_at: str | None = None


# -- checks the schema cannot make ----------------------------------------------------


# A rating scale has a handful of points; 0 to 100 in steps of 1 is the widest use.
# The engine keeps a lookup entry per item and point, so a scale of a billion
# points would exhaust memory long before anyone answered it.
MAX_SCALE_POINTS = 101
# Points over all items together (10,000 items of five points, say).
MAX_ANSWER_POINTS = 100_000


def _scale_findings(scale: Scale, path: tuple[str | int, ...]) -> Iterator[Problem]:
    if scale.max <= scale.min:
        yield Problem(parts=(*path, "max"), code="bad-scale", message="max must be above min")
        return
    steps = (scale.max - scale.min) / scale.step
    if not math.isfinite(steps) or steps > MAX_SCALE_POINTS - 1 + 1e-9:
        yield Problem(
            parts=(*path, "step"),
            code="bad-scale",
            message=f"{scale.min}..{scale.max} in steps of {scale.step} makes more than "
            f"{MAX_SCALE_POINTS} points, the most a scale may have",
        )
        return
    if not math.isclose(steps, round(steps), abs_tol=1e-9):
        yield Problem(
            parts=(*path, "step"),
            code="bad-scale",
            message=f"the step {scale.step} does not divide {scale.min}..{scale.max} evenly",
        )
    for index, label in enumerate(scale.labels):
        if not scale.allows(label.value):
            yield Problem(
                parts=(*path, "labels", index, "value"),
                code="bad-scale",
                message=f"label value {label.value} is not a point of the scale",
            )


def _band_findings(bands: tuple[Band, ...], path: tuple[str | int, ...]) -> Iterator[Problem]:
    ordered = sorted(enumerate(bands), key=lambda pair: pair[1].from_)
    expected = 0.0
    for index, band in ordered:
        where = (*path, index)
        if band.to <= band.from_:
            yield Problem(
                parts=(*where, "to"), code="band-range", message="'to' must be above 'from'"
            )
        if band.from_ > expected:
            yield Problem(
                parts=(*where, "from"),
                code="band-gap",
                message=f"a score from {expected:g} to {band.from_:g} falls in no band",
            )
        elif band.from_ < expected:
            yield Problem(
                parts=(*where, "from"),
                code="band-overlap",
                message=f"band {band.id!r} starts at {band.from_:g}, inside the band before it "
                f"(which ends at {expected:g})",
            )
        expected = max(expected, band.to)
    if bands and expected != 100:
        yield Problem(
            parts=path, code="band-gap", message=f"scores from {expected:g} to 100 fall in no band"
        )


def scale_findings(questionnaire: Questionnaire) -> list[Problem]:
    """What is wrong with the questionnaire's scales, their points included (the
    engine refuses to plan for a questionnaire with any of these)."""
    found = list(_scale_findings(questionnaire.scale, ("scale",)))
    for index, item in enumerate(questionnaire.items):
        if item.scale is not None:
            found += _scale_findings(item.scale, ("items", index, "scale"))
    if found:
        return found
    points = sum(questionnaire.scale_of(item).point_count for item in questionnaire.items)
    if points > MAX_ANSWER_POINTS:
        found.append(
            Problem(
                parts=("items",),
                code="too-large",
                message=f"the items' scales have {points:,} points in all; the most is "
                f"{MAX_ANSWER_POINTS:,} (fewer items, or scales with fewer points)",
            )
        )
    return found


def questionnaire_findings(
    questionnaire: Questionnaire, framework: Any = None
) -> Iterator[Problem]:
    """Every cross-reference problem in a questionnaire (see docs/assessment.md)."""
    from fourresp.content import load_framework

    yield from scale_findings(questionnaire)
    if framework is None:
        default = load_framework()
        framework = default if default.id == questionnaire.framework else None
    known_aspects = {aspect.id for aspect in framework.aspects} if framework is not None else None
    seen: dict[str, int] = {}
    for index, item in enumerate(questionnaire.items):
        if item.id in seen:
            yield Problem(
                parts=("items", index, "id"),
                code="duplicate-id",
                message=f"item id {item.id!r} is already used",
                first=("items", seen[item.id], "id"),
            )
        else:
            seen[item.id] = index
        if known_aspects is not None and item.aspect not in known_aspects:
            yield Problem(
                parts=("items", index, "aspect"),
                code="unknown-aspect",
                message=f"aspect {item.aspect!r} is not in framework {framework.id!r}",
            )
    for band_set in questionnaire.bands:
        group, bands = band_set.group, band_set.bands
        if framework is not None and group != "overall" and group not in {r.id for r in framework}:
            yield Problem(
                parts=("bands", group),
                code="unknown-responsibility",
                message=f"{group!r} is neither 'overall' nor a responsibility of {framework.id!r}",
            )
        yield from _band_findings(tuple(bands), ("bands", group))
    for index, feedback in enumerate(questionnaire.aspect_feedback):
        if known_aspects is not None and feedback.aspect not in known_aspects:
            yield Problem(
                parts=("aspect_feedback", index, "aspect"),
                code="unknown-aspect",
                message=f"aspect {feedback.aspect!r} is not in framework {framework.id!r}",
            )
    # The scorer is not looked up here: it is resolved when scoring, from the
    # registry the caller passes, so a questionnaire may name an app's own scorer.


def assessment_hooks(converter: cattrs.Converter) -> None:
    """The hooks the assessment models need on ``converter`` (a hook set for ``make_converter``).

    A band's ``from`` key is the ``from_`` field; answers are a mapping; a
    questionnaire's band sets are a mapping from group to bands.
    """
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    converter.register_structure_hook(
        Band, make_dict_structure_fn(Band, converter, from_=override(rename="from"))
    )
    converter.register_unstructure_hook(
        Band,
        make_dict_unstructure_fn(Band, converter, from_=override(rename="from")),
    )
    converter.register_structure_hook(
        Answers, lambda data, _: Answers((str(k), v) for k, v in data.items())
    )
    converter.register_unstructure_hook(Answers, lambda answers: dict(answers.items()))

    def structure_band_sets(data: Any, _: Any) -> tuple[BandSet, ...]:
        return tuple(
            BandSet(group=group, bands=converter.structure(bands, tuple[Band, ...]))
            for group, bands in data.items()
        )

    band_sets = tuple[BandSet, ...]
    converter.register_structure_hook_func(lambda t: t == band_sets, structure_band_sets)
    converter.register_unstructure_hook_func(
        lambda t: t == band_sets,
        lambda sets: {s.group: [converter.unstructure(b, Band) for b in s.bands] for s in sets},
    )


QUESTIONNAIRE_KIND = DocumentKind(
    name="questionnaire",
    schema="questionnaire",
    model=Questionnaire,
    summary="a self-assessment questionnaire: items, scale, scoring, bands and feedback",
    checks=questionnaire_findings,
    hooks=(assessment_hooks,),
)
RESPONSE_KIND = DocumentKind(
    name="response",
    schema="response",
    model=Response,
    summary="one person's answers to a questionnaire",
    hooks=(assessment_hooks,),
)
RESULT_KIND = DocumentKind(
    name="result",
    schema="result",
    model=Result,
    summary="the scores, bands and feedback for one response",
    hooks=(assessment_hooks,),
)
