"""One attempt's statements: their ids, registration, timestamps and shared context."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from fourresp._checks import absolute_iri, non_empty_text
from fourresp.errors import ArgumentError
from fourresp.xapi._checks import validate_statement
from fourresp.xapi._values import (
    Timestamp,
    actor_ifi,
    as_uuid,
    aware,
    format_time,
    language_tag,
    uuid_name,
)
from fourresp.xapi._vocabulary import ACTIVITY_TYPES, VERBS

if TYPE_CHECKING:
    import uuid

__all__ = ["Attempt", "activity_object", "base_iri"]


class Attempt:
    """Ids, registration, timestamps and the shared context of one attempt at an activity
    (its parent, ``activity_id`` under ``base``), grouped under the framework."""

    def __init__(
        self,
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
    ) -> None:
        if not isinstance(cast(object, actor), Mapping):  # typed, yet checked
            raise ArgumentError(f"the actor is a mapping (see agent()), not {type(actor).__name__}")
        from fourresp.content import load_framework

        framework = load_framework()
        language = framework.locale
        self.parent = activity_object(activity_id, title, language, activity_type, description)
        self.grouping = activity_object(
            f"{base}/frameworks/{framework.id}/{framework.version}",
            framework.title,
            language,
            ACTIVITY_TYPES["objective"],
        )
        self.actor = dict(actor)
        self.ifi = actor_ifi(actor)
        self.namespace = None if namespace is None else as_uuid(namespace, "namespace")
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
            fixed, self.clock = aware(timestamp, "the timestamp"), None
        self.fixed = None if fixed is None else format_time(fixed)
        import uuid  # imported for the first attempt, not with the package

        if registration is not None:
            self.registration = str(as_uuid(registration, "registration"))
        elif self.namespace is not None:
            self.registration = str(
                uuid.uuid5(self.namespace, uuid_name("registration", self.ifi, attempt, self.fixed))
            )
        else:
            self.registration = str(uuid.uuid4())
        self.platform = non_empty_text(platform, "the platform")
        self.language = language_tag(language)
        self.count = 0

    def _timestamp(self) -> str:
        if self.fixed is not None:
            return self.fixed
        assert self.clock is not None
        return format_time(aware(self.clock(), "the timestamp"))

    def statement(
        self,
        verb: str,
        activity: dict[str, Any],
        result: dict[str, Any] | None = None,
        *,
        parent: bool = True,
    ) -> dict[str, Any]:
        """The next statement of the attempt, checked."""
        import uuid

        self.count += 1
        statement_id = (
            uuid.uuid5(
                self.namespace,
                uuid_name("statement", self.ifi, self.registration, verb, self.count),
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


def activity_object(
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


def base_iri(activity_base: str) -> str:
    return absolute_iri(activity_base, "the activity base").rstrip("/")
