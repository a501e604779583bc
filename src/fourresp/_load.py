"""The one loader: every document kind goes read -> schema -> structure -> checks.

1. **Read** a path, text, bytes or mapping into plain JSON-compatible values
   (``_yaml``, ``_json`` and ``_tree`` in :mod:`fourresp._document`), bounded by
   :class:`~fourresp.Limits`.
2. **Validate** against the kind's JSON Schema (:mod:`fourresp._document._schemas`).
3. **Structure** into frozen attrs classes with the library's converter for the
   kind's hook sets (:func:`fourresp._document._convert.shared_converter`).
4. **Check** what a schema cannot say (unique ids across lists, references between
   parts), with the kind's own check function yielding unlocated
   :class:`~fourresp.errors.Problem` values (the loader adds line and column).

Every stage reports *all* it finds as located :class:`~fourresp.errors.Problem`
values; positions are worked out only when there is something to locate.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from fourresp._document._inputs import read_input
from fourresp._document._limits import DEFAULT_LIMITS, Limits
from fourresp._document._located import located_problem
from fourresp._document._paths import Path, Positions, byte_line_column, format_path, locate
from fourresp._document._tree import Found
from fourresp.errors import ArgumentError, DocumentError, Problem, Severity, UnknownKindError

if TYPE_CHECKING:  # cattrs is imported when the first document is structured
    from fourresp._document._convert import HookSet

__all__ = [
    "DocumentKind",
    "Format",
    "Source",
    "document_kinds",
    "get_kind",
    "load",
    "read_data",
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
class DocumentKind:
    """What the loader needs to know about one kind of document."""

    name: str
    schema: str
    model: type[Any]
    summary: str
    #: a kind's own checks: problems with parts (and ``first`` for a duplicate), no line
    checks: Callable[[Any], Iterable[Problem]] | None = None
    #: the hook sets the kind's model needs on top of the strict scalar ones
    hooks: tuple[HookSet, ...] = ()


def document_kinds() -> tuple[str, ...]:
    """The names of every document kind the loader knows, e.g. ``("framework",)``."""
    return tuple(sorted(_KIND_HOMES))


def get_kind(name: str) -> DocumentKind:
    """The :class:`DocumentKind` called ``name``; :class:`UnknownKindError` if there is none."""
    home = _KIND_HOMES.get(name) if isinstance(name, str) else None
    if home is None:
        known = ", ".join(document_kinds())
        raise UnknownKindError(f"unknown document kind {name!r}; known kinds: {known}")
    kind: DocumentKind = _imported(home)
    return kind


def _imported(home: str) -> Any:
    """The attribute ``home`` (``"module:attribute"``) names, its module imported.

    The module's package loads its names on first use: those imported by now are
    published, so the objects loaded show their public module
    (``fourresp.scenario.Scenario``), whichever way they were loaded.
    """
    from fourresp._public import kept

    module_name, attribute = home.split(":")
    found = getattr(importlib.import_module(module_name), attribute)
    kept(module_name.rpartition("._")[0])
    return found


def _kind_for_model(model: type[Any]) -> DocumentKind:
    for name in document_kinds():
        kind = get_kind(name)
        if kind.model is model:
            return kind
    raise UnknownKindError(f"{model.__name__} is not a document kind; known: {document_kinds()}")


# -- reading -----------------------------------------------------------------------


# (parts, code, message, severity, the parts of the first occurrence or None, subject)
_Pending = tuple[Path, str, str, Severity, Path | None, str | None]


@attrs.define
class _Read:
    data: Any
    source: str | None
    text: str | None
    format: Format | None
    limits: Limits
    #: problems the reader went on past, already located (YAML, JSON duplicate keys)
    located: list[Problem] = attrs.Factory(list)
    #: problems the reader went on past, still to be located: (code, message, path)
    pending: list[Found] = attrs.Factory(list)
    #: problems found beyond limits.max_problems, counted only
    more: int = 0


class _Collector:
    """Every stage's problems for one document: at most ``max_problems``, placed at the end.

    Problems are kept as paths until all are in, then the text is scanned once for
    the paths that need a line and column (none at all for a clean document). When
    there are more than ``max_problems``, the ones kept are those that come first in
    the document, whatever order the stages found them in, so the scan that places
    them can stop early.
    """

    def __init__(self, read: _Read) -> None:
        self.read = read
        self.cap = read.limits.max_problems
        self.located = list(read.located)
        self.pending: list[_Pending] = [
            (path, code, message, "error", None, None) for code, message, path in read.pending
        ]
        self.added = len(self.pending)  # everything offered to add(), kept or not
        self.more_errors = read.more
        self.more_warnings = 0
        self.at_least = False  # counting stopped early: "K or more"
        self.read_paths = {p.path for p in self.located} | {
            format_path(path) for _, _, path in read.pending
        }
        self._indexes: dict[int, dict[str, int]] = {}

    @property
    def full(self) -> bool:
        return len(self.located) + self.added >= self.cap

    def add(
        self,
        path: Path,
        code: str,
        message: str,
        severity: Severity = "error",
        first: Path | None = None,
        subject: str | None = None,
    ) -> None:
        self.added += 1
        self.pending.append((path, code, message, severity, first, subject))
        if len(self.pending) >= 2 * self.cap:
            self._keep_first()

    def add_problem(self, problem: Problem) -> None:
        """Add a check's problem, to be given its line and column with the rest."""
        p = problem
        self.add(p.parts, p.code, p.message, p.severity, p.first, p.subject)

    def _keep_first(self) -> None:
        """Keep the pending problems that come first in the document; count the rest."""
        room = max(self.cap - len(self.located), 0)
        if len(self.pending) <= room:
            return
        self.pending.sort(key=lambda entry: self._order(entry[0]))
        for entry in self.pending[room:]:
            if entry[3] == "error":
                self.more_errors += 1
            else:
                self.more_warnings += 1
        del self.pending[room:]

    def _order(self, path: Path) -> tuple[int, ...]:
        """Where ``path`` comes in the document: the index of each step in its parent."""
        node: Any = self.read.data
        order = []
        for part in path:
            if isinstance(node, dict):
                index = self._indexes.get(id(node))
                if index is None:
                    index = self._indexes[id(node)] = {key: i for i, key in enumerate(node)}
                order.append(index.get(part, len(index)) if isinstance(part, str) else 0)
                node = node.get(part) if isinstance(part, str) else None
            elif isinstance(node, list) and isinstance(part, int):
                order.append(part)
                node = node[part] if 0 <= part < len(node) else None
            else:
                order.append(0)
                node = None
        return tuple(order)

    def problems(self) -> tuple[Problem, ...]:
        self._keep_first()
        read = self.read
        positions: Positions = {}
        if read.text is not None and self.pending:
            wanted = [entry[0] for entry in self.pending]
            wanted += [entry[4] for entry in self.pending if entry[4] is not None]
            positions = _positions_of(read, wanted)
        found = list(self.located)
        # Document order where nothing else places them (a mapping has no lines).
        in_order = sorted(self.pending, key=lambda entry: self._order(entry[0]))
        for path, code, message, severity, first, subject in in_order:
            if first is not None:
                first_at = locate(positions, first)
                if first_at is not None:
                    message += f" (first at line {first_at[0]})"
            found.append(
                located_problem(
                    code,
                    message,
                    path,
                    positions,
                    source=read.source,
                    severity=severity,
                    subject=subject,
                    first=first,
                )
            )
        ordered = list(_sorted(found))
        more = self.more_errors + self.more_warnings
        if more:
            ordered.append(
                Problem(
                    code="too-many-problems",
                    message=f"and {'at least ' if self.at_least else ''}{more:,} more "
                    f"problem{'s' if more != 1 else ''} not listed (at most {self.cap} are "
                    "collected: Limits.max_problems)",
                    source=read.source,
                    severity="error" if self.more_errors else "warning",
                )
            )
        return tuple(ordered)


