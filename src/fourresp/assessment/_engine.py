"""The scoring engine: check a response, key it, aggregate aspect -> responsibility -> overall.

Sums use :func:`math.fsum`, which is correctly rounded, so no score depends on
the order of the items or of the answers.

Everything that does not depend on a response (item lookup, the keyed value of
every scale point, the groups and their bands) is worked out once per
questionnaire, framework and scorer in a :class:`_Plan`. Scorers are pure, so a
group's outcome is a function of its answers alone; each responsibility and
aspect keeps a small bounded memo of outcomes, which makes large batches cheap.
"""

from __future__ import annotations

import math
import operator
import threading
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
)
from fourresp.assessment._scorers import ScorerRegistry, default_registry
from fourresp.content import Framework, Responsibility, load_framework
from fourresp.errors import ArgumentError, DocumentError, Problem
from fourresp.typing import KeyedAnswer, Scorer, ScorerOutput

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
_PLAN_LIMIT = 32


class _AspectOutcome:
    """An aspect's result, and the keys that rank it as a strength or as a weakness.

    The keys are (percent, framework order, highlight) tuples, so plain ``sorted()``
    ranks aspects with no Python-level key function and ties keep the framework's order.
    """

    __slots__ = ("best_key", "result", "worst_key")

    def __init__(
        self, result: AspectResult, order: int, strength: Highlight, weakness: Highlight
    ) -> None:
        self.result = result
        self.best_key = (-strength.percent, order, strength)
        self.worst_key = (weakness.percent, order, weakness)


class _ResponsibilityOutcome:
    """A responsibility's result with its aspects' results and ranking keys, ready to merge."""

    __slots__ = ("aspects", "best_keys", "insufficient", "result", "worst_keys")

    def __init__(
        self,
        result: ResponsibilityResult,
        aspects: list[AspectResult],
        ranked: list[_AspectOutcome],
    ) -> None:
        self.result = result
        self.insufficient = result.score.status == "insufficient"
        self.aspects = aspects
        self.best_keys = [outcome.best_key for outcome in ranked]
        self.worst_keys = [outcome.worst_key for outcome in ranked]


class _Group:
    """One group of item positions, the getter of its answer codes, and a memo of outcomes.

    Scorers are pure, so a group's outcome depends only on its items' codes; the
    memo is bounded and simply starts again when full.
    """

    __slots__ = ("bands", "codes_of", "memo", "name", "positions")

    def __init__(self, name: str, positions: tuple[int, ...], bands: tuple[Band, ...]) -> None:
        self.name = name
        self.positions = positions
        self.bands = tuple((band, BandRef(id=band.id, name=band.name)) for band in bands)
        self.codes_of = operator.itemgetter(*positions)
        self.memo: dict[Any, Any] = {}

    def remember(self, key: Any, outcome: Any) -> None:
        if len(self.memo) >= _MEMO_LIMIT:
            self.memo.clear()
        self.memo[key] = outcome


