"""xAPI 1.0.3 statements for questionnaire attempts and scenario runs.

The app sends them to its learning record store (LRS); fourresp has no HTTP
client. Every statement is checked against ``schemas/xapi-statement.schema.json``
and the specification's rules a schema cannot say (a raw score within its min
and max) before it is returned, so nothing invalid is ever emitted: a value from
the app that would break a rule raises :class:`~fourresp.errors.ArgumentError`.

- :func:`agent`: the actor, identified by ``mbox``, ``mbox_sha1sum`` or an
  ``account`` (exactly one).
- :func:`questionnaire_statements`: one ``answered`` statement per answered item
  (a likert interaction with the scale as its choices) and a closing
  ``completed`` statement with the overall score and, as result extensions, each
  responsibility's percent.
- :func:`scenario_statements`: ``launched`` and ``initialized``, one ``selected``
  statement per choice (the choice's text as the response), then ``completed``
  and ``passed`` or ``failed`` by the ending's verdict.

Statement ids are random (UUID 4) unless the app passes ``namespace``: then they
are UUID 5 of the namespace and the statement's place in the attempt, the same
on every run. Timestamps come from ``timestamp``: a timezone-aware datetime, or a
clock (a function returning one) the app passes.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from fourresp._checks import absolute_iri, non_empty_text
from fourresp.errors import ArgumentError

__all__ = [
    "ACTIVITY_TYPES",
    "VERBS",
    "agent",
    "questionnaire_statements",
    "scenario_statements",
    "validate_statement",
]

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "selected": "http://id.tincanapi.com/verb/selected",
}
ACTIVITY_TYPES = {
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "simulation": "http://adlnet.gov/expapi/activities/simulation",
    "objective": "http://adlnet.gov/expapi/activities/objective",
}
_MAILTO = re.compile(r"mailto:[^@\s]+@[^@\s]+\.[^@\s]+")
_SHA1 = re.compile(r"[0-9a-f]{40}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
Timestamp = datetime | Callable[[], datetime]


def agent(
    *,
    mbox: str | None = None,
    mbox_sha1sum: str | None = None,
    account_home_page: str | None = None,
    account_name: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """An xAPI Agent with exactly one identifier.

    ``mbox`` is an e-mail address (``mailto:`` is added if missing); ``mbox_sha1sum``
    the hex SHA-1 of the ``mailto:`` IRI; or an account: ``account_home_page`` (an
    IRI) and ``account_name``. Raises :class:`~fourresp.errors.ArgumentError`
    for none, several, or a malformed one.
    """
    given = [
        mbox is not None,
        mbox_sha1sum is not None,
        account_home_page is not None or account_name is not None,
    ]
    if sum(given) != 1:
        raise ArgumentError(
            "an actor needs exactly one identifier: mbox, mbox_sha1sum, or an account "
            "(home page and name)"
        )
    out: dict[str, Any] = {"objectType": "Agent"}
    if name is not None:
        out["name"] = non_empty_text(name, "the actor's name")
    if mbox is not None:
        address = mbox if mbox.startswith("mailto:") else f"mailto:{mbox}"
        if not _MAILTO.fullmatch(address):
            raise ArgumentError(f"mbox must be an e-mail address, not {mbox!r}")
        out["mbox"] = address
    elif mbox_sha1sum is not None:
        if not _SHA1.fullmatch(mbox_sha1sum):
            raise ArgumentError("mbox_sha1sum is 40 lower-case hex digits")
        out["mbox_sha1sum"] = mbox_sha1sum
    else:
        if account_home_page is None or account_name is None:
            raise ArgumentError("an account needs both a home page and a name")
        out["account"] = {
            "homePage": absolute_iri(account_home_page, "the account home page"),
            "name": non_empty_text(account_name, "the account name"),
        }
    return out


def _language(tag: str) -> str:
    if not isinstance(tag, str) or not _LANGUAGE.fullmatch(tag):
        raise ArgumentError(f"{tag!r} is not an RFC 5646 language tag (such as en-GB)")
    return tag


def _now(timestamp: Timestamp) -> str:
    value = timestamp() if callable(timestamp) else timestamp
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ArgumentError(
            "timestamps need a timezone: pass an aware datetime, or a clock returning one"
        )
    return value.isoformat(timespec="milliseconds")


def _duration(value: timedelta) -> str:
    if value < timedelta(0):
        raise ArgumentError("a duration cannot be negative")
    total = value.total_seconds()
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"PT{int(hours)}H{int(minutes)}M{seconds:.2f}S"


class _Attempt:
    """Ids, registration, timestamps and the shared context of one attempt."""

    def __init__(
        self,
        *,
        key: str,
        namespace: uuid.UUID | str | None,
        registration: uuid.UUID | str | None,
        timestamp: Timestamp,
        platform: str,
        language: str,
        parent: dict[str, Any],
        grouping: dict[str, Any],
    ) -> None:
        if namespace is not None and not isinstance(namespace, uuid.UUID):
            try:
                namespace = uuid.UUID(str(namespace))
            except ValueError:
                raise ArgumentError(f"namespace must be a UUID, not {namespace!r}") from None
        self.namespace = namespace
        self.key = key
        if registration is None:
            registration = (
                uuid.uuid5(namespace, f"{key}#registration") if namespace else uuid.uuid4()
            )
        try:
            self.registration = str(uuid.UUID(str(registration)))
        except ValueError:
            raise ArgumentError(f"registration must be a UUID, not {registration!r}") from None
        self.timestamp = timestamp
        self.platform = non_empty_text(platform, "the platform")
        self.language = _language(language)
        self.parent = parent
        self.grouping = grouping
        self.count = 0

    def statement(
        self,
        actor: dict[str, Any],
        verb: str,
        activity: dict[str, Any],
        result: dict[str, Any] | None = None,
        *,
        parent: bool = True,
    ) -> dict[str, Any]:
        self.count += 1
        statement_id = (
            uuid.uuid5(self.namespace, f"{self.key}#{self.count}#{verb}")
            if self.namespace is not None
            else uuid.uuid4()
        )
        activities: dict[str, Any] = {"grouping": [self.grouping]}
        if parent:
            activities["parent"] = [self.parent]
        out: dict[str, Any] = {
            "id": str(statement_id),
            "actor": actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": activity,
            "context": {
                "registration": self.registration,
                "contextActivities": activities,
                "platform": self.platform,
                "language": self.language,
            },
            "timestamp": _now(self.timestamp),
        }
        if result is not None:
            out["result"] = result
        validate_statement(out)
        return out


def _activity(
    activity_id: str,
    name: str,
    language: str,
    activity_type: str,
    description: str | None = None,
    **definition: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": {language: name}, "type": activity_type}
    if description:
        body["description"] = {language: description}
    body.update(definition)
    return {"objectType": "Activity", "id": activity_id, "definition": body}


def _base(activity_base: str) -> str:
    return absolute_iri(activity_base, "the activity base").rstrip("/")


def _score(raw: float, minimum: float, maximum: float) -> dict[str, Any]:
    span = maximum - minimum
    scaled = 0.0 if span == 0 else (raw - minimum) / span
    return {
        "scaled": round(max(-1.0, min(1.0, scaled)), 6),
        "raw": raw,
        "min": minimum,
        "max": maximum,
    }


def _begin(
    base: str,
    activity_id: str,
    title: str,
    description: str,
    activity_type: str,
    key: str,
    *,
    namespace: uuid.UUID | str | None,
    registration: uuid.UUID | str | None,
    timestamp: Timestamp,
    platform: str,
) -> _Attempt:
    """An attempt at one activity (its parent), grouped under the framework."""
    from fourresp.content import load_framework

    framework = load_framework()
    language = framework.locale
    return _Attempt(
        key=key,
        namespace=namespace,
        registration=registration,
        timestamp=timestamp,
        platform=platform,
        language=language,
        parent=_activity(activity_id, title, language, activity_type, description),
        grouping=_activity(
            f"{base}/frameworks/{framework.id}/{framework.version}",
            framework.title,
            language,
            ACTIVITY_TYPES["objective"],
        ),
    )


def questionnaire_statements(
    questionnaire: Any,
    response: Any,
    result: Any,
    *,
    actor: Mapping[str, Any],
    activity_base: str,
    timestamp: Timestamp,
    namespace: uuid.UUID | str | None = None,
    registration: uuid.UUID | str | None = None,
    platform: str = "fourresp",
    duration: timedelta | None = None,
) -> list[dict[str, Any]]:
    """xAPI statements for one questionnaire attempt: an ``answered`` per item, then ``completed``.

    ``result`` is :func:`fourresp.assessment.score` of ``response``. Activity ids
    live under ``activity_base`` (an IRI of the app's); per-responsibility
    percents travel as result extensions ``<base>/extensions/responsibility/<id>``.
    """
    base = _base(activity_base)
    questionnaire_id = f"{base}/questionnaires/{questionnaire.id}/{questionnaire.version}"
    attempt = _begin(
        base,
        questionnaire_id,
        questionnaire.title,
        questionnaire.introduction,
        ACTIVITY_TYPES["assessment"],
        f"questionnaire:{questionnaire.id}:{questionnaire.version}:{_respondent_key(response)}",
        namespace=namespace,
        registration=registration,
        timestamp=timestamp,
        platform=platform,
    )
    language, parent = attempt.language, attempt.parent
    who = dict(actor)
    statements = []
    for item in questionnaire.items:
        value = response.answers.get(item.id)
        if value is None:
            continue
        scale = questionnaire.scale_of(item)
        points = scale.points
        activity = _activity(
            f"{questionnaire_id}/items/{item.id}",
            item.text,
            language,
            ACTIVITY_TYPES["interaction"],
            interactionType="likert",
            scale=[
                {"id": _point_id(p), "description": {language: scale.label_for(p) or str(p)}}
                for p in points
            ],
        )
        statements.append(
            attempt.statement(
                who,
                "answered",
                activity,
                {
                    "response": _point_id(value),
                    "score": _score(value, scale.min, scale.max),
                    "completion": True,
                },
            )
        )
    overall = result.overall
    closing: dict[str, Any] = {
        "completion": overall.status == "scored",
        "extensions": {
            f"{base}/extensions/responsibility/{r.responsibility}": r.score.percent
            for r in result.responsibilities
        },
    }
    if overall.percent is not None:
        closing["score"] = _score(overall.percent, 0.0, 100.0)
    if duration is not None:
        closing["duration"] = _duration(duration)
    closing_activity = dict(parent)
    statements.append(attempt.statement(who, "completed", closing_activity, closing, parent=False))
    return statements


def _point_id(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _respondent_key(response: Any) -> str:
    respondent = getattr(response, "respondent", None) or ""
    answers = "&".join(f"{k}={v}" for k, v in sorted(response.answers.items()))
    return hashlib.sha256(f"{respondent}|{answers}".encode()).hexdigest()[:16]


def scenario_statements(
    scenario: Any,
    run: Any,
    *,
    actor: Mapping[str, Any],
    activity_base: str,
    timestamp: Timestamp,
    namespace: uuid.UUID | str | None = None,
    registration: uuid.UUID | str | None = None,
    platform: str = "fourresp",
    duration: timedelta | None = None,
) -> list[dict[str, Any]]:
    """xAPI statements for one scenario run: launched, initialized, selected per choice, and,
    once finished, completed and passed or failed."""
    from fourresp.scenario import Runner

    base = _base(activity_base)
    scenario_id = f"{base}/scenarios/{scenario.id}/{scenario.version}"
    path = "/".join(step.choice for step in run.steps)
    path_digest = hashlib.sha256(path.encode()).hexdigest()[:16]
    attempt = _begin(
        base,
        scenario_id,
        scenario.title,
        scenario.introduction,
        ACTIVITY_TYPES["simulation"],
        f"scenario:{scenario.id}:{scenario.version}:{path_digest}",
        namespace=namespace,
        registration=registration,
        timestamp=timestamp,
        platform=platform,
    )
    language, parent = attempt.language, attempt.parent
    who = dict(actor)
    statements = [
        attempt.statement(who, "launched", dict(parent), parent=False),
        attempt.statement(who, "initialized", dict(parent), parent=False),
    ]
    for step in run.steps:
        scene = scenario.scene(step.scene)
        choice = scene.choice(step.choice)
        activity = _activity(
            f"{scenario_id}/scenes/{scene.id}",
            scene.act or scene.id,
            language,
            ACTIVITY_TYPES["interaction"],
            scene.text,
            interactionType="choice",
            choices=[{"id": c.id, "description": {language: c.text}} for c in scene.choices],
        )
        statements.append(attempt.statement(who, "selected", activity, {"response": choice.text}))
    if run.finished:
        runner = Runner(scenario)
        card = runner.scorecard(run)
        ending = card.ending
        closing: dict[str, Any] = {
            "completion": True,
            "extensions": {
                f"{base}/extensions/responsibility/{r.responsibility}": r.net
                for r in card.responsibilities
            },
        }
        if ending is not None:
            closing["response"] = ending.verdict
        if duration is not None:
            closing["duration"] = _duration(duration)
        statements.append(attempt.statement(who, "completed", dict(parent), closing, parent=False))
        if ending is not None and ending.passed is not None:
            verb = "passed" if ending.passed else "failed"
            statements.append(
                attempt.statement(
                    who,
                    verb,
                    dict(parent),
                    {"success": ending.passed, "completion": True, "response": ending.verdict},
                    parent=False,
                )
            )
    return statements


def validate_statement(statement: Mapping[str, Any]) -> None:
    """Check a statement against the xAPI 1.0.3 rules; :class:`ArgumentError` names what breaks.

    The JSON Schema ``xapi-statement`` says most of it; what a schema cannot
    compare (a raw score between its min and max, min below max) is checked here.
    """
    from fourresp._schemas import schema_problems

    for path, message in schema_problems("xapi-statement", statement):
        from fourresp._paths import format_path

        raise ArgumentError(
            f"the statement breaks the xAPI rules at {format_path(path)}: {message}"
        )
    score = statement.get("result", {}).get("score")
    if score is not None and "raw" in score:
        low, high = score.get("min"), score.get("max")
        if low is not None and high is not None and low > high:
            raise ArgumentError("the score's min is above its max")
        if (low is not None and score["raw"] < low) or (high is not None and score["raw"] > high):
            raise ArgumentError("the raw score is outside its min and max")