def _positions_of(read: _Read, wanted: list[Path]) -> Positions:
    from fourresp._document._json import json_locate
    from fourresp._document._yaml import yaml_positions

    assert read.text is not None
    if read.format == "json":
        return json_locate(read.text, wanted)[0]
    return yaml_positions(read.text, wanted, limits=read.limits)


def _fail(code: str, message: str, source: str | None) -> DocumentError:
    return DocumentError([Problem(code=code, message=message, source=source)], source=source)


def _decode(raw: bytes, source: str | None) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = byte_line_column(raw, exc.start)
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
        raw = read_input(name, limits.max_bytes)
    except OSError as exc:
        raise _fail("unreadable", f"cannot read the file: {exc.strerror or exc}", name) from None
    if raw is None:
        raise _too_large(limits.max_bytes + 1, limits, name)
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


def read(source: Source, *, format: Format | None = None, limits: Limits | None = None) -> _Read:
    """Read ``source`` into plain values, refusing hostile or malformed input."""
    limits = DEFAULT_LIMITS if limits is None else limits
    if not isinstance(limits, Limits):
        raise ArgumentError(f"limits is a fourresp.Limits, not {type(limits).__name__}")
    if format is not None and format not in ("yaml", "json"):
        raise ArgumentError(f"format is 'yaml', 'json' or None, not {format!r}")
    if isinstance(source, Mapping):
        return _read_mapping(source, limits)
    text, name = _source_text(source, limits)
    if text.startswith("\ufeff"):
        text = text[1:]
    return _parse(text, name, _format_for(name, format), limits)


