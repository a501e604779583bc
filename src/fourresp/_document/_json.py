"""Strict JSON reading: duplicate keys refused, only finite, bounded numbers, policy text.

``json.loads`` does the fast work, with hooks that refuse over-long numbers
before they are converted and keep the first of duplicate keys. Positions are
found by a separate, forgiving scanner (:func:`json_locate`) that runs only when
there are problems to place, records only the paths asked for, and never runs a
regular expression over more than one token: time and memory stay linear in the
size of the text (a 10 MB string is one ``str.find``-like step).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Collection, Iterable
from typing import Any

from fourresp._document._limits import Limits
from fourresp._document._located import located_problem
from fourresp._document._paths import Path, PathPart, Positions
from fourresp._document._tree import (
    BadNumber,
    Capped,
    Found,
    TreeProblems,
    check_tree,
    number_text_problem,
)
from fourresp.errors import DocumentError, Problem

__all__ = ["json_locate", "locate_found", "read_json", "read_json_lenient"]


class _Reading:
    """The hooks of one ``json.loads`` call."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.duplicates = False

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            self.duplicates = True
            result = {}
            for key, value in pairs:
                result.setdefault(key, value)  # keep the first, as YAML reading does
        return result

    def integer(self, token: str) -> Any:
        message = number_text_problem(token, integer=True, limits=self.limits)
        return BadNumber(message) if message is not None else int(token)

    def number(self, token: str) -> Any:
        message = number_text_problem(token, integer=False, limits=self.limits)
        return BadNumber(message) if message is not None else float(token)

    @staticmethod
    def constant(name: str) -> Any:
        return BadNumber(f"{name} is not a number JSON documents may hold")


def read_json_lenient(
    text: str, *, limits: Limits, source: str | None
) -> tuple[Any, list[Problem], Capped]:
    """Parse one JSON document, going on past problems a reader can recover from.

    Returns ``(value, located problems, problems still to locate)``; bad numbers are
    read as null, the first of duplicate keys is kept. Problems beyond
    ``limits.max_problems`` are counted in the last list's ``more``. Raises
    :class:`DocumentError` when the text cannot be read at all (syntax, depth, size).
    """
    reading = _Reading(limits)
    try:
        value = json.loads(
            text,
            object_pairs_hook=reading.pairs,
            parse_int=reading.integer,
            parse_float=reading.number,
            parse_constant=reading.constant,
        )
    except json.JSONDecodeError as exc:
        problem = Problem(
            code="json-syntax",
            message=f"not valid JSON: {exc.msg}",
            source=source,
            line=exc.lineno,
            column=exc.colno,
        )
        raise DocumentError([problem], source=source) from None
    except RecursionError:
        problem = Problem(
            code="too-deep",
            message=f"nesting is deeper than {limits.max_depth} levels",
            source=source,
        )
        raise DocumentError([problem], source=source) from None
    try:
        value, found = check_tree(value, limits=limits)
    except TreeProblems as exc:
        raise DocumentError(locate_found(text, exc.found, source=source), source=source) from None
    located: list[Problem] = []
    if reading.duplicates:
        _, located, more = json_locate(
            text, (), duplicates=True, max_duplicates=limits.max_problems, source=source
        )
        found.more += more
    return value, located, found


def read_json(text: str, *, limits: Limits, source: str | None) -> Any:
    """Parse one JSON document; raise :class:`DocumentError` with located problems."""
    value, located, found = read_json_lenient(text, limits=limits, source=source)
    if located or found:
        problems = located + locate_found(text, found, source=source)
        raise DocumentError(
            sorted(problems, key=lambda p: (p.line or 0, p.column or 0)), source=source
        )
    return value


def locate_found(text: str, found: Iterable[Found], *, source: str | None) -> list[Problem]:
    """Problems for ``(code, message, path)`` triples, placed in ``text`` in one pass."""
    found = list(found)
    positions = json_locate(text, [path for _, _, path in found], source=source)[0]
    return [
        located_problem(code, message, path, positions, source=source)
        for code, message, path in found
    ]


