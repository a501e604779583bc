"""The scoring engine: check a response, key it, aggregate aspect -> responsibility -> overall.

Sums use :func:`math.fsum`, which is correctly rounded, so no score depends on
the order of the items or of the answers.

Everything that does not depend on a response (item lookup, the keyed value of
every scale point, the groups, blocks and bands) is worked out once per
questionnaire, framework and scorer in a :class:`_Plan`. Scorers are pure, so
outcomes can be remembered in small bounded memos:

- any scorer: each responsibility's outcome is remembered by its answer codes,
  and the overall is scored from every answer;
- an :class:`~fourresp.typing.AdditiveScorer` (the built-ins are): the
  responsibility's aspects are cut into blocks with few answer combinations,
  each block's outcome is remembered by its codes, and every group's score is
  remembered by its totals, which add up from blocks to responsibilities to the
  overall. Whatever the answers, a warm plan reads each answer once and scores
  nothing again.
"""

from __future__ import annotations

import math
import operator
import threading
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, NoReturn

from fourresp._paths import format_path
from fourresp.assessment._models import (
    AspectResult,
    Band,
    BandRef,
    Highlight,
    Questionnaire,
    Response,
    ResponsibilityResult,
    Result,
    Score,
    scale_findings,
)
from fourresp.assessment._scorers import ScorerRegistry, default_registry
from fourresp.content import Framework, Responsibility, load_framework
from fourresp.errors import ArgumentError, DocumentError, Problem
from fourresp.typing import AdditiveScorer, KeyedAnswer, Scorer, ScorerOutput

__all__ = ["check_response", "score"]


def _problem(code: str, message: str, *path: str | int) -> Problem:
    return Problem(code=code, message=message, path=format_path(path))


def check_response(questionnaire: Questionnaire, response: Response) -> tuple[Problem, ...]:
    """Every way ``response`` does not fit ``questionnaire``, by item id; () when it fits."""
    problems: list[Problem] = []
    if response.questionnaire != questionnaire.id:
        problems.append(
            _problem(
                "wrong-questionnaire",
                f"the response is to questionnaire {response.questionnaire!r}, "
                f"not {questionnaire.id!r}",
                "questionnaire",
            )
        )
    if response.version != questionnaire.version:
        problems.append(
            _problem(
                "wrong-version",
                f"the response is to version {response.version!r} of the questionnaire; "
                f"this is version {questionnaire.version!r}",
                "version",
            )
        )
    items = {item.id: item for item in questionnaire.items}
    for item_id, value in response.answers.items():
        item = items.get(item_id)
        if item is None:
            problems.append(
                _problem(
                    "unknown-item",
                    f"item {item_id!r} is not in the questionnaire",
                    "answers",
                    item_id,
                )
            )
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(
                _problem(
                    "not-a-number",
                    f"item {item_id!r}: expected a number on the scale, "
                    f"found {type(value).__name__}",
                    "answers",
                    item_id,
                )
            )
            continue
        scale = questionnaire.scale_of(item)
        if not math.isfinite(value) or value < scale.min or value > scale.max:
            problems.append(
                _problem(
                    "off-scale",
                    f"item {item_id!r}: {value!r} is off the scale {scale.min}..{scale.max}",
                    "answers",
                    item_id,
                )
            )
        elif not scale.allows(value):
            problems.append(
                _problem(
                    "off-step",
                    f"item {item_id!r}: {value!r} is not a step of the scale "
                    f"(steps of {scale.step} "
                    f"from {scale.min})",
                    "answers",
                    item_id,
                )
            )
    return tuple(problems)


_MEMO_LIMIT = 8192
_BLOCK_COMBINATIONS = 4096  # so a block's memo can hold every combination it meets
_PLAN_LIMIT = 32

# A group's totals: (answered items, sum of keyed answers, *sums of the scorer's terms),
# as a tuple of floats or packed into one integer (see _PackedTotals).
Totals = int | tuple[float, ...]
_Key = tuple[float, int, Highlight]


def _column_sums(rows: list[tuple[float, ...]]) -> tuple[float, ...]:
    """The correctly rounded sum of each column of ``rows`` (all of one width)."""
    return tuple(map(math.fsum, zip(*rows, strict=True)))


