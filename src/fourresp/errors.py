"""The exception tree of fourresp: every error the library raises on purpose.

::

    FourrespError                 the root: catch this to catch everything below
    ├── DocumentError             a document (file, text, bytes or mapping) has problems;
    │                             carries every Problem found, each located
    ├── SchemaNotFoundError       a schema name or ``$ref`` the library does not hold
    ├── UnknownKindError          a document kind the library does not know
    ├── NotFoundError             a lookup by id found nothing (an aspect, a responsibility)
    ├── ArgumentError             a function was called with a value it cannot use
    ├── ChoiceError               a scenario choice that is unknown or not open now
    ├── ResumeError               a saved run that no longer fits its scenario
    ├── StorageError              a database that cannot be used as asked (not a database,
    │                             read-only, from a newer version) or an erasure not finished
    └── MissingExtraError         a feature needs an optional extra that is not installed

Problems are plain values (:class:`Problem`), so an application can show them in a
terminal (``str(error)``), send them as JSON (:meth:`DocumentError.as_json`) or
filter them itself.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from fourresp._document._paths import PathPart, format_path, parse_path

__all__ = [
    "ArgumentError",
    "ChoiceError",
    "DocumentError",
    "FourrespError",
    "MissingExtraError",
    "NotFoundError",
    "Problem",
    "ResumeError",
    "SchemaNotFoundError",
    "Severity",
    "StorageError",
    "UnknownKindError",
]

Severity = Literal["error", "warning"]


@attrs.frozen(kw_only=True, init=False)
class Problem:
    """One thing wrong with a document, and where it is.

    The one problem type of the library: the loader's, every kind's own checks' and
    the scenario validator's (:attr:`fourresp.scenario.ScenarioReport.diagnostics`).

    ``parts`` is where, as a structured path: the keys and list indexes from the
    document's root (``("scenes", "lobby", "choices", 1, "goto")``); ``path`` is the
    same place as a JSON path (``$.scenes.lobby.choices[1].goto``), always worked
    out from ``parts`` so the two never disagree. ``line`` and ``column`` are
    1-based and set only when the document was read from text; ``source`` names the
    file (or is ``None`` for text, bytes and mappings). ``code`` is a stable, short
    identifier (``duplicate-key``, ``schema``, ``unreachable-scene``, ...) that
    applications may match on; ``message`` is for people and may change wording.
    ``subject`` is the offending id when there is one (a scene, choice, variable,
    aspect or ending of a scenario); ``first``, for a duplicate, the parts of where
    the thing first appears (the loader adds that line to the message).

    Build one from ``parts=`` (preferred) or from a JSON path string, ``path=``, in
    the dialect above (as before); giving both is allowed only when they agree, and
    a path in another dialect is an :class:`ArgumentError`. With
    :func:`attrs.evolve`, change ``parts`` (``path`` follows it).

    >>> problem = Problem(code="x", message="bad", parts=("scenes", "lobby", "choices", 1))
    >>> problem.path
    '$.scenes.lobby.choices[1]'
    >>> Problem(code="x", message="bad", path="$.items[0].id").parts
    ('items', 0, 'id')
    """

    code: str
    message: str
    #: the JSON path, worked out from ``parts`` (see the class docstring)
    path: str = attrs.field(init=False, default="$")
    source: str | None = None
    line: int | None = None
    column: int | None = None
    severity: Severity = "error"
    parts: tuple[PathPart, ...] = ()
    subject: str | None = None
    first: tuple[PathPart, ...] | None = None

    def __init__(
        self,
        *,
        code: str,
        message: str,
        path: str | None = None,
        parts: Iterable[PathPart] | None = None,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        severity: Severity = "error",
        subject: str | None = None,
        first: Iterable[PathPart] | None = None,
    ) -> None:
        given: object = path  # typed str, but a scenario Diagnostic's path was its parts
        if isinstance(given, tuple):
            warnings.warn(
                "Problem(path=<tuple>) is deprecated: pass the tuple as parts=",
                DeprecationWarning,
                stacklevel=2,
            )
            path, parts = None, given if parts is None else parts
        found = _parts(path, parts)
        self.__attrs_init__(
            code=code,
            message=message,
            source=source,
            line=line,
            column=column,
            severity=severity,
            parts=found,
            subject=subject,
            first=None if first is None else _checked(tuple(first)),
        )
        object.__setattr__(self, "path", format_path(found))

    @property
    def json_path(self) -> str:
        """Deprecated: :attr:`path` (a scenario ``Diagnostic`` had the JSON path here)."""
        warnings.warn(
            "Problem.json_path is deprecated: use .path", DeprecationWarning, stacklevel=2
        )
        return self.path

    @property
    def location(self) -> str:
        """``file:line:column`` (or as much of it as is known), for terminals and editors."""
        where = self.source if self.source is not None else "<document>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.location}: {prefix}{self.message} ({self.path})"

    def as_json(self) -> dict[str, Any]:
        """This problem as a JSON-able mapping (``None`` fields included, for a stable shape)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "source": self.source,
            "line": self.line,
            "column": self.column,
        }