_SPACE = re.compile(r"[ \t\n\r]*")
_STRING_BODY = re.compile(r'[^"\\]*')
_ATOM = re.compile(r'[^\s{}\[\]:,"]*')


class _Open:
    __slots__ = ("expect_key", "index", "is_object", "key", "path", "seen")

    def __init__(self, is_object: bool, path: Path | None, duplicates: bool) -> None:
        self.is_object = is_object
        self.path = path  # None: nothing inside is wanted
        self.index = 0
        self.key: str | None = None
        self.expect_key = is_object
        self.seen: dict[str, int] | None = {} if duplicates and is_object else None


def _string_end(text: str, start: int) -> int:
    """The offset just after the string that opens at ``start`` (or the end of ``text``)."""
    end = len(text)
    at = start + 1
    while at < end:
        at = _STRING_BODY.match(text, at).end()  # type: ignore[union-attr]
        if at >= end:
            return end
        if text[at] == '"':
            return at + 1
        at += 2  # a backslash and the character it escapes
    return end


_UNSTRUCTURED = re.compile(r'[^"\[\]{}]*')


def _skip(text: str, at: int) -> int:
    """The offset after the container whose content starts at ``at`` (its bracket read)."""
    depth = 1
    end = len(text)
    while at < end:
        at = _UNSTRUCTURED.match(text, at).end()  # type: ignore[union-attr]
        if at >= end:
            break
        char = text[at]
        if char == '"':
            at = _string_end(text, at)
            continue
        depth += 1 if char in "[{" else -1
        at += 1
        if depth == 0:
            break
    return at


