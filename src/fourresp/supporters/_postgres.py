"""The storage for a site that outgrows one machine: PostgreSQL through psycopg 3.

Install with the ``postgres`` extra (``pip install 'fourresp[postgres]'``). The
same tables and rules as SQLite: unique constraints make a repeated pledge
idempotent under any concurrency (``INSERT ... ON CONFLICT DO NOTHING``), every
write is one transaction, migrations run under an advisory lock, and a withdrawal
is followed by ``VACUUM`` of the table, so deleted rows are cleared from it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from fourresp.errors import MissingExtraError, StorageError
from fourresp.supporters._registry import SQLRegistry, first_migration, second_migration

__all__ = ["PostgresRegistry"]

_LOCK = 4_120_347  # the advisory lock migrations hold ("4R")
_MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, first_migration(id_column="BIGSERIAL PRIMARY KEY", boolean="BOOLEAN")),
    (2, second_migration()),
)


class PostgresRegistry(SQLRegistry):
    """Supporters in a PostgreSQL database, given by a ``postgresql://`` URL."""

    placeholder = "%s"

    def __init__(self, url: str, *, keep_emails: bool = False, salt: str | None = None) -> None:
        super().__init__(keep_emails=keep_emails, salt=salt)
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
            with self._guard(), self._db.cursor() as cursor:
                cursor.execute("VACUUM supporters")

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
