"""A plain scoring engine, kept as the oracle the library's engine is checked against.

It is the engine's first version, written for clarity and nothing else: key every
answer, then score each group by calling the scorer with the group's keyed
answers, one group at a time, without plans, memos or packed totals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fourresp.assessment import (
    AspectResult,
    Band,
    BandRef,
    Highlight,
    KeyedAnswer,
    Questionnaire,
    Response,
    ResponsibilityResult,
    Result,
    Score,
    Scorer,
    ScorerRegistry,
    check_response,
)
from fourresp.content import Framework
from fourresp.errors import DocumentError


def _group_score(
    answers: list[KeyedAnswer],
    total: int,
    bands: Sequence[Band],
    questionnaire: Questionnaire,
    scorer: Scorer,
) -> tuple[Score, Band | None]:
    answered = len(answers)
    missing = total - answered
    if answered == 0 or answered / total < questionnaire.missing.min_answered_fraction:
        return Score(status="insufficient", answered=answered, missing=missing), None
    output = scorer(answers, total_items=total, parameters=dict(questionnaire.scoring.parameters))
    keyed_sum = math.fsum(a.keyed for a in answers)
    band = next((b for b in bands if b.contains(output.percent)), None)
    return (
        Score(
            status="scored",
            answered=answered,
            missing=missing,
            raw=keyed_sum * total / answered,
            mean=keyed_sum / answered,
            percent=output.percent,
            value=output.value,
            band=BandRef(id=band.id, name=band.name) if band is not None else None,
        ),
        band,
    )


def oracle_score(
    questionnaire: Questionnaire,
    response: Response,
    *,
    framework: Framework,
    scorers: ScorerRegistry,
    scorer: str | None = None,
) -> Result:
    """What :func:`fourresp.assessment.score` must return, computed the plain way."""
    scorer_name = scorer or questionnaire.scoring.scorer
    chosen = scorers.get(scorer_name)
    problems = check_response(questionnaire, response)
    if problems:
        raise DocumentError(problems, source=None)
    keyed: dict[str, KeyedAnswer] = {}
    for item in questionnaire.items:
        value = response.answers.get(item.id)
        if value is None:
            continue
        scale = questionnaire.scale_of(item)
        point = min(scale.points, key=lambda p: abs(p - value))  # values within rounding
        keyed[item.id] = KeyedAnswer(
            item=item.id,
            keyed=scale.min + scale.max - point if item.reverse else point,
            minimum=scale.min,
            maximum=scale.max,
            weight=item.weight,
        )

    def group(items: Sequence[object], name: str) -> tuple[Score, Band | None]:
        ids = [item.id for item in items]  # type: ignore[attr-defined]
        answered = [keyed[i] for i in ids if i in keyed]
        return _group_score(
            answered, len(ids), questionnaire.bands_for(name), questionnaire, chosen
        )

    aspects: list[AspectResult] = []
    responsibilities: list[ResponsibilityResult] = []
    for responsibility in framework:
        ids = {aspect.id for aspect in responsibility.aspects}
        items = [item for item in questionnaire.items if item.aspect in ids]
        if not items:
            continue
        for aspect in responsibility.aspects:
            own = [item for item in items if item.aspect == aspect.id]
            if own:
                aspect_score, _ = _group_score(
                    [keyed[i.id] for i in own if i.id in keyed],
                    len(own),
                    (),
                    questionnaire,
                    chosen,
                )
                aspects.append(
                    AspectResult(
                        aspect=aspect.id,
                        title=aspect.title,
                        responsibility=responsibility.id,
                        items=aspect_score.answered,
                        score=aspect_score,
                    )
                )
        own_score, band = group(items, responsibility.id)
        responsibilities.append(
            ResponsibilityResult(
                responsibility=responsibility.id,
                title=responsibility.title,
                score=own_score,
                doing_well=band.doing_well if band is not None else None,
                to_improve=band.to_improve if band is not None else None,
            )
        )
    if any(r.score.status == "insufficient" for r in responsibilities):
        overall = Score(
            status="insufficient",
            answered=len(keyed),
            missing=len(questionnaire.items) - len(keyed),
        )
        overall_band = None
    else:
        overall, overall_band = group(questionnaire.items, "overall")
    strengths, improvements = _highlights(questionnaire, framework, aspects)
    return Result(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        scorer=scorer_name,
        respondent=response.respondent,
        overall=overall,
        overall_doing_well=overall_band.doing_well if overall_band is not None else None,
        overall_to_improve=overall_band.to_improve if overall_band is not None else None,
        responsibilities=tuple(responsibilities),
        aspects=tuple(aspects),
        strengths=strengths,
        improvements=improvements,
    )


def _highlights(
    questionnaire: Questionnaire, framework: Framework, aspects: list[AspectResult]
) -> tuple[tuple[Highlight, ...], tuple[Highlight, ...]]:
    settings = questionnaire.highlights
    order = {aspect.id: index for index, aspect in enumerate(framework.aspects)}
    # one answered item is too little to call anything a strength or a weakness
    scored = [a for a in aspects if a.score.percent is not None and a.items >= 2]

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

    best_first = sorted(scored, key=lambda r: (-percent(r), order[r.aspect]))
    worst_first = sorted(scored, key=lambda r: (percent(r), order[r.aspect]))
    strengths = tuple(
        highlight(r, True) for r in best_first if percent(r) >= settings.strength_from
    )[: settings.count]
    improvements = tuple(
        highlight(r, False) for r in worst_first if percent(r) < settings.improve_below
    )[: settings.count]
    return strengths, improvements
