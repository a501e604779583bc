"""xAPI 1.0.3 statements for questionnaire attempts and scenario runs.

The app sends them to its learning record store (LRS); fourresp has no HTTP
client. Every statement is checked against ``schemas/xapi-statement.schema.json``,
RFC 3987 for every IRI, and the specification's rules a schema cannot say (a raw
score within its min and max) before it is returned, so nothing invalid is ever
emitted: a value from the app that would break a rule raises
:class:`~fourresp.errors.ArgumentError`.

- :func:`agent`: the actor, identified by ``mbox``, ``mbox_sha1sum`` or an
  ``account`` (exactly one).
- :func:`questionnaire_statements`: one ``answered`` statement per answered item
  (a likert interaction; the score is the keyed score the library counts, the
  answer as given is in the ``answer`` extension), then ``completed`` when the
  attempt could be scored (completion true, the overall percent as the score) or
  ``terminated`` when it could not (completion false, no score).
- :func:`scenario_statements`: ``launched`` and ``initialized``, one ``selected``
  statement per choice (a choice interaction: the scene's choices listed by id
  and text, the chosen id as the response), then, once the run is finished,
  ``completed`` and ``passed`` or ``failed`` by the ending's verdict.

Ids are random (UUID 4) unless the app passes ``namespace``: then every id is a
UUID 5 of the namespace, the actor's identifier, the registration and the
statement's role and position, so two learners never share an id and a resend of
the same attempt is byte-identical (its timestamps then come from the attempt's
own data or one fixed datetime, never a clock).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fourresp._checks import absolute_iri, non_empty_text
from fourresp._iri import is_iri
from fourresp._public import publish
from fourresp.errors import ArgumentError

if TYPE_CHECKING:
    from fourresp.assessment import Questionnaire, Response, Result
    from fourresp.scenario import Run, Scenario

__all__ = [
    "ACTIVITY_TYPES",
    "EXTENSIONS",
    "VERBS",
    "agent",
    "questionnaire_statements",
    "scenario_statements",
    "validate_statement",
]

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
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
#: One result extension per meaning, under ``<activity_base>/extensions/``:
#: ``answer``, the number answered before reverse keying (on every ``answered``);
#: ``responsibility-percent``, each responsibility's percent, or null where it had
#: too few answers (questionnaire's closing statement); ``responsibility-net-marks``,
#: each responsibility's net marks (scenario's ``completed``).
EXTENSIONS = {
    "answer": "extensions/answer",
    "responsibility-percent": "extensions/responsibility-percent",
    "responsibility-net-marks": "extensions/responsibility-net-marks",
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


def _ifi(actor: Mapping[str, Any]) -> list[str]:
    """The actor's inverse functional identifier as a list of strings (for ids)."""
    if not isinstance(actor, Mapping):
        raise ArgumentError("the actor must be an Agent object (see fourresp.xapi.agent)")
    found = [key for key in ("mbox", "mbox_sha1sum", "openid", "account") if key in actor]
    if len(found) != 1:
        raise ArgumentError(
            "an actor needs exactly one identifier: mbox, mbox_sha1sum, or an account "
            "(home page and name)"
        )
    key = found[0]
    if key == "account":
        account = actor["account"]
        if not isinstance(account, Mapping):
            raise ArgumentError("the actor's account must be an object with homePage and name")
        return [key, str(account.get("homePage")), str(account.get("name"))]
    return [key, str(actor[key])]


