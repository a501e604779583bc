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
