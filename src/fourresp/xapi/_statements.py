"""The statements of a questionnaire attempt and of a scenario run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from fourresp.xapi._attempt import Attempt, activity_object, base_iri
from fourresp.xapi._values import Timestamp, iso_duration, json_number, parse_own_time, score_object
from fourresp.xapi._vocabulary import ACTIVITY_TYPES, EXTENSIONS

if TYPE_CHECKING:
    import uuid

    from fourresp.assessment import Item, Questionnaire, Response, Result
    from fourresp.scenario import Run, Scenario, Step

__all__ = ["questionnaire_statements", "scenario_statements"]


def questionnaire_statements(
    questionnaire: Questionnaire,
    response: Response,
    result: Result,
    *,
    actor: Mapping[str, Any],
    activity_base: str,
    timestamp: Timestamp | None = None,
    namespace: uuid.UUID | str | None = None,
    registration: uuid.UUID | str | None = None,
    platform: str = "fourresp",
    duration: timedelta | None = None,
) -> list[dict[str, Any]]:
    """xAPI statements for one questionnaire attempt: an ``answered`` per item, then the close.

    ``result`` is :func:`fourresp.assessment.score` of ``response``. Activity ids
    live under ``activity_base`` (an IRI of the app's; required). Each ``answered``
    statement is a likert interaction: ``response`` is the point chosen, the score
    the keyed score (``min + max - answer`` for a reversed item) and the answer as
    given is the ``answer`` extension. The attempt closes with ``completed``
    (completion true, the overall percent as score) when the library could score
    it, or ``terminated`` (completion false, no score) when too few items were
    answered; both carry each responsibility's percent (null where it had too few
    answers) in the ``responsibility-percent`` extension.

    ``timestamp`` is an aware datetime or a clock; left out, the response's
    ``completed_at`` (or ``started_at``) is used. With ``namespace`` (a UUID) ids
    are deterministic and a clock is refused. ``registration`` defaults to one
    derived from the namespace, the actor and the attempt (random without a
    namespace). Raises :class:`~fourresp.errors.ArgumentError` for a value that
    would make an invalid statement.
    """
    base = base_iri(activity_base)
    questionnaire_id = f"{base}/questionnaires/{questionnaire.id}/{questionnaire.version}"
    attempt = Attempt(
        base,
        questionnaire_id,
        questionnaire.title,
        questionnaire.introduction,
        ACTIVITY_TYPES["assessment"],
        actor=actor,
        attempt=_questionnaire_attempt(questionnaire, response),
        own_time=parse_own_time(
            response.completed_at or response.started_at, "the response's completed_at"
        ),
        namespace=namespace,
        registration=registration,
        timestamp=timestamp,
        platform=platform,
    )
    answer_key = f"{base}/{EXTENSIONS['answer']}"
    statements = []
    for item in questionnaire.items:
        value = response.answers.get(item.id)
        if value is not None:
            statements.append(
                _answered(attempt, questionnaire, questionnaire_id, item, value, answer_key)
            )
    statements.append(_questionnaire_close(attempt, base, result, duration))
    return statements


def _questionnaire_attempt(questionnaire: Questionnaire, response: Response) -> list[Any]:
    """What identifies a questionnaire attempt (the name its derived registration is made of)."""
    answers = sorted([key, value] for key, value in response.answers.items() if value is not None)
    return [
        "questionnaire",
        questionnaire.id,
        questionnaire.version,
        response.respondent,
        response.started_at,
        response.completed_at,
        answers,
    ]


def _answered(
    attempt: Attempt,
    questionnaire: Questionnaire,
    questionnaire_id: str,
    item: Item,
    value: float,
    answer_key: str,
) -> dict[str, Any]:
    """The ``answered`` statement of one item: a likert interaction, scored as keyed."""
    language = attempt.language
    scale = questionnaire.scale_of(item)
    keyed = json_number(scale.min + scale.max - value) if item.reverse else value
    activity = activity_object(
        f"{questionnaire_id}/items/{item.id}",
        item.text,
        language,
        ACTIVITY_TYPES["interaction"],
        interactionType="likert",
        scale=[
            {"id": _point_id(p), "description": {language: scale.label_for(p) or str(p)}}
            for p in scale.points
        ],
    )
    return attempt.statement(
        "answered",
        activity,
        {
            "response": _point_id(value),
            "score": score_object(keyed, scale.min, scale.max),
            "completion": True,
            "extensions": {answer_key: value},
        },
    )


def _questionnaire_close(
    attempt: Attempt, base: str, result: Result, duration: timedelta | None
) -> dict[str, Any]:
    """``completed`` with the overall percent when the attempt was scored, else ``terminated``."""
    overall = result.overall
    scored = overall.status == "scored" and overall.percent is not None
    closing: dict[str, Any] = {
        "completion": scored,
        "extensions": {
            f"{base}/{EXTENSIONS['responsibility-percent']}": {
                r.responsibility: r.score.percent for r in result.responsibilities
            }
        },
    }
    if scored:
        assert overall.percent is not None
        closing["score"] = score_object(overall.percent, 0.0, 100.0)
    if duration is not None:
        closing["duration"] = iso_duration(duration)
    return attempt.statement(
        "completed" if scored else "terminated", dict(attempt.parent), closing, parent=False
    )


def _point_id(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def scenario_statements(
    scenario: Scenario,
    run: Run,
    *,
    actor: Mapping[str, Any],
    activity_base: str,
    timestamp: Timestamp | None = None,
    namespace: uuid.UUID | str | None = None,
    registration: uuid.UUID | str | None = None,
    platform: str = "fourresp",
    duration: timedelta | None = None,
) -> list[dict[str, Any]]:
    """xAPI statements for one scenario run: launched, initialized, selected per choice and,
    once finished, completed and passed or failed.

    Each ``selected`` statement's object is the scene as a ``choice`` interaction
    (every choice of the scene listed by id with its text); ``response`` is the
    chosen choice's id. ``completed`` carries each responsibility's net marks in
    the ``responsibility-net-marks`` extension. A run not yet finished has no
    closing statement: sent again once finished, its earlier statements come out
    the same (with ``namespace`` and the same ``registration`` and ``timestamp``).
    A run has no time of its own, so ``timestamp`` is required; with ``namespace``
    and no ``registration``, the registration is derived from the actor, the
    scenario and that timestamp (the time the run was played identifies it).
    Arguments as for :func:`questionnaire_statements`.
    """
    base = base_iri(activity_base)
    scenario_id = f"{base}/scenarios/{scenario.id}/{scenario.version}"
    attempt = Attempt(
        base,
        scenario_id,
        scenario.title,
        scenario.introduction,
        ACTIVITY_TYPES["simulation"],
        actor=actor,
        attempt=["scenario", scenario.id, scenario.version],
        own_time=None,
        namespace=namespace,
        registration=registration,
        timestamp=timestamp,
        platform=platform,
    )
    parent = attempt.parent
    statements = [
        attempt.statement("launched", dict(parent), parent=False),
        attempt.statement("initialized", dict(parent), parent=False),
    ]
    for step in run.steps:
        statements.append(_selected(attempt, scenario, scenario_id, step))
    if run.finished:
        statements.extend(_scenario_close(attempt, base, scenario, run, duration))
    return statements


def _selected(attempt: Attempt, scenario: Scenario, scenario_id: str, step: Step) -> dict[str, Any]:
    """The ``selected`` statement of one step: the scene as a choice interaction."""
    language = attempt.language
    scene = scenario.scene(step.scene)
    choice = scene.choice(step.choice)
    activity = activity_object(
        f"{scenario_id}/scenes/{scene.id}",
        scene.act or scene.id,
        language,
        ACTIVITY_TYPES["interaction"],
        scene.text,
        interactionType="choice",
        choices=[{"id": c.id, "description": {language: c.text}} for c in scene.choices],
    )
    return attempt.statement("selected", activity, {"response": choice.id})


def _scenario_close(
    attempt: Attempt, base: str, scenario: Scenario, run: Run, duration: timedelta | None
) -> list[dict[str, Any]]:
    """``completed`` with the net marks, then ``passed`` or ``failed`` by the ending's verdict."""
    from fourresp.scenario import Runner

    parent = attempt.parent
    card = Runner(scenario).scorecard(run)
    ending = card.ending
    closing: dict[str, Any] = {
        "completion": True,
        "extensions": {
            f"{base}/{EXTENSIONS['responsibility-net-marks']}": {
                r.responsibility: r.net for r in card.responsibilities
            }
        },
    }
    if ending is not None:
        closing["response"] = ending.verdict
    if duration is not None:
        closing["duration"] = iso_duration(duration)
    statements = [attempt.statement("completed", dict(parent), closing, parent=False)]
    if ending is not None and ending.passed is not None:
        verb = "passed" if ending.passed else "failed"
        statements.append(
            attempt.statement(
                verb,
                dict(parent),
                {"success": ending.passed, "completion": True, "response": ending.verdict},
                parent=False,
            )
        )
    return statements
