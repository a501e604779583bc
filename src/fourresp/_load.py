"""The one loader: every document kind goes read -> schema -> structure -> checks.

1. **Read** a path, text, bytes or mapping into plain JSON-compatible values
   (:mod:`fourresp._yaml`, :mod:`fourresp._json`, :mod:`fourresp._tree`), bounded
   by :class:`~fourresp.Limits`.
2. **Validate** against the kind's JSON Schema (:mod:`fourresp._schemas`).
3. **Structure** into frozen attrs classes with the one converter
   (:mod:`fourresp._convert`).
4. **Check** what a schema cannot say (unique ids across lists, references between
   parts), with the kind's own check function yielding :class:`Finding` values.

Every stage reports *all* it finds as located :class:`~fourresp.errors.Problem`
values; positions are worked out only when there is something to locate.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeVar

import attrs

from fourresp._limits import DEFAULT_LIMITS, Limits
from fourresp._paths import Path, PathPart, Positions, format_path, locate
from fourresp.errors import DocumentError, Problem, Severity, UnknownKindError

__all__ = [
    "DocumentKind",
    "Finding",
    "Format",
    "Source",
    "document_kinds",
    "get_kind",
    "load",
    "to_document",
    "validate",
]

T = TypeVar("T")
Format = Literal["yaml", "json"]
Source = str | bytes | bytearray | os.PathLike[str] | Mapping[str, Any]

# Kinds are named here and imported only when first used, so loading a framework
# never imports the scenario engine. Each value is "module:attribute".
_KIND_HOMES: dict[str, str] = {
    "framework": "fourresp.content._models:FRAMEWORK_KIND",
    "questionnaire": "fourresp.assessment._models:QUESTIONNAIRE_KIND",
    "response": "fourresp.assessment._models:RESPONSE_KIND",
    "result": "fourresp.assessment._models:RESULT_KIND",
    "scenario": "fourresp.scenario._kind:SCENARIO_KIND",
    "run": "fourresp.scenario._runner:RUN_KIND",
    "pledge": "fourresp.supporters._models:PLEDGE_KIND",
}
_META_KEYS = ("kind", "$schema")
# Kinds with a quick check for plainly well-formed mappings (see _quick_load).
_QUICK_HOMES: dict[str, str] = {"response": "fourresp.assessment._quick:quick_response"}


@attrs.frozen(kw_only=True)
class Finding:
    """A problem found by a kind's own checks, before it is given a line and column."""

    path: tuple[PathPart, ...]
    code: str
    message: str
    severity: Severity = "error"
    #: where the thing first appeared, for duplicates: the loader adds its line
    first: tuple[PathPart, ...] | None = None


@attrs.frozen(kw_only=True)
class DocumentKind:
    """What the loader needs to know about one kind of document."""

    name: str
    schema: str
    model: type[Any]
    summary: str
    checks: Callable[[Any], Iterable[Finding]] | None = None


def document_kinds() -> tuple[str, ...]:
    """The names of every document kind the loader knows, e.g. ``("framework",)``."""
    return tuple(sorted(_KIND_HOMES))


def get_kind(name: str) -> DocumentKind:
    """The :class:`DocumentKind` called ``name``; :class:`UnknownKindError` if there is none."""
    home = _KIND_HOMES.get(name)
    if home is None:
        known = ", ".join(document_kinds())
        raise UnknownKindError(f"unknown document kind {name!r}; known kinds: {known}")
    module_name, attribute = home.split(":")
    kind: DocumentKind = getattr(importlib.import_module(module_name), attribute)
    return kind


def _kind_for_model(model: type[Any]) -> DocumentKind:
    for name in document_kinds():
        kind = get_kind(name)
        if kind.model is model:
            return kind
    raise UnknownKindError(f"{model.__name__} is not a document kind; known: {document_kinds()}")


# -- reading -----------------------------------------------------------------------


@attrs.define
class _Read:
    data: Any
    source: str | None
    text: str | None
    format: Format | None
    limits: Limits
    _positions: Positions | None = None

    def positions(self) -> Positions:
        if self._positions is None:
            self._positions = _positions_of(self)
        return self._positions

    def _position(self, path: Path) -> tuple[int, int] | None:
        assert self.text is not None
        if not path and self.format == "json":
            # The root is where the text starts: no need to index a large document.
            return _first_value(self.text)
        return locate(self.positions(), path)

    def problem(self, path: Path, code: str, message: str, severity: Severity = "error") -> Problem:
        found = self._position(path) if self.text is not None else None
        line, column = found if found is not None else (None, None)
        return Problem(
            code=code,
            message=message,
            path=format_path(path),
            source=self.source,
            line=line,
            column=column,
            severity=severity,
        )