def _checked(parts: tuple[PathPart, ...]) -> tuple[PathPart, ...]:
    """``parts``, once each is known to be a key (str) or a list index (int, not bool)."""
    for part in parts:
        if not isinstance(part, str) and (not isinstance(part, int) or isinstance(part, bool)):
            raise ArgumentError(f"a path part is a str or an int, not {part!r} (in {parts!r})")
    return parts


def _parts(path: str | None, parts: Iterable[PathPart] | None) -> tuple[PathPart, ...]:
    """The parts a problem is built with, from ``parts`` or parsed from ``path``."""
    if parts is not None:
        found = _checked(tuple(parts))
        if path is not None and parse_path(path) != found:
            raise ArgumentError(
                f"path {path!r} and parts {found!r} name different places: give one of them "
                "(with attrs.evolve, change parts)"
            )
        return found
    if path is None:
        return ()
    parsed = parse_path(path) if isinstance(path, str) else None
    if parsed is None:
        raise ArgumentError(
            f"path {path!r} is not a JSON path such as $.scenes.lobby.choices[1] or "
            '$["odd key"]: pass the structured path as parts='
        )
    return parsed


class FourrespError(Exception):
    """The root of every exception fourresp raises on purpose."""


class DocumentError(FourrespError, ValueError):
    """A document could not be read, failed its schema, or failed a cross-reference check.

    It carries *all* the problems found, not just the first, in document order where
    that is known. ``str()`` gives one line per problem, ready for a terminal;
    :meth:`as_json` gives a list of mappings for machines.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("DocumentError needs at least one problem")
        self.source = source if source is not None else self.problems[0].source
        super().__init__(self._render())

    def _render(self) -> str:
        count = len(self.problems)
        name = self.source if self.source is not None else "document"
        head = f"{name}: {count} problem{'s' if count != 1 else ''}"
        return "\n  ".join([head, *map(str, self.problems)])

    def as_json(self) -> list[dict[str, Any]]:
        """Every problem as a JSON-able mapping (see :meth:`Problem.as_json`)."""
        return [problem.as_json() for problem in self.problems]


class SchemaNotFoundError(FourrespError, LookupError):
    """A schema name or ``$ref`` that is not among the library's own schemas.

    No schema is ever fetched from a network: an unknown reference is this error.
    """


class UnknownKindError(FourrespError, LookupError):
    """A document kind that the library does not know (see ``fourresp.document_kinds()``)."""


class NotFoundError(FourrespError, LookupError):
    """A lookup by id (an aspect, a responsibility) that found nothing."""

    def __str__(self) -> str:
        # LookupError would otherwise show the repr of the argument.
        return str(self.args[0]) if self.args else "not found"


class ArgumentError(FourrespError, ValueError):
    """A function was called with a value it cannot use (a malformed URL, a bad option)."""


class MissingExtraError(FourrespError, ImportError):
    """A feature needs an optional extra that is not installed (``pip install fourresp[png]``)."""


class ChoiceError(FourrespError, ValueError):
    """A scenario choice that does not exist, is not open now, or comes after the end.

    The run it was asked of is unchanged (runs are immutable).
    """


class ResumeError(FourrespError, ValueError):
    """A saved run that does not fit the scenario it is resumed against.

    ``step`` is the number (from 0) of the first recorded step that no longer fits,
    or None when the save as a whole does not fit (another scenario).
    """

    def __init__(self, message: str, *, step: int | None = None) -> None:
        super().__init__(message)
        self.step = step


class StorageError(FourrespError):
    """A database or file the library cannot use as asked.

    Raised for a file that is not a database, a read-only database asked to change, a
    database written by a newer version of fourresp (both versions are named), an
    import file that cannot be read, and an erasure that could not be finished
    because another connection still holds the data (see ``withdraw``).
    """
