"""The registry logic both storages share: pledges in, supporters out, exports and imports.

A storage (:mod:`._sqlite`, :mod:`._postgres`) provides connections, transactions
and its SQL dialect; everything else is here, once. Personal data rules:

- an e-mail address is kept as an HMAC-SHA256 of the normalised address under
  the registry's secret salt (made once, when the registry is created), and in
  plain only when the registry was opened with ``keep_emails=True``;
- every supporter has an ``identity``, an HMAC too: of the e-mail address when
  there is one, else of the app's key, else of what the public list shows of
  them (folded name, organisation, role, country). It is unique, so adding or
  importing the same person again adds nothing;
- withdrawing deletes the supporter's row, keeps the HMACs of their identity (never
  the plain values) in ``withdrawn``, so that restoring a backup or importing
  again does not bring them back, and the storage then makes sure the deleted
  data is gone from its files too (see each storage).
"""

from __future__ import annotations

import base64
import binascii
import csv
import datetime
import functools
import hmac
import json
import os
import unicodedata
from collections.abc import Iterator, Sequence
from typing import IO, Any, Literal

import attrs

from fourresp._csvsafe import neutralise, restore
from fourresp.errors import ArgumentError, DocumentError, NotFoundError, Problem, StorageError
from fourresp.supporters._models import (
    ImportedPledge,
    Page,
    Pledge,
    Supporter,
    clean_pledge,
    cleaned_fields,
    normalise_email,
)

__all__ = ["COLUMNS", "PUBLIC_FIELDS", "ExportFormat", "SQLRegistry", "name_key"]

ExportFormat = Literal["jsonl", "csv"]

#: The columns of an export: the fields of :class:`Supporter`, in their order.
COLUMNS = tuple(field.name for field in attrs.fields(Supporter))
#: What the public list shows of a supporter (never e-mail, hash or the app's key).
PUBLIC_FIELDS = ("id", "name", "organisation", "role", "country", "pledged_on", "framework_version")
_PLEDGE_FIELDS = frozenset(field.name for field in attrs.fields(Pledge))
# Supporter fields whose column has another name in the table.
_COLUMN_OF = {"key": "pledge_key"}
# The stored columns, in the order rows are built: the pledge's fields (the e-mail
# and key under their column names), then what the registry derives from them.
_STORED = (
    *(_COLUMN_OF.get(name, name) for name in COLUMNS if name != "id"),
    "name_key",
    "identity",
)
_SELECT = "SELECT " + ", ".join(_COLUMN_OF.get(name, name) for name in COLUMNS) + " FROM supporters"
#: The unique index on identities that migration 2 makes once the rows have them.
IDENTITY_INDEX = "CREATE UNIQUE INDEX supporters_identity ON supporters (identity)"
_LATEST = 2  # the newest schema version this code reads and writes
_CHUNK = 1000  # rows inserted per executemany while an import streams
_MAX_LINE = 64 * 1024  # characters in one JSON Lines record (a pledge is well under 2 KiB)
_MAX_PROBLEMS = 100  # problems listed before an import stops checking
_MAX_ID = 2**63 - 1  # ids are 64-bit integers in both storages


def first_migration(*, id_column: str, boolean: str) -> tuple[str, ...]:
    """The statements of migration 1, in a storage's dialect (its id column, its boolean)."""
    return (
        f"""CREATE TABLE supporters (
            id {id_column},
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            organisation TEXT,
            role TEXT,
            country TEXT,
            email TEXT,
            email_hash TEXT UNIQUE,
            pledge_key TEXT UNIQUE,
            public {boolean} NOT NULL,
            pledged_on TEXT NOT NULL,
            framework_version TEXT NOT NULL
        )""",
        "CREATE INDEX supporters_public ON supporters (public, id)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )


def second_migration() -> tuple[str, ...]:
    """Migration 2: every supporter's identity, and the HMACs of withdrawn identities.

    The identities and folded names of existing rows are filled in by
    :meth:`SQLRegistry._backfill` before the unique index is made.
    """
    return (
        "ALTER TABLE supporters ADD COLUMN identity TEXT",
        "CREATE TABLE withdrawn (hash TEXT PRIMARY KEY)",
    )


def name_key(name: str) -> str:
    """What name searches compare: the name folded for case, accents and compatibility forms.

    >>> name_key("Ümit Çelik") == name_key("umit celik")
    True
    """
    if name.isascii():  # nothing to decompose, and casefold is lower there
        return name.lower()
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare.casefold())