def _first_value(text: str) -> tuple[int, int]:
    stripped = text.lstrip()
    before = text[: len(text) - len(stripped)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _positions_of(read: _Read) -> Positions:
    from fourresp._json import json_positions
    from fourresp._yaml import read_yaml

    assert read.text is not None
    if read.format == "json":
        return json_positions(read.text)[0]
    try:
        positions = read_yaml(
            read.text, limits=read.limits, source=read.source, track_positions=True
        )[1]
    except DocumentError:  # pragma: no cover - the text was read once already
        return {}
    return positions or {}


def _fail(code: str, message: str, source: str | None) -> DocumentError:
    return DocumentError([Problem(code=code, message=message, source=source)], source=source)


def _decode(raw: bytes, source: str | None) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex().upper()
        problem = Problem(
            code="encoding",
            message=f"not UTF-8: byte 0x{bad} at byte offset {exc.start} cannot be decoded; "
            "save the file as UTF-8",
            source=source,
            line=line,
            column=column,
        )
        raise DocumentError([problem], source=source) from None


def _too_large(size: int, limits: Limits, source: str | None) -> DocumentError:
    return _fail(
        "too-large",
        f"the document is {size} bytes or more; the limit is {limits.max_bytes} (Limits.max_bytes)",
        source,
    )


def _read_file(path: os.PathLike[str] | str, limits: Limits) -> tuple[str, str]:
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise _fail("unreadable", f"cannot read the file: {exc.strerror or exc}", name) from None
    if len(raw) > limits.max_bytes:
        raise _too_large(len(raw), limits, name)
    return _decode(raw, name), name


def _format_for(name: str | None, requested: Format | None) -> Format | None:
    if requested is not None:
        return requested
    if name is not None:
        lowered = name.lower()
        if lowered.endswith(".json"):
            return "json"
        if lowered.endswith((".yaml", ".yml")):
            return "yaml"
    return None  # sniff


def read(
    source: Source,
    *,
    format: Format | None = None,
    limits: Limits | None = None,
) -> _Read:
    """Read ``source`` into plain values, refusing hostile or malformed input."""
    from fourresp._json import read_json
    from fourresp._tree import plain_copy
    from fourresp._yaml import read_yaml

    limits = limits or DEFAULT_LIMITS
    name: str | None = None
    if isinstance(source, Mapping):
        data = plain_copy(source, limits=limits)
        return _Read(data=data, source=None, text=None, format=None, limits=limits)
    if isinstance(source, os.PathLike):
        text, name = _read_file(source, limits)
    elif isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        if len(raw) > limits.max_bytes:
            raise _too_large(len(raw), limits, None)
        text = _decode(raw, None)
    elif isinstance(source, str):
        text = source
        if len(text) > limits.max_bytes:  # each character is at least one byte
            raise _too_large(len(text), limits, None)
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise _fail(
                "encoding",
                f"the text holds a lone surrogate (U+{ord(text[exc.start]):04X}) at character "
                f"{exc.start}, which is not valid Unicode",
                None,
            ) from None
        if size > limits.max_bytes:
            raise _too_large(size, limits, None)
    else:
        raise TypeError(
            "a document source is a path (os.PathLike), text (str), bytes or a mapping, "
            f"not {type(source).__name__}"
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    chosen = _format_for(name, format)
    if chosen is None:
        stripped = text.lstrip()
        if stripped[:1] in ("{", "["):
            try:
                data = read_json(text, limits=limits, source=name)
            except DocumentError as exc:
                if any(problem.code != "json-syntax" for problem in exc.problems):
                    raise
                # Not JSON after all: flow-style YAML also starts with a bracket.
            else:
                return _Read(data=data, source=name, text=text, format="json", limits=limits)
        chosen = "yaml"
    if chosen == "json":
        data = read_json(text, limits=limits, source=name)
    else:
        data, _ = read_yaml(text, limits=limits, source=name)
    return _Read(data=data, source=name, text=text, format=chosen, limits=limits)


# -- the pipeline --------------------------------------------------------------------


def _resolve_kind(read: _Read, kind: str | None) -> DocumentKind:
    if kind is not None:
        return get_kind(kind)
    data = read.data
    declared = data.get("kind") if isinstance(data, dict) else None
    known = ", ".join(document_kinds())
    if not isinstance(declared, str):
        raise DocumentError(
            [
                read.problem(
                    (),
                    "unknown-kind",
                    f"cannot tell what kind of document this is: add a 'kind' key ({known})",
                )
            ],
            source=read.source,
        )
    if declared not in _KIND_HOMES:
        raise DocumentError(
            [
                read.problem(
                    ("kind",),
                    "unknown-kind",
                    f"unknown kind {declared!r}; expected one of: {known}",
                )
            ],
            source=read.source,
        )
    return get_kind(declared)


def _sorted(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))


def _run(read: _Read, kind: DocumentKind) -> tuple[Any, tuple[Problem, ...]]:
    """Schema, structure and checks; returns the object (or None) and every problem."""
    from fourresp._convert import structure, structure_problems
    from fourresp._schemas import schema_problems

    problems = [
        read.problem(path, "schema", message)
        for path, message in schema_problems(kind.schema, read.data)
    ]
    if problems:
        return None, _sorted(problems)
    data = read.data
    if isinstance(data, dict) and any(key in data for key in _META_KEYS):
        data = {key: value for key, value in data.items() if key not in _META_KEYS}
    try:
        obj = structure(data, kind.model)
    except Exception as exc:  # cattrs raises a tree of errors; flatten all of it
        found = [
            read.problem(path, "structure", message) for path, message in structure_problems(exc)
        ]
        return None, _sorted(found)
    if kind.checks is not None:
        problems = [_locate_finding(read, finding) for finding in kind.checks(obj)]
    return obj, _sorted(problems)


def _locate_finding(read: _Read, finding: Finding) -> Problem:
    message = finding.message
    if finding.first is not None:
        first = read.problem(finding.first, finding.code, "")
        if first.line is not None:
            message += f" (first at line {first.line})"
    return read.problem(finding.path, finding.code, message, finding.severity)


def load(
    source: Source,
    *,
    kind: str | None = None,
    format: Format | None = None,
    limits: Limits | None = None,
) -> Any:
    """Load a document of any kind the library knows and return its typed object.

    ``source`` is a path (any :class:`os.PathLike`, e.g. :class:`pathlib.Path`), text
    (``str``), ``bytes`` (UTF-8) or an already parsed mapping. YAML and JSON are both
    read; the format comes from ``format``, a file's suffix, or the text itself.
    ``kind`` overrides the document's own ``kind`` key.

    Raises :class:`~fourresp.errors.DocumentError` listing every problem found (with
    its JSON path, and ``file:line:column`` for text and files), and
    :class:`~fourresp.errors.UnknownKindError` for a ``kind`` argument the library
    does not know. Warnings from a kind's checks do not stop loading; see
    :func:`validate` to see them.
    """
    quick = _quick_load(source, kind, limits)
    if quick is not None:
        return quick
    read_result = read(source, format=format, limits=limits)
    document_kind = _resolve_kind(read_result, kind)
    obj, problems = _run(read_result, document_kind)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise DocumentError(errors, source=read_result.source)
    return obj


def _quick_load(source: Source, kind: str | None, limits: Limits | None) -> Any:
    """The object of a mapping its kind's quick check finds plainly well formed, else None.

    A quick check accepts only what the full pipeline certainly accepts, and
    builds the same object, far faster; anything else goes the full way.
    """
    if not isinstance(source, dict) or limits is not None:
        return None
    name = kind if kind is not None else source.get("kind")
    home = _QUICK_HOMES.get(name) if isinstance(name, str) else None
    if home is None:
        return None
    module_name, attribute = home.split(":")
    return getattr(importlib.import_module(module_name), attribute)(source)


def validate(
    source: Source,
    *,
    kind: str | None = None,
    format: Format | None = None,
    limits: Limits | None = None,
) -> tuple[Problem, ...]:
    """Every problem in a document, errors and warnings, without raising for them.

    An empty tuple means the document is clean. Takes the same arguments as
    :func:`load`; only a ``kind`` argument the library does not know raises
    (:class:`~fourresp.errors.UnknownKindError`).
    """
    try:
        read_result = read(source, format=format, limits=limits)
        document_kind = _resolve_kind(read_result, kind)
    except DocumentError as exc:
        return exc.problems
    return _run(read_result, document_kind)[1]


def to_document(obj: Any) -> dict[str, Any]:
    """The document for a loaded object, with its ``kind`` key: ``load(to_document(x)) == x``."""
    from fourresp._convert import unstructure

    kind = _kind_for_model(type(obj))
    body: dict[str, Any] = unstructure(obj)
    return {"kind": kind.name, **body}
