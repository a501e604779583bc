"""The storage for a site that outgrows one machine: PostgreSQL through psycopg 3.

Install with the ``postgres`` extra (``pip install 'fourresp[postgres]'``). The
same tables and rules as SQLite: unique constraints make a repeated pledge
idempotent under any concurrency (``INSERT ... ON CONFLICT DO NOTHING``), every
write is one transaction, migrations run under an advisory lock, and a withdrawal
is followed by ``VACUUM`` of the table, so deleted rows are cleared from it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from fourresp.errors import DocumentError, MissingExtraError, Problem
from fourresp.supporters._registry import SQLRegistry, first_migration

__all__ = ["PostgresRegistry"]

_LOCK = 4_120_347  # the advisory lock migrations hold ("4R")
_MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, first_migration(id_column="BIGSERIAL PRIMARY KEY", boolean="BOOLEAN")),
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
        self.url = url
        try:
            self._db = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise DocumentError(
                [Problem(code="database", message=f"cannot connect: {exc}".strip())],
                source=_safe(url),
            ) from None
        self._migrate()

    def _migrate(self) -> None:
        with self._transaction() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            self._apply_migrations(cursor, _MIGRATIONS)
            cursor.execute(
                "INSERT INTO meta (key, value) VALUES ('salt', %s) ON CONFLICT DO NOTHING",
                (self._salt_hint or os.urandom(32).hex(),),
            )
            self._salt = self._load_salt(cursor)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._db.transaction(), self._db.cursor() as cursor:
            yield cursor

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        with self._db.cursor() as cursor:
            yield cursor

    def _insert_ignoring_duplicates(self) -> str:
        return "INSERT"

    def _on_conflict(self) -> str:
        return "ON CONFLICT DO NOTHING"

    def _last_id(self, cursor: Any) -> int:
        cursor.execute("SELECT lastval()")
        return int(cursor.fetchone()[0])

    def _after_delete(self) -> None:
        with self._db.cursor() as cursor:
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
