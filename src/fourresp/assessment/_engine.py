"""The scoring engine: check a response, key it, aggregate aspect -> responsibility -> overall.

Sums use :func:`math.fsum`, which is correctly rounded, so no score depends on
the order of the items or of the answers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

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
from fourresp.content import Framework, load_framework
from fourresp.errors import ArgumentError, DocumentError, Problem
from fourresp.typing import KeyedAnswer, ScorerOutput

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


def _band(bands: Sequence[Band], percent: float) -> Band | None:
    for band in bands:
        if band.contains(percent):
            return band
    return None


def _score_group(
    answers: list[KeyedAnswer],
    total: int,
    questionnaire: Questionnaire,
    group: str,
    scorer_name: str,
    scorers: ScorerRegistry,
) -> tuple[Score, Band | None]:
    answered = len(answers)
    missing = total - answered
    if (
        total == 0
        or answered == 0
        or answered / total < questionnaire.missing.min_answered_fraction
    ):
        return Score(status="insufficient", answered=answered, missing=missing), None
    scorer = scorers.get(scorer_name)
    output = scorer(answers, total_items=total, parameters=dict(questionnaire.scoring.parameters))
    if (
        not isinstance(output, ScorerOutput)
        or not math.isfinite(output.value)
        or not math.isfinite(output.percent)
        or not 0 <= output.percent <= 100
    ):
        raise ArgumentError(
            f"scorer {scorer_name!r} returned {output!r}; a scorer returns a ScorerOutput with a "
            "finite value and a percent from 0 to 100"
        )
    raw = math.fsum(a.keyed for a in answers) * total / answered
    mean = math.fsum(a.keyed for a in answers) / answered
    band = _band(questionnaire.bands_for(group), output.percent)
    return (
        Score(
            status="scored",
            answered=answered,
            missing=missing,
            raw=raw,
            mean=mean,
            percent=output.percent,
            value=output.value,
            band=BandRef(id=band.id, name=band.name) if band is not None else None,
        ),
        band,
    )


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
    """
    framework = framework if framework is not None else load_framework()
    registry = scorers if scorers is not None else default_registry()
    scorer_name = scorer or questionnaire.scoring.scorer
    registry.get(scorer_name)  # fail before any work on an unknown scorer
    problems = check_response(questionnaire, response)
    if problems:
        raise DocumentError(problems, source=None)

    keyed: dict[str, KeyedAnswer] = {}
    for item in questionnaire.items:
        value = response.answers.get(item.id)
        if value is None:
            continue
        scale = questionnaire.scale_of(item)
        keyed[item.id] = KeyedAnswer(
            item=item.id,
            keyed=scale.min + scale.max - value if item.reverse else value,
            minimum=scale.min,
            maximum=scale.max,
            weight=item.weight,
        )

    def group(items: Sequence[Any], name: str) -> tuple[Score, Band | None]:
        answered = [keyed[item.id] for item in items if item.id in keyed]
        return _score_group(answered, len(items), questionnaire, name, scorer_name, registry)

    aspect_results: list[AspectResult] = []
    responsibility_results: list[ResponsibilityResult] = []
    for responsibility in framework:
        aspect_ids = {aspect.id for aspect in responsibility.aspects}
        items = [item for item in questionnaire.items if item.aspect in aspect_ids]
        if not items:
            continue
        for aspect in responsibility.aspects:
            aspect_items = [item for item in items if item.aspect == aspect.id]
            if aspect_items:
                aspect_score, _ = group(aspect_items, aspect.id)
                aspect_results.append(
                    AspectResult(
                        aspect=aspect.id,
                        title=aspect.title,
                        responsibility=responsibility.id,
                        score=aspect_score,
                    )
                )
        responsibility_score, band = group(items, responsibility.id)
        responsibility_results.append(
            ResponsibilityResult(
                responsibility=responsibility.id,
                title=responsibility.title,
                score=responsibility_score,
                doing_well=band.doing_well if band is not None else None,
                to_improve=band.to_improve if band is not None else None,
            )
        )

    if any(result.score.status == "insufficient" for result in responsibility_results):
        answered_count = len(keyed)
        overall: Score = Score(
            status="insufficient",
            answered=answered_count,
            missing=len(questionnaire.items) - answered_count,
        )
        overall_band = None
    else:
        overall, overall_band = group(questionnaire.items, "overall")
    strengths, improvements = _highlights(questionnaire, framework, aspect_results)
    return Result(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        scorer=scorer_name,
        respondent=response.respondent,
        overall=overall,
        overall_doing_well=overall_band.doing_well if overall_band is not None else None,
        overall_to_improve=overall_band.to_improve if overall_band is not None else None,
        responsibilities=tuple(responsibility_results),
        aspects=tuple(aspect_results),
        strengths=strengths,
        improvements=improvements,
    )


def _highlights(
    questionnaire: Questionnaire, framework: Framework, aspects: list[AspectResult]
) -> tuple[tuple[Highlight, ...], tuple[Highlight, ...]]:
    settings = questionnaire.highlights
    order = {aspect.id: index for index, aspect in enumerate(framework.aspects)}
    scored = [a for a in aspects if a.score.percent is not None]

    def percent(result: AspectResult) -> float:
        assert result.score.percent is not None
        return result.score.percent

    def highlight(result: AspectResult, strong: bool) -> Highlight:
        feedback = questionnaire.feedback_for(result.aspect)
        if feedback is not None:
            advice = feedback.doing_well if strong else feedback.to_improve
        else:
            advice = framework.aspect(result.aspect).description
        return Highlight(
            aspect=result.aspect,
            title=result.title,
            responsibility=result.responsibility,
            percent=percent(result),
            advice=advice,
        )

    best_first = sorted(scored, key=lambda r: (-percent(r), order.get(r.aspect, 0)))
    worst_first = sorted(scored, key=lambda r: (percent(r), order.get(r.aspect, 0)))
    strengths = tuple(
        highlight(r, True) for r in best_first if percent(r) >= settings.strength_from
    )[: settings.count]
    improvements = tuple(
        highlight(r, False) for r in worst_first if percent(r) < settings.improve_below
    )[: settings.count]
    return strengths, improvements
