"""The scoring engine: aggregate a response's keyed answers aspect -> responsibility -> overall.

Everything that does not depend on a response (item lookup, the keyed value of
every scale point, each group's items and bands, an additive scorer's terms) is
worked out once per questionnaire, framework and scorer in a :class:`Plan`.

There is one aggregation path, aspect -> responsibility -> overall. Each group is
*summarised*, and its outcome depends only on its summary:

- with an :class:`~fourresp.assessment.AdditiveScorer` (the built-ins are), the summary
  is the group's exact totals (:mod:`~fourresp.assessment._totals`): answered
  items, keyed sum and the sums of the scorer's terms;
- with any other scorer, it is the group's answer codes, and the scorer is called
  with the group's keyed answers.

An aspect's summary comes from its answers; a responsibility's is made of its
aspects' summaries (totals added, or codes joined), the overall's of the
responsibilities'. Scorers are pure, so an aspect remembers its outcome by its
answer codes, and a larger group its outcome by its summary, in small bounded
memos. These memos are the speed trick here: on the scoring benchmark's answers a
response costs over 30x more without the memos (about 700 us against 22 us), as
a warm plan builds no new ``Score`` or ``AspectResult`` for answers or totals it
has met, and adds a few integers per response instead of reading every answer
once per level.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Hashable, Sequence
from functools import reduce
from types import MappingProxyType
from typing import Generic, TypeVar

from fourresp._memo import remember
from fourresp.assessment._keying import Keying, check_response
from fourresp.assessment._models import (
    AspectResult,
    Band,
    BandRef,
    Highlight,
    Highlights,
    Questionnaire,
    Response,
    ResponsibilityResult,
    Result,
    Score,
)
from fourresp.assessment._protocols import AdditiveScorer, KeyedAnswer, Scorer, ScorerOutput
from fourresp.assessment._quick import plain_answer
from fourresp.assessment._totals import Packing, Spread, spread, term_vectors
from fourresp.content import Aspect, Framework, Responsibility
from fourresp.errors import ArgumentError

__all__ = ["MIN_HIGHLIGHT_ITEMS", "Plan", "check_response", "highlighted"]

_MEMO_LIMIT = 8192
_BLOCK_COMBINATIONS = 4096  # so a block's memo can hold every combination it meets
#: An aspect is a strength or an area to improve only on this many answered items.
MIN_HIGHLIGHT_ITEMS = 2

T = TypeVar("T")
# (percent or -percent, highlight), gathered in the framework's order of the aspects:
# a stable sort on the first ranks them, ties keeping the framework's order.
_Key = tuple[float, Highlight]


def highlighted(score: Score, settings: Highlights) -> tuple[bool, bool]:
    """Whether an aspect's score makes it a strength, and whether an area to improve.

    Neither on fewer than :data:`MIN_HIGHLIGHT_ITEMS` answered items: one answer is
    too little to call anything a strength or a weakness.
    """
    percent = score.percent
    if percent is None or score.answered < MIN_HIGHLIGHT_ITEMS:
        return False, False
    return percent >= settings.strength_from, percent < settings.improve_below


# A ranking key's rank and highlight.
_RANK = operator.itemgetter(0)
_HIGHLIGHT = operator.itemgetter(1)


class _Group(Generic[T]):
    """One group of item positions, how its outcome is built, and its memo.

    ``positions`` are in the order of the group's summary (its aspects' items one
    aspect after the other), so joined answer codes line up with ``keyed``.
    """

    __slots__ = ("bands", "build", "codes_of", "keyed", "memo", "positions", "size")

    def __init__(
        self,
        positions: tuple[int, ...],
        bands: tuple[Band, ...],
        keying: Keying,
        build: Callable[[Score, Band | None], T],
    ) -> None:
        self.positions = positions
        self.size = len(positions)
        self.bands = tuple((band, BandRef(id=band.id, name=band.name)) for band in bands)
        self.keyed = [keying.keyed[p] for p in positions]
        #: The group's answer codes (one code, or a tuple), a C-speed memo key.
        self.codes_of = operator.itemgetter(*positions)
        self.build = build
        self.memo: dict[Hashable, T] = {}


class _AspectOutcome:
    """An aspect's result, its summary, and its ranking keys when highlighted (0 or 1 each)."""

    __slots__ = ("best", "result", "summary", "worst")

    def __init__(
        self,
        result: AspectResult,
        best: tuple[_Key, ...],
        worst: tuple[_Key, ...],
    ) -> None:
        self.result = result
        self.best = best
        self.worst = worst
        self.summary: Hashable = None


class _Aspects:
    """A responsibility's aspects' results, ranking keys and summary, for one set of answers."""

    __slots__ = ("best", "results", "summary", "worst")

    def __init__(
        self,
        results: tuple[AspectResult, ...],
        best: tuple[_Key, ...],
        worst: tuple[_Key, ...],
        summary: Hashable,
    ) -> None:
        self.results = results
        self.best = best
        self.worst = worst
        self.summary = summary


