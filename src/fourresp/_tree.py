"""Checks on an already-parsed tree: JSON-compatible values only, bounded depth and size."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from fourresp._limits import Limits
from fourresp._paths import Path, Positions, format_path
from fourresp._paths import locate as find_position
from fourresp.errors import DocumentError, Problem

__all__ = ["check_tree", "plain_copy"]

_SCALARS = (str, int, float, bool, type(None))


def check_tree(
    value: Any,
    *,
    limits: Limits,
    source: str | None,
    locate: Callable[[], Positions] | None = None,
) -> None:
    """Refuse a tree that nests deeper than ``limits.max_depth`` or holds too many values.

    Iterative, so any depth is safe to inspect. ``locate`` is called only when there
    is a problem to place.
    """
    _walk(value, limits=limits, source=source, locate=locate, copy=False)


def plain_copy(value: Any, *, limits: Limits, source: str | None = None) -> Any:
    """Copy a caller's mapping into plain dicts and lists, refusing what JSON cannot hold.

    Tuples become lists, any :class:`~collections.abc.Mapping` becomes a dict; keys
    must be strings, numbers finite. The copy also means later changes the caller
    makes to their object cannot reach a loaded document.
    """
    return _walk(value, limits=limits, source=source, locate=None, copy=True)


def _walk(
    value: Any,
    *,
    limits: Limits,
    source: str | None,
    locate: Callable[[], Positions] | None,
    copy: bool,
) -> Any:
    problems: list[Problem] = []

    def fail(code: str, message: str, path: Path) -> None:
        found = find_position(locate(), path) if locate is not None else None
        line, column = found if found is not None else (None, None)
        problems.append(
            Problem(
                code=code,
                message=message,
                path=format_path(path),
                source=source,
                line=line,
                column=column,
            )
        )

    root: list[Any] = [None]
    # (value, depth, path, container to put the copy in, key or index)
    pending: list[tuple[Any, int, Path, Any, Any]] = [(value, 0, (), root, 0)]
    nodes = 0
    while pending:
        item, depth, path, parent, slot = pending.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            fail("too-many-nodes", f"the document has more than {limits.max_nodes} values", path)
            break
        if isinstance(item, Mapping):
            if depth >= limits.max_depth:
                fail("too-deep", f"nesting is deeper than {limits.max_depth} levels", path)
                break
            # Keys are placed now, in order; values arrive later from the stack.
            out: Any = dict.fromkeys(key for key in item if isinstance(key, str)) if copy else item
            for key, child in item.items():
                if not isinstance(key, str):
                    fail("bad-key", f"keys must be strings, not {type(key).__name__}", path)
                    continue
                pending.append((child, depth + 1, (*path, key), out, key))
        elif isinstance(item, list | tuple):
            if depth >= limits.max_depth:
                fail("too-deep", f"nesting is deeper than {limits.max_depth} levels", path)
                break
            out = [None] * len(item) if copy else item
            for index in range(len(item) - 1, -1, -1):
                pending.append((item[index], depth + 1, (*path, index), out, index))
        elif isinstance(item, _SCALARS):
            out = item
            if isinstance(item, float) and not math.isfinite(item):
                fail("bad-scalar", f"{item!r} is not a number JSON can hold", path)
        else:
            fail(
                "bad-type",
                f"a value of type {type(item).__name__} cannot appear in a document; use strings, "
                "numbers, booleans, null, lists and mappings",
                path,
            )
            continue
        if copy:
            parent[slot] = out
    if problems:
        raise DocumentError(problems, source=source)
    return root[0]
