"""fourresp: The Four Responsibilities of the Learning Professional, as a Python library.

The top level holds what every kind of document shares: the one loader
(:func:`load`, :func:`validate`, :func:`to_document`), its :class:`Limits`, the
library's JSON Schemas, and the exception tree. The capabilities live in
subpackages: :mod:`fourresp.content` (the framework and its resources),
:mod:`fourresp.assessment` (the self-assessment), :mod:`fourresp.badges` (badges
and Open Badges), :mod:`fourresp.charts` and :mod:`fourresp.testing` (Hypothesis
strategies for your own tests).

>>> import fourresp
>>> "framework" in fourresp.document_kinds()
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, cast, overload

from fourresp._document._schemas import schema, schema_names
from fourresp._public import lazy, publish
from fourresp._version import __version__
from fourresp.errors import (
    ArgumentError,
    ChoiceError,
    DocumentError,
    FourrespError,
    MissingExtraError,
    NotFoundError,
    Problem,
    ResumeError,
    SchemaNotFoundError,
    StorageError,
    UnknownKindError,
)

if TYPE_CHECKING:  # the typed faces of load and to_document; nothing is imported at run time
    from fourresp._document._limits import DEFAULT_LIMITS, Limits
    from fourresp._load import Format, Source
    from fourresp.assessment import Questionnaire, Response, Result
    from fourresp.content import Framework
    from fourresp.scenario import RunDocument, Scenario
    from fourresp.supporters import Pledge

    #: Every object a document loads into.
    Document = Framework | Questionnaire | Response | Result | Scenario | RunDocument | Pledge

__all__ = [
    "DEFAULT_LIMITS",
    "ArgumentError",
    "ChoiceError",
    "DocumentError",
    "FourrespError",
    "Limits",
    "MissingExtraError",
    "NotFoundError",
    "Problem",
    "ResumeError",
    "SchemaNotFoundError",
    "StorageError",
    "UnknownKindError",
    "__version__",
    "document_kinds",
    "load",
    "schema",
    "schema_names",
    "to_document",
    "validate",
]


# fmt: off
@overload
def load(source: Source, *, kind: Literal["framework"], format: Format | None = None,
         limits: Limits | None = None) -> Framework: ...
@overload
def load(source: Source, *, kind: Literal["questionnaire"], format: Format | None = None,
         limits: Limits | None = None) -> Questionnaire: ...
@overload
def load(source: Source, *, kind: Literal["response"], format: Format | None = None,
         limits: Limits | None = None) -> Response: ...
@overload
def load(source: Source, *, kind: Literal["result"], format: Format | None = None,
         limits: Limits | None = None) -> Result: ...
@overload
def load(source: Source, *, kind: Literal["scenario"], format: Format | None = None,
         limits: Limits | None = None) -> Scenario: ...
@overload
def load(source: Source, *, kind: Literal["run"], format: Format | None = None,
         limits: Limits | None = None) -> RunDocument: ...
@overload
def load(source: Source, *, kind: Literal["pledge"], format: Format | None = None,
         limits: Limits | None = None) -> Pledge: ...
@overload
def load(source: Source, *, kind: str | None = None, format: Format | None = None,
         limits: Limits | None = None) -> Document: ...
# fmt: on


def load(
    source: Source,
    *,
    kind: str | None = None,
    format: Format | None = None,
    limits: Limits | None = None,
) -> Document:
    """Load a document of any kind the library knows and return its typed object.

    ``source`` is a path (any :class:`os.PathLike`, e.g. :class:`pathlib.Path`), text
    (``str``), ``bytes`` (UTF-8) or an already parsed mapping. YAML and JSON are both
    read; the format comes from ``format``, a file's suffix, or the text itself.
    ``kind`` overrides the document's own ``kind`` key; with a literal ``kind`` the
    return type is that kind's model (``load(text, kind="framework")`` is a
    :class:`~fourresp.content.Framework`), otherwise the union of every model, to
    narrow with ``isinstance``.

    Raises :class:`~fourresp.errors.DocumentError` listing every problem found (with
    its JSON path, and ``file:line:column`` for text and files), and
    :class:`~fourresp.errors.UnknownKindError` for a ``kind`` argument the library
    does not know. Warnings from a kind's checks do not stop loading; see
    :func:`validate` to see them.
    """
    from fourresp import _load  # the loader, imported at the first call (see document_kinds)

    return cast("Document", _load.load(source, kind=kind, format=format, limits=limits))


def to_document(obj: Document) -> dict[str, Any]:
    """The document for a loaded object, with its ``kind`` key: ``load(to_document(x)) == x``.

    Raises :class:`~fourresp.errors.UnknownKindError` for an object that is not a
    document kind's model.
    """
    from fourresp import _load

    return _load.to_document(obj)


def validate(
    source: Source,
    *,
    kind: str | None = None,
    format: Format | None = None,
    limits: Limits | None = None,
) -> tuple[Problem, ...]:
    """Every problem in a document, errors and warnings, without raising for them.

    An empty tuple means the document is clean. Takes the same arguments as
    :func:`load`; only arguments it cannot use raise: a ``kind`` the library does
    not know (:class:`~fourresp.errors.UnknownKindError`), a ``source``,
    ``format`` or ``limits`` of the wrong type (:class:`~fourresp.errors.ArgumentError`).
    """
    from fourresp import _load

    return _load.validate(source, kind=kind, format=format, limits=limits)


def document_kinds() -> tuple[str, ...]:
    """The names of every document kind the loader knows, e.g. ``("framework",)``.

    The loader itself (:mod:`fourresp._load`, with its readers and checks) is
    imported by the first call of this or of :func:`load`, :func:`validate` or
    :func:`to_document`, so ``import fourresp`` costs little more than attrs.
    """
    from fourresp import _load

    return _load.document_kinds()


publish(__name__, globals())
# The limits (an attrs class, a tenth of the import's own cost) load on first use.
__getattr__ = lazy(__name__, {"_document._limits": ("DEFAULT_LIMITS", "Limits")})[0]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
