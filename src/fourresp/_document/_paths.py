"""The one JSON-path dialect used by every error: ``$.a[0].b`` and ``$['odd key']``."""

from __future__ import annotations

import re
from collections.abc import Iterable

PathPart = str | int
Path = tuple[PathPart, ...]
#: JSON path -> (line, column), both 1-based, as the readers record them
Positions = dict[Path, tuple[int, int]]

_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


def format_path(parts: Iterable[PathPart]) -> str:
    """Render path parts as a JSON path, quoting keys that are not plain identifiers."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}")
        else:
            # JSON string quoting escapes quotes and control characters, so the path
            # stays on one line whatever the key holds; a key with a lone surrogate
            # (refused, but named in the problem) is escaped whole, so the path can
            # still be written as UTF-8. (json is imported only for such a key.)
            import json

            try:
                part.encode("utf-8")
            except UnicodeEncodeError:
                out.append(f"[{json.dumps(part)}]")
            else:
                out.append(f"[{json.dumps(part, ensure_ascii=False)}]")
    return "".join(out)


def locate(positions: Positions, path: Path) -> tuple[int, int] | None:
    """The position of ``path``, or of its nearest recorded ancestor (values inside an
    expanded YAML alias have none of their own)."""
    for cut in range(len(path), -1, -1):
        found = positions.get(path[:cut])
        if found is not None:
            return found
    return None


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[offset]`` (or of the end, at ``len(text)``).

    Counts from the start each time: for many offsets in increasing order over one
    text, the JSON reader keeps its own running count instead.
    """
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def byte_line_column(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the byte at ``offset`` in UTF-8 ``data``, in characters.

    What comes before it is decoded with replacement, so a broken byte earlier on
    counts as one character.
    """
    before = data[:offset].decode("utf-8", "replace")
    return line_column(before, len(before))


_KEY_OR_INDEX = re.compile(r"\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[(-?[0-9]+)\]|\[(?=\")")


def parse_path(text: str) -> Path | None:
    """The parts of a JSON path in the dialect :func:`format_path` writes, or None.

    The inverse of :func:`format_path`: ``parse_path(format_path(parts)) == parts``
    for every tuple of keys and indexes. Anything else (another dialect, a stray
    character) gives None, for the caller to report.
    """
    if not text.startswith("$"):
        return None
    parts: list[PathPart] = []
    at, end = 1, len(text)
    while at < end:
        step = _KEY_OR_INDEX.match(text, at)
        if step is None:
            return None
        key, index = step.group(1), step.group(2)
        if key is not None:
            parts.append(key)
            at = step.end()
        elif index is not None:
            parts.append(int(index))
            at = step.end()
        else:  # a quoted key: a JSON string, then the closing bracket
            try:
                import json  # only for a quoted key, as in format_path

                quoted, after = json.JSONDecoder().raw_decode(text, step.end())
            except ValueError:
                return None
            if not text.startswith("]", after):
                return None
            parts.append(quoted)
            at = after + 1
    return tuple(parts)
