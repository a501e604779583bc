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

from fourresp._limits import DEFAULT_LIMITS, Limits
from fourresp._load import document_kinds, load, to_document, validate
from fourresp._schemas import schema, schema_names
from fourresp._version import __version__
from fourresp.errors import (
    ArgumentError,
    DocumentError,
    FourrespError,
    MissingExtraError,
    NotFoundError,
    Problem,
    SchemaNotFoundError,
    StorageError,
    UnknownKindError,
)

__all__ = [
    "DEFAULT_LIMITS",
    "ArgumentError",
    "DocumentError",
    "FourrespError",
    "Limits",
    "MissingExtraError",
    "NotFoundError",
    "Problem",
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
