"""The embedded storage: SQLite through the standard library.

- WAL journal, so readers never block the writer;
- every write in a ``BEGIN IMMEDIATE`` transaction, so concurrent writers queue
  (for up to ``busy_timeout`` seconds) instead of failing or deadlocking;
- ``synchronous = FULL``, so a committed pledge survives a power cut, and a process
  killed mid-import leaves all of the import or none of it;
- ``secure_delete``, and after a withdrawal a WAL checkpoint that truncates the log,
  so erased personal data lingers neither in free pages nor in the journal; a
  reader that holds the log is waited for a few seconds at most, then the erasure
  is reported unfinished and retried later (see :meth:`SQLiteRegistry.withdraw`);
- a ``schema_version`` table and numbered migrations; a database from a newer
  version is refused, and a read-only one can still be read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from typing import IO, Any

from fourresp.errors import StorageError
from fourresp.supporters._registry import (
    ExportFormat,
    SQLRegistry,
    first_migration,
    second_migration,
)

__all__ = ["SQLiteRegistry"]

_MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, first_migration(id_column="INTEGER PRIMARY KEY AUTOINCREMENT", boolean="INTEGER")),
    (2, second_migration()),
)
_PENDING = "erasure_pending"  # the meta key set while a withdrawal's data may be in the log


class SQLiteRegistry(SQLRegistry):
    """Supporters in a SQLite file (or ``":memory:"``).

    ``erase_timeout`` bounds how long :meth:`withdraw` waits for other connections to
    let go of the write-ahead log before it reports the erasure unfinished.
    """

    placeholder = "?"
    flag = int

    def __init__(
        self,
        path: str | os.PathLike[str] = ":memory:",
        *,
        keep_emails: bool = False,
        salt: str | None = None,
        busy_timeout: float = 60.0,
        erase_timeout: float = 5.0,
    ) -> None:
        super().__init__(keep_emails=keep_emails, salt=salt)
        self.path = os.fspath(path)
        self.erase_timeout = erase_timeout
        self._busy_ms = int(busy_timeout * 1000)
        try:
            self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the database {self.path}: {exc}") from None
        try:
            with self._guard():
                db = self._db
                db.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
                if (
                    self.path != ":memory:"
                    and db.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
                ):
                    db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = FULL")
                db.execute("PRAGMA secure_delete = ON")
            self._migrate(_MIGRATIONS)
            self._finish_erasure(wait=0.0, strict=False)
        except BaseException:
            self._db.close()
            raise

    def _describe(self) -> str:
        return self.path

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite's errors as :class:`~fourresp.errors.StorageError`, saying what is wrong."""
        try:
            yield
        except sqlite3.Error as exc:
            text = str(exc)
            if "not a database" in text:
                message = f"{self.path} is not a SQLite database (or is encrypted or damaged)"
            elif "readonly" in text or "read-only" in text:
                message = f"the database {self.path} is read-only: it can be read, not changed"
            else:
                message = f"the database {self.path}: {text}"
            raise StorageError(message) from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._guard():
            cursor = self._db.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            else:
                cursor.execute("COMMIT")
            finally:
                cursor.close()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        with self._guard():
            cursor = self._db.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def _has_table(self, cursor: Any, table: str) -> bool:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
        return cursor.fetchone() is not None

    def _insert_ignoring_duplicates(self) -> str:
        return "INSERT OR IGNORE"

    def _after_delete(self, deleted: bool) -> None:
        # secure_delete zeroed the freed cells in the main file; the WAL still holds
        # the old pages until a checkpoint copies the new ones back and truncates it.
        if self.path == ":memory:":
            return
        if deleted:
            with self._transaction() as cursor:
                cursor.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (_PENDING,)
                )
        self._finish_erasure(wait=self.erase_timeout, strict=True)

    def _finish_erasure(self, *, wait: float, strict: bool) -> None:
        """Checkpoint and truncate the log if a withdrawal's data may still be in it.

        Waits up to ``wait`` seconds for readers to let go; then raises
        :class:`StorageError` (``strict``) or leaves the erasure for next time.
        """
        if self.path == ":memory:":
            return
        with self._read() as cursor:
            cursor.execute("SELECT 1 FROM meta WHERE key = ?", (_PENDING,))
            if cursor.fetchone() is None:
                return
        deadline = time.monotonic() + wait
        try:
            with self._guard():
                # Each attempt waits a moment for readers; the loop bounds the whole.
                self._db.execute("PRAGMA busy_timeout = 100")
                while True:
                    # First clear the flag (the clearing write must itself be in the log
                    # before the checkpoint that empties it), then checkpoint.
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.execute("DELETE FROM meta WHERE key = ?", (_PENDING,))
                    self._db.execute("COMMIT")
                    busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    if not busy:
                        return
                    self._db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (_PENDING,)
                    )
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.05)
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
        if strict:
            raise StorageError(
                f"the supporter is deleted, but another connection to {self.path} is still "
                "reading, so their data may remain in the write-ahead log: the erasure "
                "finishes at the next withdrawal, or when a registry on this file is "
                "opened or closed with no reader left; call withdraw again to finish it"
            )

    def _import(
        self, stream: IO[str], format: ExportFormat, name: str | None, include_withdrawn: bool
    ) -> int:
        # An import updates four indexes at random places (the identities and e-mail
        # hashes are HMACs): a page cache that holds them (up to 64 MiB, for the import
        # only) saves reading pages back again and again.
        with self._read() as cursor:
            previous = int(cursor.execute("PRAGMA cache_size").fetchone()[0])
            cursor.execute("PRAGMA cache_size = -65536")
        try:
            return super()._import(stream, format, name, include_withdrawn)
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute(f"PRAGMA cache_size = {previous}")

    def integrity_check(self) -> str:
        """SQLite's own check of the file: ``"ok"`` when sound."""
        with self._read() as cursor:
            return str(cursor.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        """Close the connection (finishing an erasure left unfinished, if it can)."""
        with contextlib.suppress(StorageError, sqlite3.Error):
            self._finish_erasure(wait=0.0, strict=False)
        self._db.close()