class _Block:
    """A run of a responsibility's aspects whose answers have few combinations, and its memo.

    Remembering a few aspects at once by their answer codes is a speed trick: it
    makes scoring about 3x faster than remembering aspect by aspect (22 us against
    64 us a response on the scoring benchmark's answers), a few dictionary lookups
    per response instead of one per aspect. As a block has at most
    :data:`_BLOCK_COMBINATIONS` combinations of answers, its memo soon holds every
    one that occurs, however varied the answers.
    """

    __slots__ = ("aspect_groups", "codes_of", "memo")

    def __init__(self, aspect_groups: list[_Group[_AspectOutcome]]) -> None:
        self.aspect_groups = aspect_groups
        self.codes_of = operator.itemgetter(*(p for g in aspect_groups for p in g.positions))
        self.memo: dict[Hashable, _Aspects] = {}


class _Gathered:
    """One response's aspects' results and ranking keys, in the framework's order."""

    __slots__ = ("aspects", "best", "worst")

    def __init__(self) -> None:
        self.aspects: list[AspectResult] = []
        self.best: list[_Key] = []
        self.worst: list[_Key] = []


def _blocks(aspect_groups: list[_Group[_AspectOutcome]]) -> list[_Block]:
    """Consecutive aspects grouped while their answers have few enough combinations."""
    blocks: list[list[_Group[_AspectOutcome]]] = []
    combinations = _BLOCK_COMBINATIONS + 1
    for group in aspect_groups:
        own = math.prod(len(choices) for choices in group.keyed)
        if blocks and combinations * own <= _BLOCK_COMBINATIONS:
            blocks[-1].append(group)
            combinations *= own
        else:
            blocks.append([group])
            combinations = own
    return [_Block(block) for block in blocks]


class _Owner:
    """A responsibility's group and its aspects, cut into blocks."""

    __slots__ = ("blocks", "group")

    def __init__(
        self, group: _Group[ResponsibilityResult], aspect_groups: list[_Group[_AspectOutcome]]
    ) -> None:
        self.group = group
        self.blocks = _blocks(aspect_groups)