class EmailHasher:
    """HMAC-SHA256 under one key, as hex: how e-mail addresses and identities are kept.

    The key is prepared once (:func:`hmac.new`), and each message is hashed on a copy.
    """

    __slots__ = ("_mac",)

    def __init__(self, key: bytes) -> None:
        self._mac = hmac.new(key, digestmod="sha256")

    def hex(self, message: bytes) -> str:
        """The HMAC of ``message``, as 64 hex digits."""
        mac = self._mac.copy()
        mac.update(message)
        return mac.hexdigest()

    def key_identity(self, key: str) -> str:
        """The identity of a pledge known by the app's ``key``."""
        return self.hex(b"key\0" + key.encode())

    def content_identity(self, name: str, organisation: Any, role: Any, country: Any) -> str:
        """The identity of a pledge with neither e-mail nor key: what the public list shows."""
        parts = (name_key(name), organisation or "", role or "", country or "")
        return self.hex(b"pledge\0" + "\x1f".join(parts).encode())


class SQLRegistry:
    """A supporters registry over a SQL storage (see :func:`fourresp.supporters.open_registry`).

    Subclasses provide ``_transaction``, ``_read`` and the dialect's SQL.
    """

    placeholder = "?"
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

    def __enter__(self) -> SQLRegistry:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- schema and salt --------------------------------------------------------------

    def _migrate(self, migrations: tuple[tuple[int, tuple[str, ...]], ...]) -> None:
        """Bring the database to the newest schema; read-only when it is already there."""
        with self._read() as cursor:
            current = self._version(cursor)
            if current > _LATEST:
                raise StorageError(
                    f"{self._describe()} has supporters schema version {current}, newer than "
                    f"version {_LATEST}, the newest this fourresp reads: upgrade fourresp"
                )
            salt = self._stored_salt(cursor) if current == _LATEST else None
        if salt is not None and self._salt_hint in (None, salt.hex()):
            self._salt = salt
            return
        with self._transaction() as cursor:
            self._lock_for_migration(cursor)
            current = self._version(cursor)
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
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
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
                f"FROM supporters WHERE id > {p} ORDER BY id LIMIT {_CHUNK}",
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
        self,
        pledge: Pledge | ImportedPledge,
        changes: dict[str, Any],
        email_hash: str | None,
        identity: str,
    ) -> tuple[Any, ...]:
        """The stored row of a pledge (in :data:`_STORED` order); ``changes`` holds the
        cleaned values of the fields cleaning changed."""
        name = changes.get("name", pledge.name)
        return (
            name,
            changes.get("organisation", pledge.organisation),
            changes.get("role", pledge.role),
            changes.get("country", pledge.country),
            bool(pledge.public),
            pledge.pledged_on,
            pledge.framework_version,
            changes.get("email", pledge.email) if self.keep_emails else None,
            email_hash,
            pledge.key,
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
                cursor.execute(f"{_SELECT} WHERE {column} = {p}", (value,))
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

    # -- the protocol ---------------------------------------------------------------

    def add(self, pledge: Pledge) -> Supporter:
        """Record ``pledge``; the supporter, new or already there (same e-mail, key, or,
        with neither, the same name, organisation, role and country).

        A pledge added this way is the person's own consent, so it lifts an earlier
        withdrawal (imports never do that unless asked, see :meth:`import_from`).
        Raises :class:`~fourresp.errors.DocumentError` naming each field refused
        (nothing is written then).
        """
        pledge = clean_pledge(pledge)
        hasher = EmailHasher(self.salt)
        email_hash = hasher.hex(pledge.email.encode()) if pledge.email is not None else None
        identity = _identity(hasher, email_hash, pledge.key, pledge)
        row = self._row(pledge, {}, email_hash, identity)
        p = self.placeholder
        with self._transaction() as cursor:
            found = self._existing(cursor, email_hash, pledge.key, identity)
            if found is not None:
                return found
            cursor.execute(
                f"{self._insert_ignoring_duplicates()} INTO supporters ({', '.join(_STORED)}) "
                f"VALUES ({', '.join([p] * len(_STORED))}) {self._on_conflict()}",
                row,
            )
            for hashed in self._identities(hasher, email_hash, pledge.key, identity):
                cursor.execute(f"DELETE FROM withdrawn WHERE hash = {p}", (hashed,))
            found = self._existing(cursor, email_hash, pledge.key, identity)
            assert found is not None  # inserted, or inserted by another at the same moment
            return found

    def get(self, supporter_id: int) -> Supporter:
        """The supporter with ``supporter_id``; :class:`~fourresp.errors.NotFoundError` if none."""
        if _valid_id(supporter_id):
            with self._read() as cursor:
                cursor.execute(f"{_SELECT} WHERE id = {self.placeholder}", (supporter_id,))
                row = cursor.fetchone()
            if row is not None:
                return self._supporter(row)
        raise NotFoundError(f"no supporter {supporter_id}")

    def find(self, *, email: str | None = None, key: str | None = None) -> Supporter | None:
        """The supporter with this e-mail address or key, or None."""
        email_hash = self.email_hash(email) if email is not None else None
        with self._read() as cursor:
            return self._existing(cursor, email_hash, key)

    def withdraw(self, supporter_id: int) -> bool:
        """Erase a supporter for good (right to erasure); False if there was none.

        The row is deleted and the HMACs of the person's identity are kept, so that an
        import (a restored backup) does not bring them back. Returns only once the
        storage's files no longer hold the deleted data; raises
        :class:`~fourresp.errors.StorageError` if that cannot be done in a few seconds
        (another connection still reading), and finishes the erasure at the next
        withdrawal or when the registry is opened or closed.
        """
        deleted = False
        if _valid_id(supporter_id):
            p = self.placeholder
            with self._transaction() as cursor:
                cursor.execute(
                    f"SELECT email_hash, pledge_key, identity FROM supporters WHERE id = {p}",
                    (supporter_id,),
                )
                found = cursor.fetchone()
                if found is not None:
                    email_hash, key, identity = found
                    cursor.execute(f"DELETE FROM supporters WHERE id = {p}", (supporter_id,))
                    hasher = EmailHasher(self.salt)
                    for hashed in self._identities(hasher, email_hash, key, identity):
                        cursor.execute(
                            f"{self._insert_ignoring_duplicates()} INTO withdrawn (hash) "
                            f"VALUES ({p}) {self._on_conflict()}",
                            (hashed,),
                        )
                    deleted = True
        self._after_delete(deleted)
        return deleted

    def count(self, *, public_only: bool = False) -> int:
        """How many supporters (only those listed publicly, with ``public_only``)."""
        where = " WHERE public" if public_only else ""
        with self._read() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM supporters{where}")
            return int(cursor.fetchone()[0])

    def list_public(self, *, limit: int = 50, cursor: str | None = None) -> Page:
        """Supporters who agreed to be listed, oldest pledge first, ``limit`` at a time.

        Pass the page's ``next_cursor`` to get the next page; the order is stable
        (by registration), so pages never skip or repeat anyone as others sign up.
        """
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise ArgumentError(f"limit is a whole number from 1 to 1000, not {limit!r}")
        after = _decode_cursor(cursor)
        p = self.placeholder
        with self._read() as db:
            db.execute(
                f"{_SELECT} WHERE public AND id > {p} ORDER BY id LIMIT {p}",
                (after, limit + 1),
            )
            rows = db.fetchall()
        supporters = tuple(self._supporter(row) for row in rows[:limit])
        more = len(rows) > limit
        return Page(
            supporters=supporters,
            next_cursor=_encode_cursor(supporters[-1].id) if more and supporters else None,
        )

    def search(self, prefix: str, *, limit: int = 20) -> tuple[Supporter, ...]:
        """Publicly listed supporters whose name starts with ``prefix``, oldest first.

        Case and accents are ignored: ``"umit"`` finds "Ümit".
        """
        if not isinstance(prefix, str):
            raise ArgumentError("the prefix is text")
        folded = name_key(" ".join(prefix.split()))
        if not folded:
            return ()
        p = self.placeholder
        with self._read() as cursor:
            cursor.execute(
                f"{_SELECT} WHERE public AND substr(name_key, 1, {p}) = {p} ORDER BY id LIMIT {p}",
                (len(folded), folded, max(1, min(limit, 1000))),
            )
            return tuple(self._supporter(row) for row in cursor.fetchall())

    def supporters(self) -> Iterator[Supporter]:
        """Every supporter, public or not, in registration order."""
        after = 0
        while True:
            with self._read() as cursor:
                cursor.execute(
                    f"{_SELECT} WHERE id > {self.placeholder} ORDER BY id LIMIT {_CHUNK}",
                    (after,),
                )
                rows = cursor.fetchall()
            if not rows:
                return
            for row in rows:
                yield self._supporter(row)
            after = int(rows[-1][0])

    def _withdrawn(self) -> Iterator[str]:
        after = ""
        while True:
            with self._read() as cursor:
                cursor.execute(
                    f"SELECT hash FROM withdrawn WHERE hash > {self.placeholder} "
                    f"ORDER BY hash LIMIT {_CHUNK}",
                    (after,),
                )
                rows = cursor.fetchall()
            if not rows:
                return
            for (hashed,) in rows:
                yield str(hashed)
            after = str(rows[-1][0])

    # -- export and import ----------------------------------------------------------

    def export_to(self, out: IO[str], *, format: ExportFormat = "jsonl") -> int:
        """Write every supporter to ``out``; the number written.

        JSON Lines is the full backup: a first line carries the registry's salt, so
        the e-mail hashes still work when imported elsewhere (treat it as
        confidential), and ``withdrawn`` lines carry the HMACs of withdrawn people,
        so a registry restored from it keeps them out. CSV has the same columns, for
        spreadsheets, no salt, and text cells that a spreadsheet cannot take for a
        formula (a leading ``=``, ``+``, ``-`` or ``@`` gets a ``'`` in front, which
        an import takes off again).
        """
        count = 0
        if format == "jsonl":
            header = {"kind": "supporters", "format": 1, "salt": self.salt.hex()}
            out.write(json.dumps(header) + "\n")
            batch: list[str] = []
            for hashed in self._withdrawn():
                batch.append(hashed)
                if len(batch) == _CHUNK:
                    out.write(json.dumps({"kind": "withdrawn", "hashes": batch}) + "\n")
                    batch = []
            if batch:
                out.write(json.dumps({"kind": "withdrawn", "hashes": batch}) + "\n")
            for supporter in self.supporters():
                out.write(json.dumps(_record(supporter), ensure_ascii=False) + "\n")
                count += 1
        elif format == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(COLUMNS)
            for supporter in self.supporters():
                writer.writerow([_cell(value) for value in _record(supporter).values()])
                count += 1
        else:
            raise ArgumentError(f"export format is 'jsonl' or 'csv', not {format!r}")
        return count

    def import_from(
        self,
        source: IO[str] | str | os.PathLike[str],
        *,
        format: ExportFormat | None = None,
        include_withdrawn: bool = False,
    ) -> int:
        """Import supporters or pledges from JSON Lines or CSV, all or nothing.

        The file is read as a stream (memory stays flat however long it is), every row
        is checked, and any problem raises :class:`~fourresp.errors.DocumentError`
        listing them by line (up to 100), with nothing written. Rows for people already
        registered (same e-mail, key, or, with neither, the same name, organisation,
        role and country) are skipped, so importing the same file twice adds nothing
        the second time. Rows of people who withdrew are left out too (counted in
        :attr:`last_import_withdrawn`) unless ``include_withdrawn`` is true, which
        restores them and forgets their withdrawal. A missing ``pledged_on`` is the
        import's date, a missing ``framework_version`` the framework's current one.
        Returns how many were added.
        """
        if isinstance(source, str | os.PathLike):
            name = os.fspath(source)
            chosen = format or ("csv" if name.lower().endswith(".csv") else "jsonl")
            try:
                stream = open(name, encoding="utf-8-sig", newline="")  # noqa: SIM115
            except OSError as exc:
                raise StorageError(f"cannot read {name}: {exc.strerror or exc}") from None
            with stream:
                return self._import(stream, chosen, name, include_withdrawn)
        label = getattr(source, "name", None)
        return self._import(
            source, format or "jsonl", label if isinstance(label, str) else None, include_withdrawn
        )

    def _import(
        self, stream: IO[str], format: ExportFormat, name: str | None, include_withdrawn: bool
    ) -> int:
        if format not in ("jsonl", "csv"):
            raise ArgumentError(f"import format is 'jsonl' or 'csv', not {format!r}")
        problems: list[Problem] = []
        defaults = _Defaults()
        skipped = 0
        p = self.placeholder
        insert = (
            f"{self._insert_ignoring_duplicates()} INTO supporters ({', '.join(_STORED)}) "
            f"VALUES ({', '.join([p] * len(_STORED))}) {self._on_conflict()}"
        )
        with self._transaction() as cursor:
            before = self._count(cursor)
            cursor.execute("SELECT hash FROM withdrawn")
            withdrawn = {str(row[0]) for row in cursor.fetchall()}
            hasher = EmailHasher(self.salt)
            pending: list[tuple[Any, ...]] = []
            first = True
            try:
                for line, record in _records(stream, format, name, problems):
                    kind = record.get("kind")
                    if kind == "supporters":
                        if first:
                            hasher = self._adopt_salt(cursor, record, before, withdrawn, name)
                        else:
                            problems.append(_at("the salt line comes first", name, line))
                    elif kind == "withdrawn":
                        self._import_withdrawn(cursor, record, withdrawn, name, line, problems)
                    else:
                        row = self._import_row(record, line, name, problems, hasher, defaults)
                        if row is not None:
                            hashes = (row[-1], row[-4], row[-3])  # identity, email hash, key
                            if withdrawn and _is_withdrawn(hasher, hashes, withdrawn):
                                if not include_withdrawn:
                                    skipped += 1
                                    continue
                                self._forget(cursor, hasher, hashes, withdrawn)
                            if not problems:
                                pending.append(row)
                                if len(pending) >= _CHUNK:
                                    self._insert_chunk(cursor, insert, pending)
                                    pending.clear()
                    first = False
                    if len(problems) >= _MAX_PROBLEMS:
                        break
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(_at(f"cannot read the file: {exc}", name, None))
            if problems:
                raise DocumentError(problems, source=name)
            if pending:
                self._insert_chunk(cursor, insert, pending)
            added = self._count(cursor) - before
        self.last_import_withdrawn = skipped
        return added

    def _adopt_salt(
        self,
        cursor: Any,
        header: dict[str, Any],
        supporters: int,
        withdrawn: set[str],
        name: str | None,
    ) -> EmailHasher:
        """The hasher for a backup's rows: its salt becomes this registry's when empty."""
        salt = header.get("salt")
        try:
            given = bytes.fromhex(salt) if isinstance(salt, str) else None
        except ValueError:
            given = None
        if given is None or len(given) < 16:
            raise DocumentError([_at("the salt is not hex (at least 32 digits)", name, 1)])
        if given != self.salt:
            if supporters or withdrawn:
                raise DocumentError(
                    [
                        Problem(
                            code="other-salt",
                            message="these e-mail hashes were made with another registry's "
                            "salt, and this registry is not empty: import into an empty registry",
                            source=name,
                            line=1,
                        )
                    ]
                )
            cursor.execute(
                f"UPDATE meta SET value = {self.placeholder} WHERE key = {self.placeholder}",
                (given.hex(), "salt"),
            )
            self._salt = given
        return EmailHasher(given)

    def _import_withdrawn(
        self,
        cursor: Any,
        record: dict[str, Any],
        withdrawn: set[str],
        name: str | None,
        line: int,
        problems: list[Problem],
    ) -> None:
        hashes = record.get("hashes")
        if not isinstance(hashes, list) or not all(
            isinstance(h, str) and len(h) == 64 and _is_hex(h) for h in hashes
        ):
            problems.append(_at("withdrawn hashes are 64 hex digits each", name, line))
            return
        p = self.placeholder
        fresh = [(h,) for h in hashes if h not in withdrawn]
        withdrawn.update(hashes)
        cursor.executemany(
            f"{self._insert_ignoring_duplicates()} INTO withdrawn (hash) VALUES ({p}) "
            f"{self._on_conflict()}",
            fresh,
        )

    def _forget(
        self, cursor: Any, hasher: EmailHasher, hashes: tuple[Any, ...], withdrawn: set[str]
    ) -> None:
        identity, email_hash, key = hashes
        for hashed in self._identities(hasher, email_hash, key, identity):
            withdrawn.discard(hashed)
            cursor.execute(f"DELETE FROM withdrawn WHERE hash = {self.placeholder}", (hashed,))

    def _insert_chunk(self, cursor: Any, statement: str, rows: list[tuple[Any, ...]]) -> None:
        """Insert one chunk of an import's rows (duplicates skipped)."""
        cursor.executemany(statement, rows)

    @staticmethod
    def _count(cursor: Any) -> int:
        cursor.execute("SELECT COUNT(*) FROM supporters")
        return int(cursor.fetchone()[0])

    def _import_row(
        self,
        record: dict[str, Any],
        line: int,
        name: str | None,
        problems: list[Problem],
        hasher: EmailHasher,
        defaults: _Defaults,
    ) -> tuple[Any, ...] | None:
        email_hash = record.pop("email_hash", None)
        record.pop("id", None)
        if not _PLEDGE_FIELDS.issuperset(record):
            unknown = ", ".join(sorted(set(record) - _PLEDGE_FIELDS))
            problems.append(_at(f"unknown column {unknown}", name, line))
            return None
        if "name" not in record:
            problems.append(_at("name is missing", name, line))
            return None
        if "pledged_on" not in record:
            record["pledged_on"] = defaults.today
        if "framework_version" not in record:
            record["framework_version"] = defaults.version
        given = ImportedPledge(**record)
        changes, found = cleaned_fields(given)
        if found:
            problems.extend(attrs.evolve(p, source=name, line=line) for p in found)
            return None
        email = changes.get("email")
        if email is not None:
            email_hash = hasher.hex(email.encode())
        elif email_hash is not None and not (
            isinstance(email_hash, str) and len(email_hash) == 64 and _is_hex(email_hash)
        ):
            problems.append(_at("email_hash is 64 hex digits", name, line))
            return None
        identity = _identity(hasher, email_hash, given.key, given, changes)
        return self._row(given, changes, email_hash, identity)


class _Defaults:
    """What an import fills in for missing columns, worked out once and only if needed."""

    @functools.cached_property
    def today(self) -> str:
        return datetime.date.today().isoformat()

    @functools.cached_property
    def version(self) -> str:
        from fourresp.content import load_framework

        return load_framework().version


def _identity(
    hasher: EmailHasher,
    email_hash: str | None,
    key: str | None,
    pledge: Pledge | ImportedPledge,
    changes: dict[str, Any] | None = None,
) -> str:
    if email_hash is not None:
        return email_hash
    if key is not None:
        return hasher.key_identity(key)
    fields = changes or {}
    return hasher.content_identity(
        fields.get("name", pledge.name),
        fields.get("organisation", pledge.organisation),
        fields.get("role", pledge.role),
        fields.get("country", pledge.country),
    )


def _is_withdrawn(hasher: EmailHasher, hashes: tuple[Any, ...], withdrawn: set[str]) -> bool:
    identity, email_hash, key = hashes
    return (
        identity in withdrawn
        or email_hash in withdrawn
        or (key is not None and hasher.key_identity(key) in withdrawn)
    )


def _is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return True


def _valid_id(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentError(f"a supporter id is a whole number, not {value!r}")
    return 1 <= value <= _MAX_ID


def _at(message: str, source: str | None, line: int | None) -> Problem:
    return Problem(code="invalid", message=message, source=source, line=line)


def _record(supporter: Supporter) -> dict[str, Any]:
    return {name: getattr(supporter, name) for name in COLUMNS}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _records(
    stream: IO[str], format: ExportFormat, name: str | None, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, record) for each row of ``stream``, read as it goes; problems appended."""
    if format == "jsonl":
        yield from _jsonl_records(stream, name, problems)
    else:
        yield from _csv_records(stream, name, problems)


def _jsonl_records(
    stream: IO[str], name: str | None, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    line = 0
    while True:
        text = stream.readline(_MAX_LINE + 1)
        if not text:
            return
        line += 1
        if line == 1:  # a stream opened without utf-8-sig keeps the byte-order mark
            text = text.removeprefix("\ufeff")
        if len(text) > _MAX_LINE and not text.endswith("\n"):
            while (rest := stream.readline(_MAX_LINE)) and not rest.endswith("\n"):
                pass
            problems.append(_at(f"the line is longer than {_MAX_LINE:,} characters", name, line))
            continue
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(
                    code="json-syntax",
                    message=f"not valid JSON: {exc.msg}",
                    source=name,
                    line=line,
                    column=exc.colno,
                )
            )
            continue
        except RecursionError:
            problems.append(_at("the JSON is nested too deeply", name, line))
            continue
        if not isinstance(record, dict):
            problems.append(_at("each line is a JSON object", name, line))
            continue
        if None in record.values():
            record = {k: v for k, v in record.items() if v is not None}
        yield line, record


_TRUE = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _csv_records(
    stream: IO[str], name: str | None, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
        if header is None:
            return
        header = [header[0].removeprefix("\ufeff"), *header[1:]]
        for row in reader:
            if len(row) > len(header):
                problems.append(
                    _at(f"{len(row)} cells, but {len(header)} columns", name, reader.line_num)
                )
                continue
            cells: dict[str, Any] = {
                column: restore(value)
                for column, value in zip(header, row, strict=False)
                if column and value
            }
            if "public" in cells:
                public = _TRUE.get(cells["public"].strip().lower())
                if public is None:
                    problems.append(_at("public must be true or false", name, reader.line_num))
                    continue
                cells["public"] = public
            yield reader.line_num, cells
    except csv.Error as exc:
        problems.append(
            Problem(
                code="csv-syntax",
                message=f"not valid CSV: {exc}",
                source=name,
                line=reader.line_num,
            )
        )


def _encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        if not isinstance(cursor, str) or len(cursor) > 40:
            raise ValueError
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        version, _, value = text.partition(":")
        if version != "v1" or not value.isdigit() or not 0 <= int(value) <= _MAX_ID:
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ArgumentError(f"{cursor!r} is not a cursor this registry gave out") from None
