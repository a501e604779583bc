"""The one JSON-path dialect used by every error: ``$.a[0].b`` and ``$['odd key']``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

PathPart = str | int
Path = tuple[PathPart, ...]

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
            # stays on one line whatever the key holds.
            out.append(f"[{json.dumps(part, ensure_ascii=False)}]")
    return "".join(out)