class _Keyer:
    """Checks and keys responses to one questionnaire with one dictionary lookup per answer."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.size = len(questionnaire.items)
        # (item id, answer) -> (position, code, keyed answer): one lookup checks and
        # keys an answer. Code 0 is "skipped"; a point's code is its index + 1.
        self.lookup: dict[tuple[str, Any], tuple[int, int, KeyedAnswer | None]] = {}
        for position, item in enumerate(questionnaire.items):
            scale = questionnaire.scale_of(item)
            self.lookup[item.id, None] = (position, 0, None)
            for code, value in enumerate(scale.points, start=1):
                self.lookup[item.id, value] = (
                    position,
                    code,
                    KeyedAnswer(
                        item=item.id,
                        keyed=scale.min + scale.max - value if item.reverse else value,
                        minimum=scale.min,
                        maximum=scale.max,
                        weight=item.weight,
                    ),
                )

    def key(self, response: Response) -> tuple[list[int], list[KeyedAnswer | None]]:
        """Each item's code and keyed answer (0 and None when skipped).

        Anything that does not fit goes to :func:`check_response`, which names
        every problem; nothing is half-scored.
        """
        questionnaire = self.questionnaire
        if response.questionnaire != questionnaire.id or response.version != questionnaire.version:
            self._refuse(response)
        codes = [0] * self.size
        keyed: list[KeyedAnswer | None] = [None] * self.size
        lookup = self.lookup
        try:
            for item_id, value in response.answers.pairs:
                found = lookup.get((item_id, value))
                # True == 1 and hashes alike, so booleans would pass for numbers.
                if found is None or value is True or value is False:
                    found = self._near_point(response, item_id, value)
                position, codes[position], keyed[position] = found
        except TypeError:  # an unhashable answer, such as a list
            self._refuse(response)
        return codes, keyed

    def _refuse(self, response: Response) -> NoReturn:
        raise DocumentError(check_response(self.questionnaire, response), source=None)

    def _near_point(
        self, response: Response, item_id: str, value: Any
    ) -> tuple[int, int, KeyedAnswer | None]:
        """The point ``value`` stands for when it is on the scale within rounding."""
        if check_response(self.questionnaire, response):
            self._refuse(response)
        item = self.questionnaire.item(item_id)
        scale = self.questionnaire.scale_of(item)
        return self.lookup[item_id, scale.points[round((value - scale.min) / scale.step)]]


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
        self.keyer = _Keyer(questionnaire)

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
                    aspect_groups.append(_Group(aspect.id, aspect_positions, ()))
            group = _Group(responsibility.id, owned, questionnaire.bands_for(responsibility.id))
            self.responsibilities.append((group, responsibility, aspect_groups))
        self.overall = _Group(
            "overall", tuple(range(self.size)), questionnaire.bands_for("overall")
        )

    # -- per response ------------------------------------------------------------------

    def _score_group(
        self, group: _Group, keyed: list[KeyedAnswer | None]
    ) -> tuple[Score, Band | None]:
        answers = [a for p in group.positions if (a := keyed[p]) is not None]
        total = len(group.positions)
        answered = len(answers)
        missing = total - answered
        if answered == 0 or answered / total < self.min_fraction:
            return Score(status="insufficient", answered=answered, missing=missing), None
        output = self.scorer(answers, total_items=total, parameters=self.parameters)
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
        total_keyed = math.fsum([a.keyed for a in answers])
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
        self, group: _Group, responsibility: Responsibility, keyed: list[KeyedAnswer | None]
    ) -> AspectResult | _AspectOutcome:
        """The aspect's result; with the highlights it may give, when it was scored."""
        score, _ = self._score_group(group, keyed)
        aspect = self.framework.aspect(group.name)
        result = AspectResult(
            aspect=aspect.id, title=aspect.title, responsibility=responsibility.id, score=score
        )
        if score.percent is None:
            return result
        feedback = self.questionnaire.feedback_for(aspect.id)
        strong, weak = (
            (feedback.doing_well, feedback.to_improve)
            if feedback is not None
            else (aspect.description, aspect.description)
        )
        strength, weakness = (
            Highlight(
                aspect=aspect.id,
                title=aspect.title,
                responsibility=responsibility.id,
                percent=score.percent,
                advice=advice,
            )
            for advice in (strong, weak)
        )
        return _AspectOutcome(result, self.aspect_order[aspect.id], strength, weakness)

    def _responsibility(
        self,
        group: _Group,
        responsibility: Responsibility,
        aspect_groups: list[_Group],
        codes: list[int],
        keyed: list[KeyedAnswer | None],
    ) -> _ResponsibilityOutcome:
        aspects: list[AspectResult] = []
        ranked: list[_AspectOutcome] = []
        for aspect_group in aspect_groups:
            aspect_key = aspect_group.codes_of(codes)
            outcome = aspect_group.memo.get(aspect_key)
            if outcome is None:
                outcome = self._aspect(aspect_group, responsibility, keyed)
                aspect_group.remember(aspect_key, outcome)
            if isinstance(outcome, _AspectOutcome):
                aspects.append(outcome.result)
                ranked.append(outcome)
            else:
                aspects.append(outcome)
        score, band = self._score_group(group, keyed)
        result = ResponsibilityResult(
            responsibility=responsibility.id,
            title=responsibility.title,
            score=score,
            doing_well=band.doing_well if band is not None else None,
            to_improve=band.to_improve if band is not None else None,
        )
        return _ResponsibilityOutcome(result, aspects, ranked)

    def score(self, response: Response) -> Result:
        """Score one response (see :func:`score`)."""
        codes, keyed = self.keyer.key(response)
        responsibilities: list[ResponsibilityResult] = []
        aspects: list[AspectResult] = []
        best: list[tuple[float, int, Highlight]] = []
        worst: list[tuple[float, int, Highlight]] = []
        insufficient = False
        for group, responsibility, aspect_groups in self.responsibilities:
            group_key = group.codes_of(codes)
            outcome = group.memo.get(group_key)
            if outcome is None:
                outcome = self._responsibility(group, responsibility, aspect_groups, codes, keyed)
                group.remember(group_key, outcome)
            responsibilities.append(outcome.result)
            aspects.extend(outcome.aspects)
            best.extend(outcome.best_keys)
            worst.extend(outcome.worst_keys)
            insufficient = insufficient or outcome.insufficient
        overall_band: Band | None = None
        if insufficient:
            answered = self.size - keyed.count(None)
            overall = Score(status="insufficient", answered=answered, missing=self.size - answered)
        else:
            overall, overall_band = self._score_group(self.overall, keyed)
        settings = self.highlights
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
            responsibilities=tuple(responsibilities),
            aspects=tuple(aspects),
            strengths=tuple(
                [h for p, _, h in best[: settings.count] if -p >= settings.strength_from]
            ),
            improvements=tuple(
                [h for p, _, h in worst[: settings.count] if p < settings.improve_below]
            ),
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
