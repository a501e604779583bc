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

from collections.abc import Iterable
from typing import Any, Literal

import attrs

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


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a document, and where it is.

    ``path`` is a JSON path into the document (``$.responsibilities[1].aspects[0].id``).
    ``line`` and ``column`` are 1-based and set only when the document was read from
    text; ``source`` names the file (or is ``None`` for text, bytes and mappings).
    ``code`` is a stable, short identifier (``duplicate-key``, ``schema``, ...) that
    applications may match on; ``message`` is for people and may change wording.
    """

    code: str
    message: str
    path: str = "$"
    source: str | None = None
    line: int | None = None
    column: int | None = None
    severity: Severity = "error"

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
