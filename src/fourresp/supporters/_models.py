"""Pledges and supporters: what a person gives, what the registry keeps.

Text from people is never trusted. Every text field (name, organisation, role)
is cleaned by these rules, in order:

1. Unicode NFC normalisation; tabs and line breaks become spaces; runs of spaces
   become one; leading and trailing spaces go.
2. Refused, with an error naming the field: an empty value; control characters
   (Unicode category Cc) and invisible format characters (Cf, except the zero-width
   joiners that some scripts need); ``<`` or ``>`` (markup has no place in a name);
   more than :data:`MAX_NAME` characters for a name or role, :data:`MAX_ORGANISATION`
   for an organisation.

An e-mail address is trimmed and lower-cased, must look like ``local@domain.tld``
(at most 254 characters), and is stored only as a salted hash unless the app
asks to keep it. A country is an ISO 3166-1 alpha-2 code (``GB``, ``NO``...),
upper-cased. The pledge date is an ISO date (``2026-11-29``).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import attrs

from fourresp._load import DocumentKind, Finding
from fourresp._paths import format_path
from fourresp.errors import DocumentError, Problem
from fourresp.supporters._countries import COUNTRY_CODES

__all__ = [
    "MAX_NAME",
    "MAX_ORGANISATION",
    "PLEDGE_KIND",
    "Page",
    "Pledge",
    "Supporter",
    "clean_pledge",
    "normalise_email",
]

MAX_NAME = 100
MAX_ORGANISATION = 200
MAX_EMAIL = 254
_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[^@\s<>\"(),;:\[\]\\]+@[^@\s<>\"(),;:\[\]\\]+\.[^@\s<>\"(),;:\[\]\\]+")
_KEY = re.compile(r"[\x21-\x7e]{1,200}")
_JOINERS = {"\u200c", "\u200d"}


@attrs.frozen(kw_only=True)
class Pledge:
    """A person's pledge to the four responsibilities, as given (``kind: pledge``).

    ``public`` is their consent to be listed publicly. ``email`` (or, without one,
    ``key``, any stable id the app has for the person) makes adding idempotent:
    the same address pledging twice gives back the first record.
    """

    name: str
    pledged_on: str
    framework_version: str
    public: bool = False
    organisation: str | None = None
    role: str | None = None
    country: str | None = None
    email: str | None = None
    key: str | None = None


@attrs.frozen(kw_only=True)
class Supporter:
    """A supporter as the registry keeps them.

    ``email`` is None unless the registry was asked to keep addresses;
    ``email_hash`` is the salted hash used to recognise the same address again.
    """

    id: int
    name: str
    public: bool
    pledged_on: str
    framework_version: str
    organisation: str | None = None
    role: str | None = None
    country: str | None = None
    email: str | None = None
    email_hash: str | None = attrs.field(default=None, repr=False)
    key: str | None = None


@attrs.frozen(kw_only=True)
class Page:
    """One page of the public list, and the cursor for the next (None at the end)."""

    supporters: tuple[Supporter, ...]
    next_cursor: str | None


def _clean_text(value: Any, field: str, limit: int) -> tuple[str | None, str | None]:
    """(cleaned value, None) or (None, what is wrong)."""
    if not isinstance(value, str):
        return None, f"{field} must be text, not {type(value).__name__}"
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    if not text:
        return None, f"{field} must not be empty"
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" or (category == "Cf" and char not in _JOINERS):
            return None, (
                f"{field} contains an invisible or control character (U+{ord(char):04X}): remove it"
            )
    if "<" in text or ">" in text:
        return None, f"{field} must not contain '<' or '>': markup is not allowed"
    if len(text) > limit:
        return None, f"{field} is {len(text)} characters long; the most is {limit}"
    return text, None


def normalise_email(value: Any) -> str:
    """An e-mail address trimmed and lower-cased; :class:`~fourresp.errors.DocumentError`
    when it does not look like one."""
    address, problem = _email(value)
    if problem is not None:
        raise DocumentError([Problem(code="invalid", message=problem, path="$.email")])
    assert address is not None
    return address


def _email(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, str):
        return None, f"email must be text, not {type(value).__name__}"
    address = unicodedata.normalize("NFC", value).strip().lower()
    if len(address) > MAX_EMAIL:
        return None, f"email is {len(address)} characters long; the most is {MAX_EMAIL}"
    if not _EMAIL.fullmatch(address):
        return None, f"email {value[:60]!r} is not an e-mail address (name@example.org)"
    return address, None


def _problems(pledge: Pledge) -> Iterator[tuple[str, str, Any]]:
    """(field, message, None) for each problem, or (field, None, cleaned value)."""
    for field, limit, required in (
        ("name", MAX_NAME, True),
        ("organisation", MAX_ORGANISATION, False),
        ("role", MAX_NAME, False),
    ):
        value = getattr(pledge, field)
        if value is None and not required:
            continue
        cleaned, problem = _clean_text(value, field, limit)
        yield (field, problem, None) if problem else (field, "", cleaned)
    if pledge.country is not None:
        country: Any = pledge.country  # built by hand, it may be anything
        if not isinstance(country, str):
            yield "country", f"country must be text, not {type(country).__name__}", None
        elif country.strip().upper() not in COUNTRY_CODES:
            yield (
                "country",
                f"country {country[:20]!r} is not an ISO 3166-1 alpha-2 code (such as GB, "
                "NO or US); in YAML, quote it",
                None,
            )
        else:
            yield "country", "", country.strip().upper()
    if pledge.email is not None:
        address, problem = _email(pledge.email)
        yield ("email", problem, None) if problem else ("email", "", address)
    if pledge.key is not None and (
        not isinstance(pledge.key, str) or not _KEY.fullmatch(pledge.key)
    ):
        yield "key", "key must be 1 to 200 printable ASCII characters, no spaces", None
    public: Any = pledge.public
    if not isinstance(public, bool):
        yield "public", f"public must be true or false, not {type(public).__name__}", None
    try:
        datetime.date.fromisoformat(pledge.pledged_on)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", pledge.pledged_on):
            raise ValueError
    except (TypeError, ValueError):
        yield "pledged_on", "pledged_on must be a date such as 2026-11-29", None
    if not isinstance(pledge.framework_version, str) or not re.fullmatch(
        r"[0-9]+\.[0-9]+(\.[0-9]+)?", pledge.framework_version
    ):
        yield "framework_version", "framework_version must be a version such as '1.0.0'", None


def clean_pledge(pledge: Pledge) -> Pledge:
    """``pledge`` with every field cleaned by the rules above.

    Raises :class:`~fourresp.errors.DocumentError` naming every field that is
    refused (its JSON path is ``$.<field>``).
    """
    changes: dict[str, Any] = {}
    problems = []
    for field, problem, cleaned in _problems(pledge):
        if problem:
            problems.append(Problem(code="invalid", message=problem, path=format_path((field,))))
        elif cleaned is not None:
            changes[field] = cleaned
    if problems:
        raise DocumentError(problems)
    return attrs.evolve(pledge, **changes)


def pledge_findings(pledge: Pledge) -> Iterator[Finding]:
    """What :func:`clean_pledge` would refuse, for the loader to locate."""
    for field, problem, _ in _problems(pledge):
        if problem:
            yield Finding(path=(field,), code="invalid", message=problem)


PLEDGE_KIND = DocumentKind(
    name="pledge",
    schema="pledge",
    model=Pledge,
    summary="a person's pledge to the four responsibilities: name, optional details, consent",
    checks=pledge_findings,
)
