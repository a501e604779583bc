"""Strict JSON reading: duplicate keys refused, only finite numbers, positions on demand.

``json.loads`` does the fast work. Positions are found by a separate, forgiving
tokenizer that runs only when there are problems to locate, so a clean document
pays nothing for them.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from fourresp._limits import Limits
from fourresp._paths import Path, PathPart, Positions, format_path
from fourresp._tree import check_tree
from fourresp.errors import DocumentError, Problem

__all__ = ["json_positions", "read_json"]


class _DuplicateKey(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON documents may hold")


def read_json(text: str, *, limits: Limits, source: str | None) -> Any:
    """Parse one JSON document; raise :class:`DocumentError` with located problems."""
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constants)
    except _DuplicateKey:
        _, problems = json_positions(text, source=source)
        raise DocumentError(problems, source=source) from None
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
    except ValueError as exc:
        # int() refuses numbers over sys.get_int_max_str_digits(); NaN and Infinity land here
        problem = Problem(code="bad-scalar", message=f"not a usable number: {exc}", source=source)
        raise DocumentError([problem], source=source) from None
    check_tree(value, limits=limits, source=source, locate=lambda: json_positions(text)[0])
    return value


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<punct>[{}\[\]:,])
      | (?P<atom>[^\s{}\[\]:,"]+)
    )""",
    re.VERBOSE | re.DOTALL,
)


class _Open:
    __slots__ = ("expect_key", "index", "is_object", "key", "path", "seen")

    def __init__(self, is_object: bool, path: Path) -> None:
        self.is_object = is_object
        self.path = path
        self.index = 0
        self.key: str | None = None
        self.expect_key = is_object
        self.seen: dict[str, tuple[int, int]] = {}


def json_positions(text: str, *, source: str | None = None) -> tuple[Positions, list[Problem]]:
    """Map every JSON path in ``text`` to its ``(line, column)``; also report duplicate keys.

    Forgiving by design: it is used to locate problems, so on malformed input it
    returns what it has found so far instead of failing.
    """
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(offset: int) -> tuple[int, int]:
        line = bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    positions: Positions = {}
    problems: list[Problem] = []
    stack: list[_Open] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group(kind or 0)
        offset = match.start(kind or 0)
        top = stack[-1] if stack else None
        if kind == "punct":
            if token in "}]":
                if stack:
                    stack.pop()
                continue
            if token == ",":
                if top is not None:
                    if top.is_object:
                        top.expect_key = True
                        top.key = None
                    else:
                        top.index += 1
                continue
            if token == ":":
                continue
        if top is not None and top.is_object and top.expect_key and kind == "string":
            try:
                key = json.loads(token)
            except ValueError:
                key = token.strip('"')
            here = where(offset)
            first = top.seen.get(key)
            if first is not None:
                problems.append(
                    Problem(
                        code="duplicate-key",
                        message=f"duplicate key {key!r} at line {here[0]} (first at line "
                        f"{first[0]}); each key may appear once in an object",
                        path=format_path((*top.path, key)),
                        source=source,
                        line=here[0],
                        column=here[1],
                    )
                )
            else:
                top.seen[key] = here
            top.key = key
            top.expect_key = False
            continue
        part: tuple[PathPart, ...] = ()
        if top is not None:
            part = (top.key,) if top.is_object and top.key is not None else (top.index,)
        path = (*top.path, *part) if top is not None else ()
        positions[path] = where(offset)
        if token in ("{", "["):
            stack.append(_Open(token == "{", path))
    return positions, problems