class _FloatTotals:
    """Totals as tuples of floats, added column by column with :func:`math.fsum`."""

    @staticmethod
    def combine(rows: list[Any]) -> Any:
        return _column_sums(rows)

    @staticmethod
    def unpack(totals: Any) -> tuple[float, ...]:
        return tuple(totals)


class _PackedTotals:
    """Totals packed into one integer, a field of ``width`` bits per column.

    When every term is a whole multiple of ``2 ** -fraction_bits`` (whole numbers,
    halves, quarters...), scaling makes them integers, and integer sums are exact.
    Fields are wide enough that no sum of a whole questionnaire's answers can
    overflow into its neighbour, even negative ones (Python integers are signed
    and unbounded), so adding two packed totals adds every column at once and a
    packed total is a cheap, exact memo key.
    """

    def __init__(self, fraction_bits: int, width: int, columns: int) -> None:
        self.combine: Callable[[list[Any]], Any] = sum
        self.scale = 2**fraction_bits
        self.width = width
        self.columns = columns

    @classmethod
    def fitting(cls, rows: list[list[tuple[float, ...]]]) -> _PackedTotals | None:
        """A packing for these per-position vectors, or None when their terms are not dyadic."""
        values = [value for row in rows for vector in row for value in vector]
        columns = len(rows[0][0]) if rows and rows[0] else 0
        for fraction_bits in range(33):
            scale = 2**fraction_bits
            if all((value * scale).is_integer() for value in values):
                break
        else:
            return None
        bound = sum(max(abs(value) for vector in row for value in vector) for row in rows)
        width = int(bound * scale).bit_length() + 2  # room for the sign and a margin
        return cls(fraction_bits, width, columns)

    def pack(self, vector: tuple[float, ...]) -> int:
        packed = 0
        for column, value in enumerate(vector):
            packed += int(value * self.scale) << (column * self.width)
        return packed

    def unpack(self, packed: Any) -> tuple[float, ...]:
        fields = []
        size = 1 << self.width
        for _ in range(self.columns):
            field = packed & (size - 1)
            if field >= size >> 1:
                field -= size
            fields.append(field / self.scale)
            packed = (packed - field) >> self.width
        return tuple(fields)


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    """Put ``value`` in a bounded memo, which simply starts again when full."""
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value


class _AspectOutcome:
    """An aspect's result and totals, and the keys that rank it among strengths or weaknesses.

    ``best`` holds the aspect's strength key only when its percent reaches the
    strength threshold, ``worst`` its weakness key only when the percent is under
    the threshold for improving (each a tuple of 0 or 1 key). A key is a (percent,
    framework order, highlight) tuple, so plain ``sorted()`` ranks aspects with no
    Python-level key function and ties keep the framework's order. ``totals`` is ()
    unless the scorer is additive.
    """

    __slots__ = ("best", "result", "totals", "worst")

    def __init__(
        self,
        result: AspectResult,
        totals: Totals,
        best: tuple[_Key, ...],
        worst: tuple[_Key, ...],
    ) -> None:
        self.result = result
        self.totals = totals
        self.best = best
        self.worst = worst


class _ResponsibilityOutcome:
    """A responsibility's result with its aspects' results and ranking keys, ready to merge."""

    __slots__ = ("aspects", "best", "insufficient", "result", "worst")

    def __init__(
        self,
        result: ResponsibilityResult,
        aspects: list[AspectResult],
        best: list[_Key],
        worst: list[_Key],
    ) -> None:
        self.result = result
        self.insufficient = result.score.status == "insufficient"
        self.aspects = aspects
        self.best = best
        self.worst = worst


