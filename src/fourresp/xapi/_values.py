"""The values a statement is made of, checked: the actor, times, durations, ids and scores."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from fourresp._checks import absolute_iri, non_empty_text
from fourresp.errors import ArgumentError

if TYPE_CHECKING:
    import uuid

__all__ = [
    "Timestamp",
    "actor_ifi",
    "agent",
    "as_uuid",
    "aware",
    "format_time",
    "iso_duration",
    "json_number",
    "language_tag",
    "parse_own_time",
    "score_object",
    "uuid_name",
]

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
    for label, value in (
        ("mbox", mbox),
        ("mbox_sha1sum", mbox_sha1sum),
        ("account_home_page", account_home_page),
        ("account_name", account_name),
        ("name", name),
    ):
        if not isinstance(cast(object, value), str | None):  # typed, yet checked
            raise ArgumentError(f"{label} is text, not {type(value).__name__}")
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


def language_tag(tag: str) -> str:
    if not isinstance(tag, str) or not _LANGUAGE.fullmatch(tag):
        raise ArgumentError(f"{tag!r} is not an RFC 5646 language tag (such as en-GB)")
    return tag


def actor_ifi(actor: Mapping[str, Any]) -> list[str]:
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


def aware(value: datetime, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ArgumentError(
            f"{what} needs a timezone: pass an aware datetime, or a clock returning one"
        )
    return value


def format_time(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds")


def parse_own_time(text: str | None, what: str) -> datetime | None:
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ArgumentError(f"{what} {text!r} is not an ISO 8601 date and time") from None
    return aware(parsed, what)


def iso_duration(value: timedelta) -> str:
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


def as_uuid(value: uuid.UUID | str, what: str) -> uuid.UUID:
    import uuid  # (json below too) imported when a statement is first made

    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ArgumentError(f"{what} must be a UUID, not {value!r}") from None


def uuid_name(*parts: Any) -> str:
    """An unambiguous UUID 5 name for ``parts`` (a JSON array, so no separator can clash)."""
    import json

    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def json_number(value: float) -> int | float:
    rounded = round(float(value), 9)
    return int(rounded) if rounded.is_integer() else rounded


def score_object(raw: float, minimum: float, maximum: float) -> dict[str, Any]:
    span = maximum - minimum
    scaled = 0.0 if span == 0 else (raw - minimum) / span
    return {
        "scaled": round(max(-1.0, min(1.0, scaled)), 6),
        "raw": raw,
        "min": minimum,
        "max": maximum,
    }
