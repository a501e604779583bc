"""The part of a supporters registry that depends on the storage: connections,
transactions, dialect, schema version and migrations, the salt, and rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Self

from fourresp.errors import ArgumentError, StorageError
from fourresp.supporters._identity import EmailHasher, name_key
from fourresp.supporters._models import Supporter, normalise_email
from fourresp.supporters._tables import COLUMNS, IDENTITY_INDEX, SELECT

__all__ = ["CHUNK", "LATEST", "StorageBase"]

LATEST = 2  # the newest schema version this code reads and writes
CHUNK = 1000  # rows read or written at a time


class StorageBase:
    """What a SQL storage provides, its schema and salt, and its rows (see :class:`SQLRegistry`)."""

    placeholder = "?"
    #: What ``public`` is stored as: the column's own type (SQLite's is an
    #: integer; a bool there is adapted on every row, about 0.3 us of an import's
    #: insert; PostgreSQL's is a boolean).
    flag: type[int] = bool
    keep_emails: bool
    #: How many rows the last import left out because those people had withdrawn.
    last_import_withdrawn: int = 0

    def __init__(self, *, keep_emails: bool = False, salt: str | None = None) -> None:
        self.keep_emails = keep_emails
        self._salt_hint = salt
        self._salt: bytes | None = None

    # -- what a storage provides ----------------------------------------------------

    def _transaction(self) -> Any:  # a context manager yielding a cursor
        raise NotImplementedError

    def _read(self) -> Any:  # a context manager yielding a cursor for reads
        raise NotImplementedError

    def _insert_ignoring_duplicates(self) -> str:
        raise NotImplementedError

    def _on_conflict(self) -> str:
        return ""

    def _has_table(self, cursor: Any, table: str) -> bool:
        raise NotImplementedError

    def _lock_for_migration(self, cursor: Any) -> None:
        """Make concurrent openers of a new database wait for the first (if need be)."""

    def _after_delete(self, deleted: bool) -> None:
        """Make deleted data unrecoverable from the storage's files (``deleted``: a row
        was just deleted; otherwise finish an earlier erasure, if one is unfinished)."""

    def _describe(self) -> str:
        """The database, for messages (never with a password)."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- schema and salt --------------------------------------------------------------

    def _migrate(self, migrations: tuple[tuple[int, tuple[str, ...]], ...]) -> None:
        """Bring the database to the newest schema; read-only when it is already there."""
        with self._read() as cursor:
            current = self._version(cursor)
            if current > LATEST:
                raise StorageError(
                    f"{self._describe()} has supporters schema version {current}, newer than "
                    f"version {LATEST}, the newest this fourresp reads: upgrade fourresp"
                )
            salt = self._stored_salt(cursor) if current == LATEST else None
        if salt is not None and self._salt_hint in (None, salt.hex()):
            self._salt = salt
            return
        with self._transaction() as cursor:
            self._lock_for_migration(cursor)
            current = self._version(cursor)
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            for version, statements in migrations:
                if version > current:
                    for statement in statements:
                        cursor.execute(statement)
                    if version == 2:
                        self._salt = self._load_salt(cursor)
                        self._backfill(cursor)
                    cursor.execute(
                        f"INSERT INTO schema_version (version) VALUES ({self.placeholder})",
                        (version,),
                    )
            self._salt = self._load_salt(cursor)

    def _version(self, cursor: Any) -> int:
        if not self._has_table(cursor, "schema_version"):
            return 0
        cursor.execute("SELECT MAX(version) FROM schema_version")
        return int(cursor.fetchone()[0] or 0)

    def _backfill(self, cursor: Any) -> None:
        """Migration 2's data: every row's identity and accent-folded name, then uniqueness.

        Rows with neither e-mail nor key that show the same person twice (made by
        adding the same name again, before identities existed) are merged into the first.
        """
        hasher = EmailHasher(self.salt)
        p = self.placeholder
        seen: set[str] = set()
        after = 0
        while True:
            cursor.execute(
                "SELECT id, name, organisation, role, country, email_hash, pledge_key "
                f"FROM supporters WHERE id > {p} ORDER BY id LIMIT {CHUNK}",
                (after,),
            )
            rows = cursor.fetchall()
            if not rows:
                break
            for number, name, organisation, role, country, email_hash, key in rows:
                identity = email_hash or (
                    hasher.key_identity(key)
                    if key
                    else hasher.content_identity(name, organisation, role, country)
                )
                if identity in seen:
                    cursor.execute(f"DELETE FROM supporters WHERE id = {p}", (number,))
                    continue
                seen.add(identity)
                cursor.execute(
                    f"UPDATE supporters SET identity = {p}, name_key = {p} WHERE id = {p}",
                    (identity, name_key(name), number),
                )
            after = int(rows[-1][0])
        cursor.execute(IDENTITY_INDEX)

    def _stored_salt(self, cursor: Any) -> bytes | None:
        cursor.execute(f"SELECT value FROM meta WHERE key = {self.placeholder}", ("salt",))
        row = cursor.fetchone()
        return None if row is None else bytes.fromhex(row[0])

    def _load_salt(self, cursor: Any) -> bytes:
        p = self.placeholder
        stored = self._stored_salt(cursor)
        if stored is None:
            salt = self._salt_hint or os.urandom(32).hex()
            cursor.execute(f"INSERT INTO meta (key, value) VALUES ({p}, {p})", ("salt", salt))
            return bytes.fromhex(salt)
        if self._salt_hint is not None and self._salt_hint != stored.hex():
            raise ArgumentError("this registry already has a different salt")
        return stored

    @property
    def salt(self) -> bytes:
        """The registry's secret salt (keep it confidential: it keys every hash)."""
        if self._salt is None:
            with self._transaction() as cursor:
                self._salt = self._load_salt(cursor)
        return self._salt

    def email_hash(self, email: str) -> str:
        """The registry's hash of ``email`` (normalised first)."""
        return EmailHasher(self.salt).hex(normalise_email(email).encode())

    # -- rows -----------------------------------------------------------------------

    def _row(
        self, values: Mapping[str, Any], email_hash: str | None, identity: str
    ) -> tuple[Any, ...]:
        """The stored row of a pledge whose cleaned fields are in ``values`` (a missing
        field has its default), in :data:`STORED` order."""
        # Written out rather than mapped over STORED: a tuple display costs 0.3 us a row,
        # a dict merged and read back in STORED order 1.4 us (about 6% of an import's
        # CPU time). A test checks this order against STORED.
        name = values["name"]
        get = values.get
        return (
            name,
            get("organisation"),
            get("role"),
            get("country"),
            self.flag(get("public", False)),
            values["pledged_on"],
            values["framework_version"],
            get("email") if self.keep_emails else None,
            email_hash,
            get("key"),
            name_key(name),
            identity,
        )

    @staticmethod
    def _supporter(row: Sequence[Any]) -> Supporter:
        values = dict(zip(COLUMNS, row, strict=True))
        values["id"] = int(values["id"])
        values["public"] = bool(values["public"])
        values["pledged_on"] = str(values["pledged_on"])
        return Supporter(**values)

    def _existing(
        self, cursor: Any, email_hash: str | None, key: str | None, identity: str | None = None
    ) -> Supporter | None:
        p = self.placeholder
        for column, value in (
            ("email_hash", email_hash),
            ("pledge_key", key),
            ("identity", identity),
        ):
            if value is not None:
                cursor.execute(f"{SELECT} WHERE {column} = {p}", (value,))
                row = cursor.fetchone()
                if row is not None:
                    return self._supporter(row)
        return None

    @staticmethod
    def _identities(
        hasher: EmailHasher, email_hash: str | None, key: str | None, identity: str
    ) -> list[str]:
        """Every HMAC that names this person: what withdrawal keeps and imports check."""
        hashes = [identity]
        if email_hash is not None and email_hash != identity:
            hashes.append(email_hash)
        if key is not None:
            keyed = hasher.key_identity(key)
            if keyed != identity:
                hashes.append(keyed)
        return hashes