def _read_mapping(source: Mapping[str, Any], limits: Limits) -> _Read:
    """A caller's mapping, copied into plain values and checked like a parsed document."""
    from fourresp._document._tree import TreeProblems, plain_copy

    try:
        data, found = plain_copy(source, limits=limits)
    except TreeProblems as exc:
        problems = [
            Problem(code=code, message=message, parts=path) for code, message, path in exc.found
        ]
        raise DocumentError(problems) from None
    return _Read(
        data=data,
        source=None,
        text=None,
        format=None,
        limits=limits,
        pending=list(found),
        more=found.more,
    )


def _source_text(source: object, limits: Limits) -> tuple[str, str | None]:
    """The text of a path, bytes or text source within the size limit, and its file name."""
    if isinstance(source, os.PathLike):
        return _read_file(source, limits)
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        if len(raw) > limits.max_bytes:
            raise _too_large(len(raw), limits, None)
        return _decode(raw, None), None
    if isinstance(source, str):
        if len(source) > limits.max_bytes:  # each character is at least one byte
            raise _too_large(len(source), limits, None)
        try:
            size = len(source.encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise _fail(
                "encoding",
                f"the text holds a lone surrogate (U+{ord(source[exc.start]):04X}) at character "
                f"{exc.start}, which is not valid Unicode",
                None,
            ) from None
        if size > limits.max_bytes:
            raise _too_large(size, limits, None)
        return source, None
    raise ArgumentError(
        "a document source is a path (os.PathLike), text (str), bytes or a mapping, "
        f"not {type(source).__name__}"
    )


def _parse(text: str, name: str | None, chosen: Format | None, limits: Limits) -> _Read:
    """Parse ``text`` as JSON or YAML; with no format known, JSON when it parses as JSON."""
    from fourresp._document._json import read_json_lenient
    from fourresp._document._yaml import read_yaml_lenient

    if chosen is None:
        stripped = text.lstrip()
        chosen = "yaml"
        if stripped[:1] in ("{", "["):
            try:
                json_read = read_json_lenient(text, limits=limits, source=name)
            except DocumentError as exc:
                if any(problem.code != "json-syntax" for problem in exc.problems):
                    raise
                # Not JSON after all: flow-style YAML also starts with a bracket.
            else:
                chosen = "json"
    elif chosen == "json":
        json_read = read_json_lenient(text, limits=limits, source=name)
    if chosen == "json":
        data, located, found = json_read
        return _Read(
            data=data,
            source=name,
            text=text,
            format="json",
            limits=limits,
            located=located,
            pending=list(found),
            more=found.more,
        )
    data, located, more = read_yaml_lenient(text, limits=limits, source=name)
    return _Read(
        data=data, source=name, text=text, format=chosen, limits=limits, located=located, more=more
    )


# -- the pipeline --------------------------------------------------------------------


def read_data(source: Source, *, format: Format | None = None, limits: Limits | None = None) -> Any:
    """The plain values of ``source``, for a reader that checks them itself.

    Where :func:`read` goes on past a bad number, bad text or a duplicate key (so a
    document's later checks still run), this refuses them: a
    :class:`~fourresp.errors.DocumentError` naming every such problem, located.
    """
    found = read(source, format=format, limits=limits)
    if found.located or found.pending or found.more:
        raise DocumentError(list(_Collector(found).problems()), source=found.source)
    return found.data


def _resolve_kind(read: _Read, kind: str | None) -> DocumentKind:
    if kind is not None:
        return get_kind(kind)
    data = read.data
    declared = data.get("kind") if isinstance(data, dict) else None
    known = ", ".join(document_kinds())
    if isinstance(declared, str) and declared in _KIND_HOMES:
        return get_kind(declared)
    collector = _Collector(read)
    if not isinstance(declared, str):
        message = f"cannot tell what kind of document this is: add a 'kind' key ({known})"
        collector.add((), "unknown-kind", message)
    else:
        message = f"unknown kind {declared!r}; expected one of: {known}"
        collector.add(("kind",), "unknown-kind", message)
    raise DocumentError(collector.problems(), source=read.source)


def _sorted(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))