def _aware(value: datetime, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ArgumentError(
            f"{what} needs a timezone: pass an aware datetime, or a clock returning one"
        )
    return value


def _format_time(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds")


def _own_time(text: str | None, what: str) -> datetime | None:
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ArgumentError(f"{what} {text!r} is not an ISO 8601 date and time") from None
    return _aware(parsed, what)


def _duration(value: timedelta) -> str:
    """An ISO 8601 duration, rounded to hundredths of a second before it is split.

    Whole microseconds are rounded half up to centiseconds first, so 59.999 s is
    ``PT1M0.00S``, never ``PT60.00S``.
    """
    if not isinstance(value, timedelta):
        raise ArgumentError("a duration is a datetime.timedelta")
    if value < timedelta(0):
        raise ArgumentError("a duration cannot be negative")
    microseconds = value // timedelta(microseconds=1)
    centiseconds = (microseconds + 5_000) // 10_000
    hours, rest = divmod(centiseconds, 360_000)
    minutes, rest = divmod(rest, 6_000)
    seconds, hundredths = divmod(rest, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if hours or minutes:
        text += f"{minutes}M"
    return f"{text}{seconds}.{hundredths:02d}S"


def _uuid(value: uuid.UUID | str, what: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ArgumentError(f"{what} must be a UUID, not {value!r}") from None


def _name(*parts: Any) -> str:
    """An unambiguous UUID 5 name for ``parts`` (a JSON array, so no separator can clash)."""
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


class _Attempt:
    """Ids, registration, timestamps and the shared context of one attempt."""

    def __init__(
        self,
        *,
        actor: Mapping[str, Any],
        attempt: list[Any],
        own_time: datetime | None,
        namespace: uuid.UUID | str | None,
        registration: uuid.UUID | str | None,
        timestamp: Timestamp | None,
        platform: str,
        language: str,
        parent: dict[str, Any],
        grouping: dict[str, Any],
    ) -> None:
        self.actor = dict(actor)
        self.ifi = _ifi(actor)
        self.namespace = None if namespace is None else _uuid(namespace, "namespace")
        fixed: datetime | None
        if timestamp is None:
            if own_time is None:
                raise ArgumentError(
                    "pass timestamp=: the attempt has no time of its own (a response's "
                    "completed_at or started_at)"
                )
            fixed = own_time
            self.clock: Callable[[], datetime] | None = None
        elif callable(timestamp):
            if self.namespace is not None:
                raise ArgumentError(
                    "deterministic ids (namespace=) need the attempt's own time or one fixed "
                    "datetime, not a clock: a resend must give byte-identical statements"
                )
            fixed, self.clock = None, timestamp
        else:
            fixed, self.clock = _aware(timestamp, "the timestamp"), None
        self.fixed = None if fixed is None else _format_time(fixed)
        if registration is not None:
            self.registration = str(_uuid(registration, "registration"))
        elif self.namespace is not None:
            self.registration = str(
                uuid.uuid5(self.namespace, _name("registration", self.ifi, attempt, self.fixed))
            )
        else:
            self.registration = str(uuid.uuid4())
        self.platform = non_empty_text(platform, "the platform")
        self.language = _language(language)
        self.parent = parent
        self.grouping = grouping
        self.count = 0

    def _timestamp(self) -> str:
        if self.fixed is not None:
            return self.fixed
        assert self.clock is not None
        return _format_time(_aware(self.clock(), "the timestamp"))

    def statement(
        self,
        verb: str,
        activity: dict[str, Any],
        result: dict[str, Any] | None = None,
        *,
        parent: bool = True,
    ) -> dict[str, Any]:
        """The next statement of the attempt, checked."""
        self.count += 1
        statement_id = (
            uuid.uuid5(
                self.namespace,
                _name("statement", self.ifi, self.registration, verb, self.count),
            )
            if self.namespace is not None
            else uuid.uuid4()
        )
        activities: dict[str, Any] = {"grouping": [self.grouping]}
        if parent:
            activities["parent"] = [self.parent]
        out: dict[str, Any] = {
            "id": str(statement_id),
            "actor": self.actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": activity,
            "context": {
                "registration": self.registration,
                "contextActivities": activities,
                "platform": self.platform,
                "language": self.language,
            },
            "timestamp": self._timestamp(),
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


def _number(value: float) -> int | float:
    rounded = round(float(value), 9)
    return int(rounded) if rounded.is_integer() else rounded


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
    *,
    actor: Mapping[str, Any],
    attempt: list[Any],
    own_time: datetime | None,
    namespace: uuid.UUID | str | None,
    registration: uuid.UUID | str | None,
    timestamp: Timestamp | None,
    platform: str,
) -> _Attempt:
    """An attempt at one activity (its parent), grouped under the framework."""
    from fourresp.content import load_framework

    framework = load_framework()
    language = framework.locale
    return _Attempt(
        actor=actor,
        attempt=attempt,
        own_time=own_time,
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
    base = _base(activity_base)
    questionnaire_id = f"{base}/questionnaires/{questionnaire.id}/{questionnaire.version}"
    answers = sorted([key, value] for key, value in response.answers.items() if value is not None)
    attempt = _begin(
        base,
        questionnaire_id,
        questionnaire.title,
        questionnaire.introduction,
        ACTIVITY_TYPES["assessment"],
        actor=actor,
        attempt=[
            "questionnaire",
            questionnaire.id,
            questionnaire.version,
            response.respondent,
            response.started_at,
            response.completed_at,
            answers,
        ],
        own_time=_own_time(
            response.completed_at or response.started_at, "the response's completed_at"
        ),
        namespace=namespace,
        registration=registration,
        timestamp=timestamp,
        platform=platform,
    )
    language = attempt.language
    answer_key = f"{base}/{EXTENSIONS['answer']}"
    statements = []
    for item in questionnaire.items:
        value = response.answers.get(item.id)
        if value is None:
            continue
        scale = questionnaire.scale_of(item)
        keyed = _number(scale.min + scale.max - value) if item.reverse else value
        activity = _activity(
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
        statements.append(
            attempt.statement(
                "answered",
                activity,
                {
                    "response": _point_id(value),
                    "score": _score(keyed, scale.min, scale.max),
                    "completion": True,
                    "extensions": {answer_key: value},
                },
            )
        )
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
        closing["score"] = _score(overall.percent, 0.0, 100.0)
    if duration is not None:
        closing["duration"] = _duration(duration)
    statements.append(
        attempt.statement(
            "completed" if scored else "terminated", dict(attempt.parent), closing, parent=False
        )
    )
    return statements


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
    from fourresp.scenario import Runner

    base = _base(activity_base)
    scenario_id = f"{base}/scenarios/{scenario.id}/{scenario.version}"
    attempt = _begin(
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
    language, parent = attempt.language, attempt.parent
    statements = [
        attempt.statement("launched", dict(parent), parent=False),
        attempt.statement("initialized", dict(parent), parent=False),
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
        statements.append(attempt.statement("selected", activity, {"response": choice.id}))
    if run.finished:
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
            closing["duration"] = _duration(duration)
        statements.append(attempt.statement("completed", dict(parent), closing, parent=False))
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


def _iris(statement: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every IRI of a statement as fourresp makes them, with where it is."""

    def activity(where: str, value: Any) -> Iterator[tuple[str, Any]]:
        if not isinstance(value, Mapping):
            return
        yield f"{where}.id", value.get("id")
        definition = value.get("definition")
        if isinstance(definition, Mapping):
            if "type" in definition:
                yield f"{where}.definition.type", definition["type"]
            yield from extensions(f"{where}.definition.extensions", definition.get("extensions"))

    def extensions(where: str, value: Any) -> Iterator[tuple[str, Any]]:
        if isinstance(value, Mapping):
            for key in value:
                yield f"{where}[{key!r}]", key

    actor = statement.get("actor")
    if isinstance(actor, Mapping) and isinstance(actor.get("account"), Mapping):
        yield "$.actor.account.homePage", actor["account"].get("homePage")
    verb = statement.get("verb")
    if isinstance(verb, Mapping):
        yield "$.verb.id", verb.get("id")
    yield from activity("$.object", statement.get("object"))
    result = statement.get("result")
    if isinstance(result, Mapping):
        yield from extensions("$.result.extensions", result.get("extensions"))
    context = statement.get("context")
    if isinstance(context, Mapping):
        yield from extensions("$.context.extensions", context.get("extensions"))
        groups = context.get("contextActivities")
        if isinstance(groups, Mapping):
            for group, members in groups.items():
                for index, member in enumerate(members if isinstance(members, list) else []):
                    yield from activity(f"$.context.contextActivities.{group}[{index}]", member)


def validate_statement(statement: Mapping[str, Any]) -> None:
    """Check a statement against the xAPI 1.0.3 rules; :class:`ArgumentError` names what breaks.

    The JSON Schema ``xapi-statement`` says most of it; every IRI is then checked
    by RFC 3987's grammar, and what a schema cannot compare (a raw score between
    its min and max, min below max) is checked here.
    """
    from fourresp._paths import format_path
    from fourresp._schemas import schema_problems

    for path, message in schema_problems("xapi-statement", statement):
        raise ArgumentError(
            f"the statement breaks the xAPI rules at {format_path(path)}: {message}"
        )
    for where, value in _iris(statement):
        if not is_iri(value):
            raise ArgumentError(
                f"the statement breaks the xAPI rules at {where}: {value!r} is not an RFC 3987 IRI"
            )
    score = statement.get("result", {}).get("score")
    if score is not None and "raw" in score:
        low, high = score.get("min"), score.get("max")
        if low is not None and high is not None and low > high:
            raise ArgumentError("the score's min is above its max")
        if (low is not None and score["raw"] < low) or (high is not None and score["raw"] > high):
            raise ArgumentError("the raw score is outside its min and max")


publish(__name__, globals())