class _Group:
    """One group of item positions (an aspect, a responsibility, or all) and its memos.

    Scorers are pure, so a group's outcome depends only on its items' answer codes
    (``memo``); with an additive scorer, its score depends only on its totals
    (``scores``).
    """

    __slots__ = ("bands", "codes_of", "keyed", "memo", "name", "positions", "scores", "vectors")

    def __init__(
        self,
        name: str,
        positions: tuple[int, ...],
        bands: tuple[Band, ...],
        keyed: list[tuple[KeyedAnswer | None, ...]],
        vectors: list[tuple[Totals, ...]] | None,
    ) -> None:
        self.name = name
        self.positions = positions
        self.bands = tuple((band, BandRef(id=band.id, name=band.name)) for band in bands)
        self.codes_of = operator.itemgetter(*positions)
        self.keyed = [keyed[p] for p in positions]
        self.vectors = None if vectors is None else [vectors[p] for p in positions]
        self.memo: dict[Any, Any] = {}
        self.scores: dict[Totals, tuple[Score, Band | None]] = {}


class _Block:
    """A run of a responsibility's aspects whose answers together have few combinations.

    With an additive scorer a response is scored block by block: a block's outcome
    (its aspects' results, highlight keys and totals) is remembered by its answer
    codes, and as a block has at most :data:`_BLOCK_COMBINATIONS` combinations its
    memo soon holds every one that occurs, however varied the answers.
    """

    __slots__ = ("aspect_groups", "codes_of", "memo")

    def __init__(self, aspect_groups: list[_Group]) -> None:
        self.aspect_groups = aspect_groups
        self.codes_of = operator.itemgetter(*(p for g in aspect_groups for p in g.positions))
        self.memo: dict[Any, _BlockOutcome] = {}


class _BlockOutcome:
    """A block's aspects' results and highlight keys, and their totals added up."""

    __slots__ = ("aspects", "best", "totals", "worst")

    def __init__(
        self, aspects: list[AspectResult], best: list[_Key], worst: list[_Key], totals: Totals
    ) -> None:
        self.aspects = aspects
        self.best = best
        self.worst = worst
        self.totals = totals


def _blocks(aspect_groups: list[_Group], keyer: _Keyer) -> list[_Block]:
    """Consecutive aspects grouped while their answers have few enough combinations."""
    blocks: list[list[_Group]] = []
    combinations = _BLOCK_COMBINATIONS + 1
    for aspect_group in aspect_groups:
        own = math.prod(len(keyer.keyed[p]) for p in aspect_group.positions)
        if blocks and combinations * own <= _BLOCK_COMBINATIONS:
            blocks[-1].append(aspect_group)
            combinations *= own
        else:
            blocks.append([aspect_group])
            combinations = own
    return [_Block(block) for block in blocks]


class _Keyer:
    """Checks responses to one questionnaire and codes their answers, one lookup per answer.

    An answer's code is its point's index on the item's scale plus one; 0 is "skipped".
    ``keyed[position][code]`` is the matching keyed answer (None for code 0).
    """

    def __init__(self, questionnaire: Questionnaire) -> None:
        # The loader runs these checks; a questionnaire built in code has not been
        # through it, and a scale of a billion points must not reach the loop below.
        findings = scale_findings(questionnaire)
        if findings:
            raise DocumentError(
                [_problem(f.code, f.message, *f.path) for f in findings], source=None
            )
        self.questionnaire = questionnaire
        self.size = len(questionnaire.items)
        self.lookup: dict[tuple[str, Any], tuple[int, int]] = {}
        self.keyed: list[tuple[KeyedAnswer | None, ...]] = []
        for position, item in enumerate(questionnaire.items):
            scale = questionnaire.scale_of(item)
            self.lookup[item.id, None] = (position, 0)
            keyed: list[KeyedAnswer | None] = [None]
            for code, value in enumerate(scale.points, start=1):
                self.lookup[item.id, value] = (position, code)
                keyed.append(
                    KeyedAnswer(
                        item=item.id,
                        keyed=scale.min + scale.max - value if item.reverse else value,
                        minimum=scale.min,
                        maximum=scale.max,
                        weight=item.weight,
                    )
                )
            self.keyed.append(tuple(keyed))

    def codes(self, response: Response) -> list[int]:
        """Each item's answer code, in the questionnaire's order.

        Anything that does not fit goes to :func:`check_response`, which names
        every problem; nothing is half-scored.
        """
        questionnaire = self.questionnaire
        if response.questionnaire != questionnaire.id or response.version != questionnaire.version:
            self._refuse(response)
        codes = [0] * self.size
        lookup = self.lookup
        try:
            for pair in response.answers.items():
                found = lookup.get(pair)
                # True == 1 and hashes alike, so booleans would pass for numbers.
                if found is None or pair[1].__class__ is bool:
                    found = self._near_point(response, *pair)
                codes[found[0]] = found[1]
        except TypeError:  # an unhashable answer, such as a list
            self._refuse(response)
        return codes

    def keyed_answers(self, codes: list[int]) -> list[KeyedAnswer | None]:
        """The keyed answer of every item (None when skipped), from :meth:`codes`."""
        return [keyed[code] for keyed, code in zip(self.keyed, codes, strict=True)]

    def _refuse(self, response: Response) -> NoReturn:
        raise DocumentError(check_response(self.questionnaire, response), source=None)

    def _near_point(self, response: Response, item_id: str, value: Any) -> tuple[int, int]:
        """The point ``value`` stands for when it is on the scale within rounding."""
        if check_response(self.questionnaire, response):
            self._refuse(response)
        item = self.questionnaire.item(item_id)
        scale = self.questionnaire.scale_of(item)
        return self.lookup[item_id, scale.points[round((value - scale.min) / scale.step)]]


