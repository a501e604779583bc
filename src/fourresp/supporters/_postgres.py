"""The storage for a site that outgrows one machine: PostgreSQL through psycopg 3.

Install with the ``postgres`` extra (``pip install 'fourresp[postgres]'``). The
same tables and rules as SQLite: unique constraints make a repeated pledge
idempotent under any concurrency (``INSERT ... ON CONFLICT DO NOTHING``), every
write is one transaction, and migrations run under an advisory lock.

A withdrawal is followed by ``VACUUM FULL`` of the table, which writes the live
rows to a new file and drops the old one, so the deleted row is in no table file
(a plain ``VACUUM`` only marks its space free). It needs the table to itself: it
waits ``erase_timeout`` seconds at most for other transactions using the table,
then raises :class:`~fourresp.errors.StorageError` and is tried again at the next
withdrawal or opening. The server's write-ahead log and backups are outside the
table's files: rotating them is the database administrator's part.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from fourresp.errors import MissingExtraError, StorageError
from fourresp.supporters._registry import SQLRegistry, first_migration, second_migration

__all__ = ["PostgresRegistry"]

_PENDING = "erasure_pending"  # the meta key set while a withdrawn row may be in a file
_LOCK = 4_120_347  # the advisory lock migrations hold ("4R")
_MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, first_migration(id_column="BIGSERIAL PRIMARY KEY", boolean="BOOLEAN")),
    (2, second_migration()),
)


class PostgresRegistry(SQLRegistry):
    """Supporters in a PostgreSQL database, given by a ``postgresql://`` URL."""

    placeholder = "%s"

    def __init__(
        self,
        url: str,
        *,
        keep_emails: bool = False,
        salt: str | None = None,
        erase_timeout: float = 5.0,
    ) -> None:
        super().__init__(keep_emails=keep_emails, salt=salt)
        self.erase_timeout = erase_timeout
        try:
            import psycopg
        except ImportError as exc:
            raise MissingExtraError(
                f"PostgreSQL needs the postgres extra: pip install 'fourresp[postgres]' ({exc})"
            ) from None
        self._errors = psycopg.Error
        self.url = url
        try:
            self._db = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to {_safe(url)}: {exc}".strip()) from None
        try:
            self._migrate(_MIGRATIONS)
            with contextlib.suppress(StorageError):
                self._finish_erasure(wait=0.0, strict=False)
        except BaseException:
            self._db.close()
            raise

    def _describe(self) -> str:
        return _safe(self.url)

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._errors as exc:
            raise StorageError(f"the database {_safe(self.url)}: {exc}".strip()) from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._guard(), self._db.transaction(), self._db.cursor() as cursor:
            yield cursor

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        with self._guard(), self._db.cursor() as cursor:
            yield cursor

    def _has_table(self, cursor: Any, table: str) -> bool:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
        return bool(cursor.fetchone()[0])

    def _lock_for_migration(self, cursor: Any) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))

    def _insert_ignoring_duplicates(self) -> str:
        return "INSERT"

    def _on_conflict(self) -> str:
        return "ON CONFLICT DO NOTHING"

    def _after_delete(self, deleted: bool) -> None:
        if deleted:
            with self._transaction() as cursor:
                cursor.execute(
                    "INSERT INTO meta (key, value) VALUES (%s, '1') ON CONFLICT DO NOTHING",
                    (_PENDING,),
                )
        self._finish_erasure(wait=self.erase_timeout, strict=True)

    def _finish_erasure(self, *, wait: float, strict: bool) -> None:
        """Rewrite the table if a withdrawal's row may still be in its file."""
        with self._read() as cursor:
            cursor.execute("SELECT 1 FROM meta WHERE key = %s", (_PENDING,))
            if cursor.fetchone() is None:
                return
        import psycopg

        milliseconds = max(1, int(wait * 1000))
        with self._guard(), self._db.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {milliseconds}")
            try:
                cursor.execute("VACUUM FULL supporters")
            except psycopg.errors.LockNotAvailable:
                if not strict:
                    return
                raise StorageError(
                    "the supporter is deleted, but another transaction is still using the "
                    "supporters table, so the old row may remain in its file: the erasure "
                    "finishes at the next withdrawal or opening; call withdraw again to "
                    "finish it"
                ) from None
            finally:
                cursor.execute("RESET lock_timeout")
            cursor.execute("DELETE FROM meta WHERE key = %s", (_PENDING,))

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{tail}"
