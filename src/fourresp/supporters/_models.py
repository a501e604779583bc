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
import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import attrs

from fourresp._document._tree import text_problem
from fourresp._load import DocumentKind
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
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_VERSION = re.compile(r"[0-9]+\.[0-9]+(\.[0-9]+)?")


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
    organisation: str | None = None
    role: str | None = None
    country: str | None = None
    public: bool
    pledged_on: str
    framework_version: str
    email: str | None = None
    email_hash: str | None = attrs.field(default=None, repr=False)
    key: str | None = None


@attrs.frozen(kw_only=True)
class Page:
    """One page of the public list, and the cursor for the next (None at the end)."""

    supporters: tuple[Supporter, ...]
    next_cursor: str | None


def _clean_string(value: str, field: str, limit: int) -> tuple[str | None, str | None]:
    if value.isascii() and value.isprintable() and "  " not in value:
        text = value.strip()  # the common case: nothing to normalise, nothing invisible
    else:
        text = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
        for char in text:
            category = unicodedata.category(char)
            # Cs: a lone surrogate, which no writer (UTF-8, SQLite, JSON) can take
            if category in ("Cc", "Cs") or (category == "Cf" and char not in _JOINERS):
                return None, (
                    f"{field} contains an invisible or control character "
                    f"(U+{ord(char):04X}): remove it"
                )
    if not text:
        return None, f"{field} must not be empty"
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
    if value.isascii():  # NFC leaves ASCII alone
        address = value.strip().lower()
    elif (problem := text_problem(value)) is not None:
        return None, f"email: {problem}"
    else:
        address = unicodedata.normalize("NFC", value).strip().lower()
    if len(address) > MAX_EMAIL:
        return None, f"email is {len(address)} characters long; the most is {MAX_EMAIL}"
    if not _EMAIL.fullmatch(address):
        return None, f"email {value[:60]!r} is not an e-mail address (name@example.org)"
    return address, None


_clean_repeated = functools.lru_cache(maxsize=4096)(_clean_string)

# (field, most characters, required, how it is cleaned): organisations and roles
# recur across a batch, so their cleaning is remembered.
_TEXT_FIELDS = (
    ("name", MAX_NAME, True, _clean_string),
    ("organisation", MAX_ORGANISATION, False, _clean_repeated),
    ("role", MAX_NAME, False, _clean_repeated),
)


def clean_values(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Clean the fields of a pledge held in ``values`` (by field name), in place;
    (field, message) for each field refused, which keeps its value as given.

    A field missing from ``values`` has its :class:`Pledge` default. The values may
    be anything: read from an import file, or a :class:`Pledge` built by hand.
    """
    problems: list[tuple[str, str]] = []
    for field, limit, required, clean in _TEXT_FIELDS:
        value = values.get(field)
        if value is None and not required:
            continue
        if not isinstance(value, str):
            problems.append((field, f"{field} must be text, not {type(value).__name__}"))
            continue
        cleaned, problem = clean(value, field, limit)
        if problem is not None:
            problems.append((field, problem))
        else:
            values[field] = cleaned
    country = values.get("country")
    if country is not None:
        code = country.strip().upper() if isinstance(country, str) else None
        if code is None:
            problems.append(("country", f"country must be text, not {type(country).__name__}"))
        elif code not in COUNTRY_CODES:
            problems.append(
                (
                    "country",
                    f"country {country[:20]!r} is not an ISO 3166-1 alpha-2 code (such as GB, "
                    "NO or US); in YAML, quote it",
                )
            )
        else:
            values["country"] = code
    email = values.get("email")
    if email is not None:
        address, problem = _email(email)
        if problem is not None:
            problems.append(("email", problem))
        else:
            values["email"] = address
    key = values.get("key")
    if key is not None and (not isinstance(key, str) or not _KEY.fullmatch(key)):
        problems.append(("key", "key must be 1 to 200 printable ASCII characters, no spaces"))
    public = values.get("public", False)
    if not isinstance(public, bool):
        problems.append(("public", f"public must be true or false, not {type(public).__name__}"))
    if not _is_date(values.get("pledged_on")):
        problems.append(("pledged_on", "pledged_on must be a date such as 2026-11-29"))
    if not _is_version(values.get("framework_version")):
        problems.append(
            ("framework_version", "framework_version must be a version such as '1.0.0'")
        )
    return problems


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and _is_date_text(value)


@functools.lru_cache(maxsize=1024)  # pledges in a batch share a handful of dates
def _is_date_text(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_version(value: Any) -> bool:
    return isinstance(value, str) and _is_version_text(value)


@functools.lru_cache(maxsize=1024)  # and a handful of framework versions (0.2 -> 0.05 us)
def _is_version_text(value: str) -> bool:
    return _VERSION.fullmatch(value) is not None


def located(
    found: list[tuple[str, str]], source: str | None = None, line: int | None = None
) -> list[Problem]:
    """The problems :func:`clean_values` found, each naming its field (``$.<field>``)."""
    return [
        Problem(code="invalid", message=message, parts=(field,), source=source, line=line)
        for field, message in found
    ]


def pledge_values(pledge: Pledge) -> dict[str, Any]:
    """The fields of ``pledge`` by name, as :func:`clean_values` takes them."""
    return {field.name: getattr(pledge, field.name) for field in attrs.fields(Pledge)}


def clean_pledge(pledge: Pledge) -> Pledge:
    """``pledge`` with every field cleaned by the rules above.

    Raises :class:`~fourresp.errors.DocumentError` naming every field that is
    refused (its JSON path is ``$.<field>``).
    """
    values = pledge_values(pledge)
    found = clean_values(values)
    if found:
        raise DocumentError(located(found))
    return Pledge(**values)


def pledge_findings(pledge: Pledge) -> Iterator[Problem]:
    """What :func:`clean_pledge` would refuse, for the loader to locate."""
    for field, message in clean_values(pledge_values(pledge)):
        yield Problem(parts=(field,), code="invalid", message=message)


PLEDGE_KIND = DocumentKind(
    name="pledge",
    schema="pledge",
    model=Pledge,
    summary="a person's pledge to the four responsibilities: name, optional details, consent",
    checks=pledge_findings,
)