def _term_vectors(
    scorer_name: str, scorer: AdditiveScorer, keyer: _Keyer
) -> tuple[list[tuple[Totals, ...]], _FloatTotals | _PackedTotals]:
    """Per position and code, the totals of that one answer: (1, keyed, *the scorer's terms).

    Code 0 (skipped) gets zeros, so a group's totals are the sum of its items'
    vectors, whatever was skipped. Vectors are packed into integers when their
    terms allow (see :class:`_PackedTotals`).
    """
    width: int | None = None
    rows: list[list[tuple[float, ...]]] = []
    for keyed in keyer.keyed:
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
    vectors: list[list[tuple[float, ...]]] = [[zeros, *row] for row in rows]
    packing = _PackedTotals.fitting(vectors)
    if packing is None:
        return [tuple(row) for row in vectors], _FloatTotals()
    return [tuple(map(packing.pack, row)) for row in vectors], packing


class _Plan:
    """What scoring needs from a questionnaire, a framework and a scorer, worked out once."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        framework: Framework,
        scorer_name: str,
        scorer: Scorer,
    ) -> None:
        self.questionnaire = questionnaire
        self.framework = framework
        self.scorer_name = scorer_name
        self.scorer = scorer
        self.parameters = MappingProxyType(dict(questionnaire.scoring.parameters))
        self.min_fraction = questionnaire.missing.min_answered_fraction
        self.highlights = questionnaire.highlights
        items = questionnaire.items
        self.size = len(items)
        self.keyer = keyer = _Keyer(questionnaire)
        self.additive = scorer if isinstance(scorer, AdditiveScorer) else None
        vectors: list[tuple[Totals, ...]] | None = None
        self.arithmetic: _FloatTotals | _PackedTotals = _FloatTotals()
        if self.additive is not None:
            vectors, self.arithmetic = _term_vectors(scorer_name, self.additive, keyer)

        def group(name: str, positions: tuple[int, ...], bands: tuple[Band, ...]) -> _Group:
            return _Group(name, positions, bands, keyer.keyed, vectors)

        def positions(aspects: set[str]) -> tuple[int, ...]:
            return tuple(p for p, item in enumerate(items) if item.aspect in aspects)

        self.responsibilities: list[tuple[_Group, Responsibility, list[_Group]]] = []
        self.aspect_order: dict[str, int] = {}
        for responsibility in framework:
            owned = positions({aspect.id for aspect in responsibility.aspects})
            if not owned:
                continue
            aspect_groups = []
            for aspect in responsibility.aspects:
                aspect_positions = positions({aspect.id})
                if aspect_positions:
                    self.aspect_order[aspect.id] = len(self.aspect_order)
                    aspect_groups.append(group(aspect.id, aspect_positions, ()))
            own = group(responsibility.id, owned, questionnaire.bands_for(responsibility.id))
            self.responsibilities.append((own, responsibility, aspect_groups))
        self.overall = group("overall", tuple(range(self.size)), questionnaire.bands_for("overall"))
        # Totals add up from aspects to responsibilities to the overall only when
        # each level shares out the items of the one above.
        shared_out = sorted(
            p
            for _, _, aspect_groups in self.responsibilities
            for g in aspect_groups
            for p in g.positions
        ) == list(range(self.size))
        self.from_totals = vectors is not None and shared_out
        self.blocks = (
            [
                (own, responsibility, _blocks(aspect_groups, keyer))
                for own, responsibility, aspect_groups in self.responsibilities
            ]
            if self.from_totals
            else []
        )
        #: Score one response (see :func:`score`).
        self.score: Callable[[Response], Result] = (
            self._score_by_blocks if self.from_totals else self._score_by_responsibilities
        )

    # -- per group -------------------------------------------------------------------------

    def _score_group(self, group: _Group, codes: list[int]) -> tuple[Score, Band | None, Totals]:
        """The group's score, its band, and (with an additive scorer) its totals."""
        if group.vectors is not None:
            totals = self.arithmetic.combine(
                [v[codes[p]] for v, p in zip(group.vectors, group.positions, strict=True)]
            )
            return (*self._from_totals(group, totals), totals)
        keyed = [
            answer
            for choices, p in zip(group.keyed, group.positions, strict=True)
            if (answer := choices[codes[p]]) is not None
        ]
        score, band = self._finish(
            group,
            len(keyed),
            lambda: (
                math.fsum([a.keyed for a in keyed]),
                self.scorer(keyed, total_items=len(group.positions), parameters=self.parameters),
            ),
        )
        return score, band, ()

    def _from_totals(self, group: _Group, totals: Totals) -> tuple[Score, Band | None]:
        found = group.scores.get(totals)
        if found is None:
            additive = self.additive
            assert additive is not None
            sums = self.arithmetic.unpack(totals)
            answered = round(sums[0])
            found = self._finish(
                group,
                answered,
                lambda: (
                    sums[1],
                    additive.from_sums(
                        sums[2:],
                        answered=answered,
                        total_items=len(group.positions),
                        parameters=self.parameters,
                    ),
                ),
            )
            _remember(group.scores, totals, found)
        return found

    def _finish(
        self,
        group: _Group,
        answered: int,
        measure: Callable[[], tuple[float, ScorerOutput]],
    ) -> tuple[Score, Band | None]:
        """The Score for ``answered`` items; ``measure`` gives their keyed sum and the output."""
        total = len(group.positions)
        missing = total - answered
        if answered == 0 or answered / total < self.min_fraction:
            return Score(status="insufficient", answered=answered, missing=missing), None
        total_keyed, output = measure()
        if (
            not isinstance(output, ScorerOutput)
            or not math.isfinite(output.value)
            or not math.isfinite(output.percent)
            or not 0 <= output.percent <= 100
        ):
            raise ArgumentError(
                f"scorer {self.scorer_name!r} returned {output!r}; a scorer returns a "
                "ScorerOutput with a finite value and a percent from 0 to 100"
            )
        band, band_ref = next(
            ((band, ref) for band, ref in group.bands if band.contains(output.percent)),
            (None, None),
        )
        return (
            Score(
                status="scored",
                answered=answered,
                missing=missing,
                raw=total_keyed * total / answered,
                mean=total_keyed / answered,
                percent=output.percent,
                value=output.value,
                band=band_ref,
            ),
            band,
        )

    def _aspect(
        self, group: _Group, responsibility: Responsibility, codes: list[int]
    ) -> _AspectOutcome:
        """The aspect's outcome, remembered by its answer codes."""
        key = group.codes_of(codes)
        found: _AspectOutcome | None = group.memo.get(key)
        if found is not None:
            return found
        score, _, totals = self._score_group(group, codes)
        aspect = self.framework.aspect(group.name)
        result = AspectResult(
            aspect=aspect.id, title=aspect.title, responsibility=responsibility.id, score=score
        )
        percent = score.percent
        if percent is None:
            found = _AspectOutcome(result, totals, (), ())
        else:
            feedback = self.questionnaire.feedback_for(aspect.id)
            strong, weak = (
                (feedback.doing_well, feedback.to_improve)
                if feedback is not None
                else (aspect.description, aspect.description)
            )
            order = self.aspect_order[aspect.id]

            def highlight(advice: str) -> Highlight:
                return Highlight(
                    aspect=aspect.id,
                    title=aspect.title,
                    responsibility=responsibility.id,
                    percent=percent,
                    advice=advice,
                )

            settings = self.highlights
            found = _AspectOutcome(
                result,
                totals,
                ((-percent, order, highlight(strong)),)
                if percent >= settings.strength_from
                else (),
                ((percent, order, highlight(weak)),) if percent < settings.improve_below else (),
            )
        _remember(group.memo, key, found)
        return found

    def _aspects(
        self, aspect_groups: list[_Group], responsibility: Responsibility, codes: list[int]
    ) -> _BlockOutcome:
        """The aspects' results and highlight keys, with their totals added up."""
        aspects: list[AspectResult] = []
        best: list[_Key] = []
        worst: list[_Key] = []
        rows: list[Totals] = []
        for aspect_group in aspect_groups:
            outcome = self._aspect(aspect_group, responsibility, codes)
            aspects.append(outcome.result)
            best += outcome.best
            worst += outcome.worst
            rows.append(outcome.totals)
        return _BlockOutcome(aspects, best, worst, self.arithmetic.combine(rows))

    def _responsibility(
        self,
        group: _Group,
        responsibility: Responsibility,
        aspect_groups: list[_Group],
        codes: list[int],
    ) -> _ResponsibilityOutcome:
        merged = self._aspects(aspect_groups, responsibility, codes)
        score, band, _ = self._score_group(group, codes)
        return _ResponsibilityOutcome(
            self._responsibility_result(responsibility, score, band),
            merged.aspects,
            merged.best,
            merged.worst,
        )

    @staticmethod
    def _responsibility_result(
        responsibility: Responsibility, score: Score, band: Band | None
    ) -> ResponsibilityResult:
        return ResponsibilityResult(
            responsibility=responsibility.id,
            title=responsibility.title,
            score=score,
            doing_well=band.doing_well if band is not None else None,
            to_improve=band.to_improve if band is not None else None,
        )

    # -- per response ----------------------------------------------------------------------

    def _score_by_responsibilities(self, response: Response) -> Result:
        """Score one response with any scorer, from its responsibilities' remembered outcomes."""
        codes = self.keyer.codes(response)
        results: list[ResponsibilityResult] = []
        aspects: list[AspectResult] = []
        best: list[_Key] = []
        worst: list[_Key] = []
        insufficient = False
        for group, responsibility, aspect_groups in self.responsibilities:
            group_key = group.codes_of(codes)
            outcome = group.memo.get(group_key)
            if outcome is None:
                outcome = self._responsibility(group, responsibility, aspect_groups, codes)
                _remember(group.memo, group_key, outcome)
            results.append(outcome.result)
            aspects += outcome.aspects
            best += outcome.best
            worst += outcome.worst
            insufficient = insufficient or outcome.insufficient
        overall_band: Band | None = None
        if insufficient:
            overall = self._insufficient_overall(codes)
        else:
            overall, overall_band, _ = self._score_group(self.overall, codes)
        return self._result(response, results, aspects, best, worst, overall, overall_band)

    def _score_by_blocks(self, response: Response) -> Result:
        """Score one response with an additive scorer, from its blocks' remembered outcomes.

        A responsibility's totals are the sums of its blocks', the overall's the sums
        of the responsibilities', and scores are remembered by totals, so once the
        memos are warm no answer is scored again.
        """
        codes = self.keyer.codes(response)
        combine = self.arithmetic.combine
        results: list[ResponsibilityResult] = []
        aspects: list[AspectResult] = []
        best: list[_Key] = []
        worst: list[_Key] = []
        all_totals: list[Totals] = []
        insufficient = False
        for group, responsibility, blocks in self.blocks:
            rows: list[Totals] = []
            for block in blocks:
                outcome = block.memo.get(block.codes_of(codes))
                if outcome is None:
                    outcome = self._block(block, responsibility, codes)
                aspects += outcome.aspects
                best += outcome.best
                worst += outcome.worst
                rows.append(outcome.totals)
            totals = combine(rows)
            # Here the responsibility's memo holds results by totals, not by codes.
            result = group.memo.get(totals)
            if result is None:
                result = self._responsibility_result(
                    responsibility, *self._from_totals(group, totals)
                )
                _remember(group.memo, totals, result)
            results.append(result)
            all_totals.append(totals)
            insufficient = insufficient or result.score.status == "insufficient"
        overall_band: Band | None = None
        if insufficient:
            overall = self._insufficient_overall(codes)
        else:
            overall, overall_band = self._from_totals(self.overall, combine(all_totals))
        return self._result(response, results, aspects, best, worst, overall, overall_band)

    def _block(
        self, block: _Block, responsibility: Responsibility, codes: list[int]
    ) -> _BlockOutcome:
        found = self._aspects(block.aspect_groups, responsibility, codes)
        _remember(block.memo, block.codes_of(codes), found)
        return found

    def _insufficient_overall(self, codes: list[int]) -> Score:
        # Any responsibility short of answers leaves the overall without a score.
        answered = self.size - codes.count(0)
        return Score(status="insufficient", answered=answered, missing=self.size - answered)

    def _result(
        self,
        response: Response,
        results: list[ResponsibilityResult],
        aspects: list[AspectResult],
        best: list[_Key],
        worst: list[_Key],
        overall: Score,
        overall_band: Band | None,
    ) -> Result:
        count = self.highlights.count
        best.sort()
        worst.sort()
        return Result(
            questionnaire=self.questionnaire.id,
            version=self.questionnaire.version,
            scorer=self.scorer_name,
            respondent=response.respondent,
            overall=overall,
            overall_doing_well=overall_band.doing_well if overall_band is not None else None,
            overall_to_improve=overall_band.to_improve if overall_band is not None else None,
            responsibilities=tuple(results),
            aspects=tuple(aspects),
            strengths=tuple([h for _, _, h in best[:count]]),
            improvements=tuple([h for _, _, h in worst[:count]]),
        )


