"""SurveyJS: a questionnaire as a survey, and a survey's answers back as a response.

The survey has a page per responsibility and a rating question per item with the
scale's labels. Its ``calculatedValues`` reproduce fourresp's raw score per
responsibility (reverse keying and prorating included), so a SurveyJS front end
can show a live preview; the authoritative score is still :func:`fourresp.assessment.score`
of the imported answers.

SurveyJS's own arithmetic has two traps the expressions avoid: ``sum()`` skips
unanswered questions (so it cannot prorate), and arithmetic on an unanswered
question treats it as 0 (so ``6 - {q4}`` would give 6). Every answer is guarded
with ``iif({q} notempty, ..., 0)`` and the answered count is kept beside the sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fourresp.errors import DocumentError, Problem

__all__ = ["from_surveyjs", "responsibility_expression", "to_surveyjs"]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def responsibility_expression(items: list[Any], questionnaire: Any) -> str:
    """The SurveyJS expression of the raw (prorated, keyed) score of ``items``."""
    keyed, answered = [], []
    for item in items:
        scale = questionnaire.scale_of(item)
        name = "{" + item.id + "}"
        value = f"({_number(scale.min + scale.max)} - {name})" if item.reverse else name
        keyed.append(f"iif({name} notempty, {value}, 0)")
        answered.append(f"iif({name} notempty, 1, 0)")
    total = " + ".join(keyed)
    count = " + ".join(answered)
    return f"iif(({count}) > 0, ({total}) * {len(items)} / ({count}), 0)"


def to_surveyjs(questionnaire: Any, *, framework: Any = None) -> dict[str, Any]:
    """The questionnaire as SurveyJS survey JSON (``new Survey.Model(json)``)."""
    from fourresp.content import load_framework

    framework = framework or load_framework()
    pages = []
    calculated = []
    for responsibility in framework:
        aspect_ids = {aspect.id for aspect in responsibility.aspects}
        items = [item for item in questionnaire.items if item.aspect in aspect_ids]
        if not items:
            continue
        elements = []
        for item in items:
            scale = questionnaire.scale_of(item)
            elements.append(
                {
                    "type": "rating",
                    "name": item.id,
                    "title": item.text,
                    "isRequired": False,
                    "rateValues": [
                        {"value": point, "text": scale.label_for(point) or _number(point)}
                        for point in scale.points
                    ],
                }
            )
        pages.append(
            {"name": responsibility.id, "title": responsibility.title, "elements": elements}
        )
        calculated.append(
            {
                "name": f"{responsibility.id}-raw",
                "expression": responsibility_expression(items, questionnaire),
                "includeIntoResult": False,
            }
        )
    return {
        "title": questionnaire.title,
        "description": questionnaire.introduction,
        "pages": pages,
        "calculatedValues": calculated,
        "showQuestionNumbers": "off",
    }


def from_surveyjs(
    questionnaire: Any, data: Mapping[str, Any], *, respondent: str | None = None
) -> Any:
    """A :class:`~fourresp.assessment.Response` from SurveyJS results (``survey.data``).

    Unanswered questions are skipped items. Keys that are not item ids (other
    questions, comments) are refused with :class:`~fourresp.errors.DocumentError`,
    as are values that are not numbers; scoring then checks scale and step.
    """
    from fourresp.assessment import Response

    if not isinstance(data, Mapping):
        raise DocumentError([Problem(code="invalid", message="survey data is a JSON object")])
    items = {item.id for item in questionnaire.items}
    problems = []
    answers: dict[str, Any] = dict.fromkeys(items)
    for key, value in data.items():
        if key not in items:
            problems.append(
                Problem(
                    code="unknown-item",
                    message=f"{key!r} is not an item of the questionnaire",
                    path=f"$.{key}",
                )
            )
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append(
                Problem(
                    code="not-a-number",
                    message=f"{key!r}: expected a number, found {type(value).__name__}",
                    path=f"$.{key}",
                )
            )
        else:
            answers[key] = value
    if problems:
        raise DocumentError(problems, source="survey data")
    return Response(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        answers={item.id: answers[item.id] for item in questionnaire.items},
        respondent=respondent,
    )