class Plan:
    """What scoring needs from a questionnaire, a framework and a scorer, worked out once."""

    def __init__(
        self, questionnaire: Questionnaire, framework: Framework, scorer_name: str, scorer: Scorer
    ) -> None:
        self.questionnaire = questionnaire
        self.scorer_name = scorer_name
        self.scorer = scorer
        self.parameters = MappingProxyType(dict(questionnaire.scoring.parameters))
        self.min_fraction = questionnaire.missing.min_answered_fraction
        self.keying = keying = Keying(questionnaire)
        self.size = keying.size
        self.additive = scorer if isinstance(scorer, AdditiveScorer) else None
        self.packing: Packing | None = None
        self.vectors: list[tuple[int, ...]] = []
        self.spread: Spread | None = None
        if self.additive is not None:
            rows = term_vectors(scorer_name, self.additive, keying)
            self.packing = Packing(rows)
            self.vectors = [tuple(map(self.packing.pack, row)) for row in rows]
        items = questionnaire.items
        self.responsibilities: list[_Owner] = []
        for responsibility in framework:
            aspect_groups = []
            for aspect in responsibility.aspects:
                found = tuple(p for p, item in enumerate(items) if item.aspect == aspect.id)
                if found:
                    build = self._aspect_builder(responsibility, aspect)
                    aspect_groups.append(_Group(found, (), keying, build))
            if not aspect_groups:
                continue
            owned = tuple(p for group in aspect_groups for p in group.positions)
            bands = questionnaire.bands_for(responsibility.id)
            own = _Group(owned, bands, keying, self._responsibility_builder(responsibility))
            self.responsibilities.append(_Owner(own, aspect_groups))
        covered = {p for owner in self.responsibilities for p in owner.group.positions}
        #: Items whose aspect is in no responsibility of the framework count in the overall.
        self.leftover = tuple(p for p in range(self.size) if p not in covered)
        everything = tuple(p for owner in self.responsibilities for p in owner.group.positions)
        if self.packing is not None:
            # Plain answers only (see plain_answer), the leftover items' in the last field.
            field = {p: n for n, o in enumerate(self.responsibilities) for p in o.group.positions}
            last, lookup = len(self.responsibilities), keying.lookup
            self.spread = spread(self.packing, self.vectors, lookup, field, last, plain_answer)
        self.overall: _Group[tuple[Score, Band | None]] = _Group(
            everything + self.leftover,
            questionnaire.bands_for("overall"),
            keying,
            lambda score, band: (score, band),
        )

    # -- summaries ---------------------------------------------------------------------------

    def _summary(self, positions: tuple[int, ...], codes: list[int]) -> Hashable:
        """The summary of the answers at ``positions``: their totals, or their codes."""
        if self.packing is not None:
            vectors = self.vectors
            return sum([vectors[p][codes[p]] for p in positions])
        return tuple([codes[p] for p in positions])

    def _joined(self, parts: Sequence[Hashable]) -> Hashable:
        """The summary of several groups together: totals added, or codes joined."""
        if self.packing is not None:
            return sum(parts)  # type: ignore[arg-type]  # totals are integers
        return reduce(operator.add, parts, ())

    def _measure(self, group: _Group[T], summary: Hashable) -> tuple[Score, Band | None]:
        """The group's score and band from its summary (totals, or answer codes)."""
        if self.packing is not None:
            additive = self.additive
            assert additive is not None
            assert isinstance(summary, int)
            sums = self.packing.unpack(summary)
            answered = round(sums[0])
            return self._finish(
                group,
                answered,
                lambda: (
                    sums[1],
                    additive.from_sums(
                        sums[2:],
                        answered=answered,
                        total_items=group.size,
                        parameters=self.parameters,
                    ),
                ),
            )
        assert isinstance(summary, tuple)
        keyed: list[KeyedAnswer] = [
            answer
            for choices, code in zip(group.keyed, summary, strict=True)
            if (answer := choices[code]) is not None
        ]
        return self._finish(
            group,
            len(keyed),
            lambda: (
                math.fsum([a.keyed for a in keyed]),
                self.scorer(keyed, total_items=group.size, parameters=self.parameters),
            ),
        )

    def _finish(
        self,
        group: _Group[T],
        answered: int,
        measure: Callable[[], tuple[float, ScorerOutput]],
    ) -> tuple[Score, Band | None]:
        """The Score for ``answered`` items; ``measure`` gives their keyed sum and the output."""
        total = group.size
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
        score = Score(
            status="scored",
            answered=answered,
            missing=missing,
            raw=total_keyed * total / answered,
            mean=total_keyed / answered,
            percent=output.percent,
            value=output.value,
            band=band_ref,
        )
        return score, band

    def _aspect_builder(
        self, responsibility: Responsibility, aspect: Aspect
    ) -> Callable[[Score, Band | None], _AspectOutcome]:
        feedback = self.questionnaire.feedback_for(aspect.id)
        strong, weak = (
            (feedback.doing_well, feedback.to_improve)
            if feedback is not None
            else (aspect.description, aspect.description)
        )
        settings = self.questionnaire.highlights

        def build(score: Score, _: Band | None) -> _AspectOutcome:
            result = AspectResult(
                aspect=aspect.id,
                title=aspect.title,
                responsibility=responsibility.id,
                items=score.answered,
                score=score,
            )
            strength, to_improve = highlighted(score, settings)
            percent = score.percent or 0.0

            def highlight(advice: str) -> Highlight:
                return Highlight(
                    aspect=aspect.id,
                    title=aspect.title,
                    responsibility=responsibility.id,
                    percent=percent,
                    advice=advice,
                )

            return _AspectOutcome(
                result,
                ((-percent, highlight(strong)),) if strength else (),
                ((percent, highlight(weak)),) if to_improve else (),
            )

        return build

    @staticmethod
    def _responsibility_builder(
        responsibility: Responsibility,
    ) -> Callable[[Score, Band | None], ResponsibilityResult]:
        def build(score: Score, band: Band | None) -> ResponsibilityResult:
            return ResponsibilityResult(
                responsibility=responsibility.id,
                title=responsibility.title,
                score=score,
                doing_well=band.doing_well if band is not None else None,
                to_improve=band.to_improve if band is not None else None,
            )

        return build

    # -- one response ------------------------------------------------------------------------

    def _aspect(self, group: _Group[_AspectOutcome], codes: list[int]) -> _AspectOutcome:
        """The aspect's outcome, remembered by its answer codes."""
        key = group.codes_of(codes)
        found = group.memo.get(key)
        if found is None:
            summary = self._summary(group.positions, codes)
            found = group.build(*self._measure(group, summary))
            found.summary = summary
            remember(group.memo, key, found, _MEMO_LIMIT)
        return found

    def _aspects(self, aspect_groups: list[_Group[_AspectOutcome]], codes: list[int]) -> _Aspects:
        """A block's aspects' outcomes, each remembered by its answer codes."""
        outcomes = [self._aspect(group, codes) for group in aspect_groups]
        return _Aspects(
            tuple([outcome.result for outcome in outcomes]),
            tuple([key for outcome in outcomes for key in outcome.best]),
            tuple([key for outcome in outcomes for key in outcome.worst]),
            self._joined([outcome.summary for outcome in outcomes]),
        )

    def _outcome(self, group: _Group[T], summary: Hashable) -> T:
        """A responsibility's or the overall's outcome, remembered by its summary."""
        found = group.memo.get(summary)
        if found is None:
            found = group.build(*self._measure(group, summary))
            remember(group.memo, summary, found, _MEMO_LIMIT)
        return found

    def score(self, response: Response) -> Result:
        """Score one response (see :func:`score`)."""
        codes = self.keying.codes(response)
        gathered = _Gathered()
        results, overall, overall_band = self._walk(codes, gathered)
        return self._result(response, results, gathered, overall, overall_band)

    def light(self, response: Response) -> tuple[Score, list[ResponsibilityResult]]:
        """The overall score and the responsibilities' results only: what a table needs."""
        questionnaire = self.questionnaire
        if (
            self.spread is not None
            and response.questionnaire == questionnaire.id
            and response.version == questionnaire.version
        ):
            found = self.light_answers(dict(response.answers.items()))
            if found is not None:
                return found
        results, overall, _ = self._walk(self.keying.codes(response), _Gathered())
        return overall, results

    def light_answers(
        self, answers: dict[str, object]
    ) -> tuple[Score, list[ResponsibilityResult]] | None:
        """What :meth:`light` gives when every answer is plainly a point of its item's
        scale (see :func:`plain_answer`) and the scorer is additive; else None.

        One sum over the answers gives every responsibility's totals (:class:`Spread`);
        a speed trick, part of a batch's quick rows (``_batch._fitting``): about
        1.25x on ``fourresp assess-batch`` alone (23 against 29 us a row).
        """
        spread = self.spread
        if spread is None:
            return None
        summaries = spread.sums(answers.items())
        # True == 1 and hashes alike, so a boolean would pass for a number.
        if summaries is None or bool in map(type, answers.values()):
            return None
        results, overall, _ = self._rollup(
            summaries, lambda: len(answers) - [*answers.values()].count(None)
        )
        return overall, results

    def _walk(
        self, codes: list[int], gathered: _Gathered
    ) -> tuple[list[ResponsibilityResult], Score, Band | None]:
        """Aggregate aspects -> responsibilities -> overall; the aspects' results and
        ranking keys go to ``gathered``, in the framework's order."""
        summaries: list[Hashable] = []
        aspects, best, worst = gathered.aspects, gathered.best, gathered.worst
        for owner in self.responsibilities:
            parts: list[Hashable] = []
            for block in owner.blocks:
                key = block.codes_of(codes)
                found = block.memo.get(key)
                if found is None:
                    found = self._aspects(block.aspect_groups, codes)
                    remember(block.memo, key, found, _MEMO_LIMIT)
                aspects += found.results
                if found.best:
                    best += found.best
                if found.worst:
                    worst += found.worst
                parts.append(found.summary)
            summaries.append(self._joined(parts))
        if self.leftover:
            summaries.append(self._summary(self.leftover, codes))
        return self._rollup(summaries, lambda: self.size - codes.count(0))

    def _rollup(
        self, summaries: Sequence[Hashable], answered: Callable[[], int]
    ) -> tuple[list[ResponsibilityResult], Score, Band | None]:
        """The responsibilities' and the overall's outcomes from the responsibilities'
        summaries (and the leftover items' last, when there are any)."""
        results: list[ResponsibilityResult] = []
        insufficient = False
        # the leftover items' summary, when there is one, is left for the overall
        for owner, summary in zip(self.responsibilities, summaries, strict=False):
            result = self._outcome(owner.group, summary)
            results.append(result)
            insufficient = insufficient or result.score.status == "insufficient"
        if insufficient:  # any responsibility short of answers leaves the overall without one
            count = answered()
            missing = self.size - count
            return results, Score(status="insufficient", answered=count, missing=missing), None
        overall, overall_band = self._outcome(self.overall, self._joined(summaries))
        return results, overall, overall_band

    def _result(
        self,
        response: Response,
        results: list[ResponsibilityResult],
        gathered: _Gathered,
        overall: Score,
        overall_band: Band | None,
    ) -> Result:
        count = self.questionnaire.highlights.count
        best, worst = gathered.best, gathered.worst
        best.sort(key=_RANK)  # stable: ties keep the framework's order
        worst.sort(key=_RANK)
        return Result(
            questionnaire=self.questionnaire.id,
            version=self.questionnaire.version,
            scorer=self.scorer_name,
            respondent=response.respondent,
            overall=overall,
            overall_doing_well=overall_band.doing_well if overall_band is not None else None,
            overall_to_improve=overall_band.to_improve if overall_band is not None else None,
            responsibilities=tuple(results),
            aspects=tuple(gathered.aspects),
            strengths=tuple(map(_HIGHLIGHT, best[:count])),
            improvements=tuple(map(_HIGHLIGHT, worst[:count])),
        )
