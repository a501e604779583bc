"""The embedded storage: SQLite through the standard library.

- WAL journal, so readers never block the writer;
- every write in a ``BEGIN IMMEDIATE`` transaction, so concurrent writers queue
  (for up to ``busy_timeout`` seconds) instead of failing or deadlocking;
- ``synchronous = FULL``, so a committed pledge survives a power cut, and a process
  killed mid-import leaves all of the import or none of it;
- ``secure_delete``, and a WAL checkpoint after a withdrawal, so erased personal
  data does not linger in free pages or in the journal;
- a ``schema_version`` table and numbered migrations.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from typing import Any

from fourresp.errors import DocumentError, Problem
from fourresp.supporters._registry import SQLRegistry, first_migration

__all__ = ["SQLiteRegistry"]

_MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, first_migration(id_column="INTEGER PRIMARY KEY AUTOINCREMENT", boolean="INTEGER")),
)


class SQLiteRegistry(SQLRegistry):
    """Supporters in a SQLite file (or ``":memory:"``)."""

    placeholder = "?"

    def __init__(
        self,
        path: str | os.PathLike[str] = ":memory:",
        *,
        keep_emails: bool = False,
        salt: str | None = None,
        busy_timeout: float = 60.0,
    ) -> None:
        super().__init__(keep_emails=keep_emails, salt=salt)
        self.path = os.fspath(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise DocumentError(
                [Problem(code="database", message=f"cannot open the database: {exc}")],
                source=self.path,
            ) from None
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if self.path != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA secure_delete = ON")
        self._migrate()

    def _migrate(self) -> None:
        with self._transaction() as cursor:
            self._apply_migrations(cursor, _MIGRATIONS)
            self._salt = self._load_salt(cursor)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
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
        cursor = self._db.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def _insert_ignoring_duplicates(self) -> str:
        return "INSERT OR IGNORE"

    def _last_id(self, cursor: Any) -> int:
        cursor.execute("SELECT last_insert_rowid()")
        return int(cursor.fetchone()[0])

    def _after_delete(self) -> None:
        # secure_delete zeroed the freed cells in the main file; the WAL still holds
        # the old pages until a checkpoint copies the new ones back and truncates it.
        if self.path != ":memory:":
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _insert_many(self, cursor: Any, statement: str, rows: list[tuple[Any, ...]]) -> int:
        # A large import updates three indexes at random places: a page cache big enough
        # to hold them (up to 64 MiB, for this import only) saves re-reading pages.
        previous = self._db.execute("PRAGMA cache_size").fetchone()[0]
        if len(rows) > 10_000:
            self._db.execute("PRAGMA cache_size = -65536")
        try:
            cursor.executemany(statement, rows)
            return int(cursor.rowcount)  # rows INSERT OR IGNORE really added
        finally:
            self._db.execute(f"PRAGMA cache_size = {int(previous)}")

    def integrity_check(self) -> str:
        """SQLite's own check of the file: ``"ok"`` when sound."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
