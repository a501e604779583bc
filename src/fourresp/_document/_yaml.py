"""Safe YAML reading: JSON-compatible values only, bounded, with source positions.

We never let PyYAML construct objects. We read its *event* stream (libyaml's C
parser when present, the pure-Python parser otherwise; both are iterative, so deep
nesting cannot overflow the stack) and build plain dicts, lists and scalars
ourselves. That is where the rules live:

- a plain scalar is a number, boolean or null only where YAML 1.1 (what PyYAML and
  many tools write) and YAML 1.2 (the current specification) agree; everything else
  is a string. So ``no``, ``on`` and ``NO`` stay strings (the "Norway problem"), dates
  stay strings, ``017`` and ``1e5`` (read differently by the two versions) stay
  strings, and text that PyYAML wrote unquoted always reads back as text. ``.inf``
  and ``.nan`` are refused because JSON cannot hold them;
- only the standard JSON-compatible tags (``!!str``, ``!!int``, ...) are accepted, so
  ``!!python/object`` and friends are refused, never constructed;
- duplicate keys are refused, naming both lines;
- numbers and text follow the one policy of :mod:`fourresp._document._tree` (finite numbers
  of bounded length, checked before conversion; no control characters, lone
  surrogates or U+FFFE/U+FFFF in text);
- aliases are shared, not copied, and each use counts its whole subtree against
  ``Limits.max_nodes``, so an alias bomb is refused after a few events;
- depth is checked as containers open.

Problems a reader can go on past (a duplicate key, a bad number or text) are
collected, at most ``Limits.max_problems`` of them, and reading goes on, so that
validation can report the later problems too. Positions are not recorded while
reading: :func:`yaml_positions` reads the text again and records only the paths
the loader has problems to place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import yaml

from fourresp._document._limits import Limits
from fourresp._document._paths import Path, Positions, byte_line_column
from fourresp._document._tree import (
    integer_problem,
    number_problem,
    number_text_problem,
    text_problem,
)
from fourresp.errors import DocumentError, Problem

__all__ = ["Positions", "read_yaml", "read_yaml_lenient", "yaml_positions"]


_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_SPECIAL: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NUMBER_START = frozenset("0123456789+-.")
# Numbers both YAML 1.1 and YAML 1.2 read the same way (see the module docstring).
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"(?:[-+]?[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?\Z")
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")


class _Fatal(Exception):
    """Stop building: a problem after which the rest of the document means nothing."""


class _Frame:
    __slots__ = ("anchor", "container", "discard", "is_map", "key", "path", "seen", "size")

    def __init__(
        self, container: dict[str, Any] | list[Any], anchor: str | None, path: Path
    ) -> None:
        self.container = container
        self.is_map = isinstance(container, dict)
        self.key: str | None = None  # the pending key of a mapping, once read
        self.discard = False  # the pending key was a duplicate: drop its value
        self.anchor = anchor
        self.size = 1
        self.path = path
        # first position of each key, kept only when tracking positions
        self.seen: dict[str, tuple[int, int]] | None = None


def read_yaml_lenient(
    text: str, *, limits: Limits, source: str | None
) -> tuple[Any, list[Problem], int]:
    """Parse one YAML document, going on past problems a reader can recover from.

    Returns ``(value, problems, more)``: located problems the reading went on past
    (a duplicate key keeps its first value, a bad number reads as null, text that
    breaks the text policy is kept as it is), at most ``limits.max_problems`` of
    them, and how many more there were. Raises :class:`DocumentError` when the
    document cannot be read on (syntax, tags, depth, size).
    """
    builder = _Builder(limits=limits, source=source)
    value = builder.run(text)
    if builder.duplicates:
        # Read again, noting where each key first appears: a duplicate names both lines.
        builder = _Builder(limits=limits, source=source, seen=True)
        value = builder.run(text)
    if builder.fatal_found:
        raise DocumentError(builder.problems, source=source)
    return value, builder.problems, builder.more


def read_yaml(text: str, *, limits: Limits, source: str | None) -> Any:
    """Parse one YAML document; raise :class:`DocumentError` for any problem."""
    value, problems, _ = read_yaml_lenient(text, limits=limits, source=source)
    if problems:
        raise DocumentError(problems, source=source)
    return value


def yaml_positions(text: str, wanted: Iterable[Path], *, limits: Limits) -> Positions:
    """The ``(line, column)`` of each path in ``wanted`` and of its ancestors."""
    interesting: set[Path] = set()
    for path in wanted:
        interesting.update(path[:cut] for cut in range(len(path) + 1))
    builder = _Builder(limits=limits, source=None, wanted=interesting, remaining=set(wanted))
    builder.run(text)
    return builder.positions


class _Builder:
    def __init__(
        self,
        *,
        limits: Limits,
        source: str | None,
        seen: bool = False,
        wanted: set[Path] | None = None,
        remaining: set[Path] | None = None,
    ) -> None:
        self.limits = limits
        self.source = source
        self.track_seen = seen
        self.wanted = wanted
        self.remaining = remaining  # wanted paths not yet placed: reading stops at none
        self.problems: list[Problem] = []
        self.more = 0  # problems beyond limits.max_problems, counted only
        self.duplicates = False
        self.fatal_found = False
        self.positions: Positions = {}
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int] | None] = {}  # None while still open
        self.nodes = 0
        self.documents = 0
        self.root: Any = None

    # -- problems ---------------------------------------------------------------

    def _path(self) -> Path:
        """The path of the value being read now."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.is_map:
            return top.path + ((top.key,) if top.key is not None else ())
        return (*top.path, len(top.container))

    def problem(self, code: str, message: str, mark: Any, path: Path | None = None) -> None:
        if len(self.problems) >= self.limits.max_problems:
            self.more += 1
            return
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        self.problems.append(
            Problem(
                code=code,
                message=message,
                parts=self._path() if path is None else path,
                source=self.source,
                line=line,
                column=column,
            )
        )

    def fatal(self, code: str, message: str, mark: Any) -> _Fatal:
        self.problem(code, message, mark)
        self.fatal_found = True
        return _Fatal()

    # -- the event loop ---------------------------------------------------------

    def run(self, text: str) -> Any:
        parser = None
        try:
            parser = _Parser(text)
            # The parser's own get_event, called until it has no more (None): what
            # yaml.parse does, without a Python generator step per event.
            self._consume(iter(parser.get_event, None))
        except _Fatal:
            pass
        except yaml.MarkedYAMLError as exc:
            self.fatal_found = True
            mark = exc.problem_mark or exc.context_mark
            what = " ".join(part for part in (exc.context, exc.problem) if part)
            if "maximum nesting depth" in what:  # libyaml's own bound, below ours or not
                self.problem("too-deep", "nesting is too deep for a YAML document", mark)
            else:
                self.problem("yaml-syntax", f"not valid YAML: {what or exc}", mark)
        except yaml.reader.ReaderError as exc:
            self.fatal_found = True
            self._reader_problem(text, exc)
        except yaml.YAMLError as exc:  # pragma: no cover - defensive: other parser errors
            self.fatal_found = True
            self.problem("yaml-syntax", f"not valid YAML: {exc}", None, ())
        finally:
            if parser is not None:
                parser.dispose()
        return self.root

    def _reader_problem(self, text: str, exc: yaml.reader.ReaderError) -> None:
        # libyaml reports a byte offset into the UTF-8 text; count lines up to it.
        line, column = byte_line_column(text.encode("utf-8"), exc.position)
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        self.problems.append(
            Problem(
                code="bad-character",
                message=f"character {shown} is not allowed in a YAML document",
                path="$",
                source=self.source,
                line=line,
                column=column,
            )
        )

    def _consume(self, events: Any) -> None:
        scalar_event = yaml.ScalarEvent
        mapping_start = yaml.MappingStartEvent
        sequence_start = yaml.SequenceStartEvent
        collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        alias_event = yaml.AliasEvent
        for event in events:
            kind = type(event)
            if kind is scalar_event:
                self._scalar(event)
            elif kind is mapping_start or kind is sequence_start:
                self._open(event, kind is mapping_start)
            elif kind in collection_end:
                self._close()
            elif kind is alias_event:
                self._alias(event)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise self.fatal(
                        "multiple-documents",
                        "a file holds one document; remove the extra '---' section",
                        event.start_mark,
                    )
        if self.documents == 0:
            self.fatal_found = True
            self.problem("empty-document", "the document is empty", None, ())

    # -- building ---------------------------------------------------------------

    def _open(self, event: Any, is_map: bool) -> None:
        tag = event.tag
        expected = "map" if is_map else "seq"
        if tag is not None and tag != "!" and tag != _TAG + expected:
            raise self.fatal("bad-tag", _tag_message(tag), event.start_mark)
        if len(self.stack) >= self.limits.max_depth:
            raise self.fatal(
                "too-deep",
                f"nesting is deeper than {self.limits.max_depth} levels",
                event.start_mark,
            )
        self._refuse_as_key(event)
        self._count(1, event)
        container: dict[str, Any] | list[Any] = {} if is_map else []
        path = self._path()
        if self.wanted is not None and path in self.wanted:
            self._place(path, event)
        if event.anchor is not None:
            self.anchors[event.anchor] = None  # open: an alias to it now is a cycle
        frame = _Frame(container, event.anchor, path)
        if self.track_seen and is_map:
            frame.seen = {}
        self.stack.append(frame)

    def _close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, frame.size)
        self._attach(frame.container, frame.size, None)

    def _alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise self.fatal(
                "yaml-syntax", f"alias *{event.anchor} names no anchor", event.start_mark
            )
        target = self.anchors[event.anchor]
        if target is None:
            raise self.fatal(
                "recursive-alias",
                f"alias *{event.anchor} refers to a value that contains it",
                event.start_mark,
            )
        self._refuse_as_key(event)
        value, size = target
        self._count(size, event)
        self._attach(value, size, event)

    def _refuse_as_key(self, event: Any) -> None:
        """A container or an alias where a mapping's key is due is refused."""
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key is None:
            raise self.fatal("complex-key", "mapping keys must be plain strings", event.start_mark)

    def _scalar(self, event: Any) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key is None:
            self._key(top, event)
            return
        self._count(1, event)
        value = self._resolve(event)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self._attach(value, 1, event)

    def _key(self, frame: _Frame, event: Any) -> None:
        key = event.value
        if event.tag not in (None, "!", _TAG + "str"):
            raise self.fatal("bad-tag", _tag_message(event.tag), event.start_mark)
        if key == "<<" and event.implicit[0]:
            raise self.fatal(
                "merge-key",
                "merge keys ('<<') are not supported; write the keys out",
                event.start_mark,
            )
        container = frame.container
        assert isinstance(container, dict)
        mark = event.start_mark
        message = text_problem(key)
        if message is not None:
            self.problem("bad-character", f"a key: {message}", mark, (*frame.path, key))
        if key in container:
            self.duplicates = True
            first = frame.seen.get(key) if frame.seen is not None else None
            where = f" (first at line {first[0]})" if first is not None else ""
            self.problem(
                "duplicate-key",
                f"duplicate key {key!r} at line {mark.line + 1}{where}; "
                "each key may appear once in a mapping",
                mark,
                (*frame.path, key),
            )
            # Keep the first value; read the duplicate's value and drop it.
            frame.discard = True

        elif frame.seen is not None:
            frame.seen[key] = (mark.line + 1, mark.column + 1)
        frame.key = key

    def _place(self, path: Path, event: Any) -> None:
        self.positions[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if self.remaining is not None:
            self.remaining.discard(path)
            if not self.remaining:
                raise _Fatal  # every wanted path is placed: no need to read on

    def _count(self, size: int, event: Any) -> None:
        self.nodes += size
        if self.nodes > self.limits.max_nodes:
            raise self.fatal(
                "too-many-nodes",
                f"the document has more than {self.limits.max_nodes} values once aliases "
                "are expanded (each use of an alias counts its whole value)",
                event.start_mark,
            )

    def _attach(self, value: Any, size: int, event: Any) -> None:
        """Put a finished value into its parent; ``event`` is None for a closed container."""
        if not self.stack:
            self.root = value
            if self.wanted is not None and event is not None and () in self.wanted:
                self._place((), event)
            return
        top = self.stack[-1]
        top.size += size
        if self.wanted is not None and event is not None:
            path = self._path()
            if path in self.wanted:
                self._place(path, event)
        if top.is_map:
            key = top.key
            assert key is not None
            if top.discard:
                top.discard = False
            else:
                top.container[key] = value  # type: ignore[call-overload]
            top.key = None
        else:
            top.container.append(value)  # type: ignore[union-attr]

    def _resolve(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return self._text(value, event)  # quoted, or a block scalar: a string
            return self._resolve_plain(value, event)
        if not tag.startswith(_TAG):
            raise self.fatal("bad-tag", _tag_message(tag), event.start_mark)
        name = tag[len(_TAG) :]
        converter = _EXPLICIT.get(name)
        if converter is None:
            raise self.fatal("bad-tag", _tag_message(tag), event.start_mark)
        if name == "str":
            return self._text(value, event)
        if name in ("int", "float"):
            message = number_text_problem(value, integer=name == "int", limits=self.limits)
            if message is not None:
                self.problem("bad-scalar", message, event.start_mark)
                return None
        try:
            result = converter(value)
        except ValueError:
            self.problem("bad-scalar", f"{value[:40]!r} is not a valid !!{name}", event.start_mark)
            return None
        return self._number(result, event) if name in ("int", "float") else result

    def _text(self, value: str, event: Any) -> str:
        message = text_problem(value)
        if message is not None:
            self.problem("bad-character", message, event.start_mark)
        return value

    def _number(self, value: float, event: Any) -> float | None:
        """``value`` when the number policy allows it; None and a problem otherwise."""
        if isinstance(value, int):
            message = integer_problem(value, self.limits)
        else:
            message = number_problem(value)
        if message is not None:
            self.problem("bad-scalar", message, event.start_mark)
            return None
        return value

    def _resolve_plain(self, value: str, event: Any) -> Any:
        special = _SPECIAL.get(value, _SPECIAL)
        if special is not _SPECIAL:
            return special
        if value[0] not in _NUMBER_START:
            return self._text(value, event)
        # The length is checked before converting: int() of thousands of digits is
        # refused by Python (or is slow), and a float may overflow to infinity.
        if _INT.match(value):
            message = number_text_problem(value, integer=True, limits=self.limits)
            if message is None:
                return self._number(int(value), event)
        elif _FLOAT.match(value):
            message = number_text_problem(value, integer=False, limits=self.limits)
            if message is None:
                return self._number(float(value), event)
        elif _HEX.match(value):
            message = number_text_problem(value[2:], integer=True, limits=self.limits)
            if message is None:
                return self._number(int(value[2:], 16), event)
        else:
            message = None
        if message is not None:
            self.problem("bad-scalar", f"{message}; quote it to keep it as text", event.start_mark)
            return None
        if _NON_FINITE.match(value):
            self.problem(
                "bad-scalar",
                f"{value!r} is not a number JSON can hold; quote it to keep it as text",
                event.start_mark,
            )
            return None
        return self._text(value, event)


def _explicit_bool(value: str) -> bool:
    result = _SPECIAL.get(value)
    if not isinstance(result, bool):
        raise ValueError(value)
    return result


def _explicit_null(value: str) -> None:
    if value not in _SPECIAL or _SPECIAL[value] is not None:
        raise ValueError(value)


_ANY_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")


def _explicit_float(value: str) -> float:
    if not _ANY_FLOAT.match(value):
        raise ValueError(value)
    return float(value)


def _explicit_int(value: str) -> int:
    if not _INT.match(value):
        raise ValueError(value)
    return int(value)


_EXPLICIT: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": _explicit_int,
    "float": _explicit_float,
    "bool": _explicit_bool,
    "null": _explicit_null,
}


def _tag_message(tag: str) -> str:
    shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    return (
        f"the tag {shown} is not allowed: documents hold only strings, numbers, "
        "booleans, null, lists and mappings"
    )