#: problems looked at (times the cap) before counting stops ("and at least K more")
_MORE_COUNTED = 11


def _run(read: _Read, kind: DocumentKind) -> tuple[Any, tuple[Problem, ...]]:
    """Schema, structure and checks; returns the object (or None) and every problem.

    Each stage goes on where the document can still be read: after a duplicate key
    (the first value is kept), a bad number (read as null) or a schema problem, the
    document is still structured and checked when it can be, so one run reports
    everything. A later stage's problem at a path an earlier one already reported
    is left out, and the number of problems is capped (``Limits.max_problems``).
    """
    from fourresp._document._convert import shared_converter, structure_problems
    from fourresp._document._schemas import schema_problems

    collector = _Collector(read)
    reported = collector.read_paths
    schema_count = 0
    for path, message in schema_problems(kind.schema, read.data):
        if format_path(path) in reported:
            continue  # e.g. a bad number read as null, now "expected a number"
        schema_count += 1
        collector.add(path, "schema", message)
        if collector.added >= _MORE_COUNTED * collector.cap:
            # Counting every one of a million wrong values costs more than it tells.
            collector.at_least = True
            break
    if collector.full:
        # So broken that what later stages would find could not be listed anyway.
        return None, collector.problems()
    earlier = schema_count + len(reported) + read.more
    data = read.data
    if isinstance(data, dict) and any(key in data for key in _META_KEYS):
        data = {key: value for key, value in data.items() if key not in _META_KEYS}
    try:
        obj = shared_converter(*kind.hooks).structure(data, kind.model)
    except Exception as exc:  # cattrs raises a tree of errors; flatten all of it
        if not earlier:  # otherwise the schema or the reader has said it already
            for path, message in structure_problems(exc):
                collector.add(path, "structure", message)
        return None, collector.problems()
    if kind.checks is not None:
        try:
            for problem in kind.checks(obj):
                collector.add_problem(problem)
        except Exception:
            # A document with schema problems may break what the checks assume; what
            # was found is reported. A clean one that breaks them is a bug: raise it.
            if not earlier:
                raise
    return obj, collector.problems()


def load(
    source: Source,
    *,
    kind: str | None = None,
    format: Format | None = None,
    limits: Limits | None = None,
) -> Any:
    """:func:`fourresp.load`, untyped, for the modules below the top level.

    Read, the kind's schema, structure, the kind's checks; raises what
    :func:`fourresp.load` says, and :class:`~fourresp.errors.ArgumentError` for a
    ``source``, ``format`` or ``limits`` of a type it cannot use.
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
    return _imported(home)(source)


def validate(
    source: Source,
    *,
    kind: str | None = None,
    format: Format | None = None,
    limits: Limits | None = None,
) -> tuple[Problem, ...]:
    """:func:`fourresp.validate`, for the modules below the top level; raises what it says."""
    try:
        read_result = read(source, format=format, limits=limits)
        document_kind = _resolve_kind(read_result, kind)
    except DocumentError as exc:
        return exc.problems
    return _run(read_result, document_kind)[1]


def to_document(obj: Any) -> dict[str, Any]:
    """The document for a loaded object, with its ``kind`` key: ``load(to_document(x)) == x``."""
    from fourresp._document._convert import shared_converter

    kind = _kind_for_model(type(obj))
    body: dict[str, Any] = shared_converter(*kind.hooks).unstructure(obj)
    return {"kind": kind.name, **body}
