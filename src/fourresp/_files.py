"""Writing files for people: never half-written, never over someone's file unasked.

The command line writes through :func:`write_atomically`, which

- writes a temporary file in the same folder, flushes it to disk and renames it
  over the target in one step, so a reader sees the old file or the new one;
- gives a new file the mode the umask allows (``0o666 & ~umask``, as ``open``
  would) and a replaced file the mode it had, so pages and badges can be served;
- follows a symbolic link and replaces the file it points to; a file with other
  hard links is replaced by a new one (renaming is what makes the write all or
  nothing), so the other names keep the old content;
- refuses to replace an existing file unless asked (``fourresp ... --force``,
  which sets :data:`replacing`);
- reports any failure (a missing folder, no permission, a full disk) as one
  :class:`~fourresp.errors.StorageError` naming the file, never the temporary one.

:func:`rescue` keeps what a person typed when the file they asked for cannot be
written.
"""

from __future__ import annotations

import contextvars
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import yaml

from fourresp.errors import StorageError

__all__ = [
    "check_writable",
    "document_text",
    "replacing",
    "rescue",
    "write_atomically",
]

#: Whether the command line may replace existing files (its ``--force``).
replacing: contextvars.ContextVar[bool] = contextvars.ContextVar("replacing", default=False)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _problem(path: Path, exc: OSError) -> StorageError:
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, FileNotFoundError) and not path.parent.is_dir():
        reason = f"the folder {path.parent} does not exist"
    return StorageError(f"cannot write {path}: {reason}")


def _not_a_file(path: Path) -> str:
    return (
        f"cannot write {path}: it is not a regular file (a folder, device, FIFO or "
        "socket is never replaced)"
    )


def check_writable(path: str | os.PathLike[str], *, replace: bool | None = None) -> None:
    """Raise :class:`StorageError` now if writing ``path`` later is bound to fail.

    For commands that ask before they write: the person hears of a missing folder or
    an existing file before typing anything.
    """
    target = Path(os.path.realpath(path))
    allowed = replacing.get() if replace is None else replace
    if target.exists() and not allowed:
        raise StorageError(f"{path} exists: add --force to replace it")
    if target.exists() and not target.is_file():
        raise StorageError(_not_a_file(Path(path)))
    if not target.parent.is_dir():
        raise StorageError(f"cannot write {path}: the folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise StorageError(f"cannot write {path}: the folder {target.parent} is not writable")


def write_atomically(
    path: str | os.PathLike[str], text: str | bytes, *, replace: bool | None = None
) -> None:
    """Write ``text`` (UTF-8, or bytes as they are) to ``path``: all of it or nothing.

    ``replace`` allows replacing an existing file (default: :data:`replacing`).
    Raises :class:`StorageError` when the file exists and may not be replaced, is
    not a regular file (a folder, device, FIFO or socket is never replaced), or
    cannot be written.
    """
    shown = Path(path)
    target = Path(os.path.realpath(path))
    allowed = replacing.get() if replace is None else replace
    try:
        existing: os.stat_result | None = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _problem(shown, exc) from None
    if existing is not None and not allowed:
        raise StorageError(f"{shown} exists: add --force to replace it")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise StorageError(_not_a_file(shown))
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise _problem(shown, exc) from None
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        if existing is None and not allowed:
            _place_new(temporary, target)
        else:
            os.replace(temporary, target)
    except FileExistsError:
        Path(temporary).unlink(missing_ok=True)
        raise StorageError(f"{shown} exists: add --force to replace it") from None
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _problem(shown, exc) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _place_new(temporary: str, target: Path) -> None:
    """Rename ``temporary`` to ``target`` unless ``target`` appeared meanwhile."""
    try:
        os.link(temporary, target)  # fails if someone made the file since we looked
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: look again, then rename
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(temporary, target)
    else:
        os.unlink(temporary)


def rescue(text: str, *, prefix: str, suffix: str) -> str | None:
    """Keep ``text`` in a new file of the temporary folder; its path, or None if even that fails."""
    try:
        handle, path = tempfile.mkstemp(prefix=prefix, suffix=suffix)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except OSError:
        return None
    return path


def document_text(document: dict[str, Any], path: str | os.PathLike[str]) -> str:
    """``document`` as JSON when ``path`` ends in ``.json``, otherwise as YAML."""
    if os.fspath(path).lower().endswith(".json"):
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88)
    return text