class _Lines:
    """Line and column of offsets asked for in increasing order, counted incrementally."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1
        self.line_start = 0

    def at(self, offset: int) -> tuple[int, int]:
        text = self.text
        if offset < self.offset:  # not in order: count from the start again
            self.offset, self.line, self.line_start = 0, 1, 0
        self.line += text.count("\n", self.offset, offset)
        if self.line > 1:
            newline = text.rfind("\n", self.offset, offset)
            if newline >= 0:
                self.line_start = newline + 1
        self.offset = offset
        return self.line, offset - self.line_start + 1


def json_locate(
    text: str,
    wanted: Collection[Path],
    *,
    duplicates: bool = False,
    max_duplicates: int = 100,
    source: str | None = None,
) -> tuple[Positions, list[Problem], int]:
    """Positions of the paths in ``wanted`` (and of their ancestors), and duplicate keys.

    Returns the positions, the first ``max_duplicates`` duplicate keys as problems,
    and how many more duplicates there are.

    One forward scan; memory is the nesting depth plus what was asked for (and the
    keys of each open object when ``duplicates`` is set). Forgiving by design: on
    malformed input it returns what it has found so far instead of failing.
    """
    interesting: set[Path] = set()
    for one in wanted:
        interesting.update(one[:cut] for cut in range(len(one) + 1))
    # Without duplicates to find, the scan stops once every wanted path is placed.
    remaining = None if duplicates else set(wanted)
    offsets, found_duplicates, more = _scan(
        text, interesting, remaining, duplicates=duplicates, max_duplicates=max_duplicates
    )
    positions, problems = _place(text, offsets, found_duplicates, source)
    return positions, problems, more


# offset, first offset, path, key of a duplicate key
_Duplicate = tuple[int, int, Path, str]


def _scan(
    text: str,
    interesting: set[Path],
    remaining: set[Path] | None,
    *,
    duplicates: bool,
    max_duplicates: int,
) -> tuple[dict[Path, int], list[_Duplicate], int]:
    """The offsets of the interesting paths, the first duplicate keys, how many more."""
    offsets: dict[Path, int] = {}
    found_duplicates: list[_Duplicate] = []  # at most max_duplicates kept, the rest counted
    more = 0
    stack: list[_Open] = []
    end = len(text)
    at = 0
    while True:
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        if at >= end:
            break
        char = text[at]
        top = stack[-1] if stack else None
        if char in "}]":
            if stack:
                stack.pop()
            at += 1
            continue
        if char == ",":
            if top is not None:
                if top.is_object:
                    top.expect_key = True
                    top.key = None
                else:
                    top.index += 1
            at += 1
            continue
        if char == ":":
            at += 1
            continue
        start = at
        if char == '"':
            at = _string_end(text, at)
        elif char in "{[":
            at += 1
        else:
            at = max(_ATOM.match(text, at).end(), at + 1)  # type: ignore[union-attr]
        if top is not None and top.is_object and top.expect_key and char == '"':
            if top.path is None and top.seen is None:
                top.key = ""  # nothing inside is wanted: the key does not matter
            elif not _read_key(text, start, at, top, found_duplicates, max_duplicates):
                more += 1
            top.expect_key = False
            continue
        path = _unknown(top)
        if path is not None and path not in interesting:
            path = None
        if path is not None:
            offsets[path] = start
            if remaining is not None:
                remaining.discard(path)
                if not remaining:
                    break
        if char in "{[":
            # Paths are kept for containers that hold something wanted, or to name
            # duplicates (whose paths must be complete). Any other is skipped whole.
            if path is None and not duplicates:
                at = _skip(text, at)
                continue
            keep = path if path is not None else _unknown(top)
            stack.append(_Open(char == "{", keep, duplicates))
    return offsets, found_duplicates, more


def _read_key(
    text: str,
    start: int,
    at: int,
    top: _Open,
    found_duplicates: list[_Duplicate],
    max_duplicates: int,
) -> bool:
    """Set the key of ``top`` from the string at ``start:at``, noting a duplicate.

    False when the key is a duplicate beyond the first ``max_duplicates`` (only counted).
    """
    key = text[start + 1 : at - 1]
    if "\\" in key:
        with contextlib.suppress(ValueError):  # forgiving: keep the raw key
            key = json.loads(text[start:at])
    top.key = key
    if top.seen is not None:
        first = top.seen.get(key)
        if first is None:
            top.seen[key] = start
        elif len(found_duplicates) < max_duplicates:
            found_duplicates.append((start, first, (*(top.path or ()), key), key))
        else:
            return False
    return True


def _place(
    text: str, offsets: dict[Path, int], found_duplicates: list[_Duplicate], source: str | None
) -> tuple[Positions, list[Problem]]:
    """Line and column of each path found, and a problem for each duplicate key."""
    lines = _Lines(text)
    places = {
        offset: lines.at(offset)
        for offset in sorted(
            {*offsets.values(), *(d[0] for d in found_duplicates)}
            | {d[1] for d in found_duplicates}
        )
    }
    positions: Positions = {path: places[offset] for path, offset in offsets.items()}
    problems = []
    for offset, first, path, key in sorted(found_duplicates):
        line, column = places[offset]
        first_line, first_column = places[first]
        # On one line (a JSON Lines row, a minified file) the columns tell them apart.
        where = (
            f"at column {column} (first at column {first_column})"
            if line == first_line
            else f"at line {line} (first at line {first_line})"
        )
        problems.append(
            Problem(
                code="duplicate-key",
                message=f"duplicate key {key!r} {where}; each key may appear once in an object",
                parts=path,
                source=source,
                line=line,
                column=column,
            )
        )
    return positions, problems


def _unknown(top: _Open | None) -> Path | None:
    """The full path of a value inside ``top``, or None when ``top`` keeps no path."""
    if top is None:
        return ()
    if top.path is None:
        return None
    part: PathPart = top.key if top.is_object and top.key is not None else top.index
    return (*top.path, part)