_plans: dict[tuple[int, int, int], _Plan] = {}
_plans_lock = threading.Lock()


def _plan(
    questionnaire: Questionnaire, framework: Framework, scorer_name: str, scorer: Scorer
) -> _Plan:
    # Plans hold their questionnaire, framework and scorer, so the ids in a key
    # cannot be reused by other objects while the plan is cached.
    key = (id(questionnaire), id(framework), id(scorer))
    plan = _plans.get(key)
    if plan is None or plan.scorer_name != scorer_name:
        plan = _Plan(questionnaire, framework, scorer_name, scorer)
        with _plans_lock:
            if len(_plans) >= _PLAN_LIMIT:
                _plans.pop(next(iter(_plans)))
            _plans[key] = plan
    return plan


def score(
    questionnaire: Questionnaire,
    response: Response,
    *,
    framework: Framework | None = None,
    scorers: ScorerRegistry | None = None,
    scorer: str | None = None,
) -> Result:
    """Score ``response`` against ``questionnaire``: overall, per responsibility, per aspect.

    ``framework`` defaults to the built-in pack; ``scorers`` to the default registry
    (built-ins and entry points); ``scorer`` overrides the questionnaire's own.

    Raises :class:`~fourresp.errors.DocumentError` listing every way the response
    does not fit (unknown item, value off the scale or off the step, a boolean where
    a number is due, wrong questionnaire or version); nothing is half-scored.

    Scorers must be pure: the engine remembers a group's outcome for keyed answers
    it has seen before, which keeps scoring a large batch fast.
    """
    framework = framework if framework is not None else load_framework()
    registry = scorers if scorers is not None else default_registry()
    scorer_name = scorer or questionnaire.scoring.scorer
    chosen = registry.get(scorer_name)  # fails before any work on an unknown scorer
    return _plan(questionnaire, framework, scorer_name, chosen).score(response)
