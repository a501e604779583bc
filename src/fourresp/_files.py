"""Writing files so that nothing half-written is ever left behind."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

__all__ = ["document_text", "write_atomically"]


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``: all of it or, on any failure, nothing.

    The text goes to a temporary file in the same folder, is flushed to disk, and
    then replaces ``path`` in one step.
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or "."
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def document_text(document: dict[str, Any], path: str | os.PathLike[str]) -> str:
    """``document`` as JSON when ``path`` ends in ``.json``, otherwise as YAML."""
    if os.fspath(path).lower().endswith(".json"):
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88)
    return text
