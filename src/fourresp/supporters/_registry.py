"""The registry logic both storages share: pledges in, supporters out, exports and imports.

A storage (:mod:`._sqlite`, :mod:`._postgres`) provides connections, transactions
and its SQL dialect; everything else is here, once. Personal data rules:

- an e-mail address is kept as an HMAC-SHA256 of the normalised address under
  the registry's secret salt (made once, when the registry is created), and in
  plain only when the registry was opened with ``keep_emails=True``;
- withdrawing deletes the supporter's row, and the storage then makes sure the
  deleted data is gone from its files too (see each storage).
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import json
import os
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, Literal

import attrs

from fourresp.errors import ArgumentError, DocumentError, NotFoundError, Problem
from fourresp.supporters._models import (
    ImportedPledge,
    Page,
    Pledge,
    Supporter,
    clean_pledge,
    cleaned_fields,
    normalise_email,
)

__all__ = ["COLUMNS", "ExportFormat", "SQLRegistry"]

ExportFormat = Literal["jsonl", "csv"]
COLUMNS = (
    "id",
    "name",
    "organisation",
    "role",
    "country",
    "public",
    "pledged_on",
    "framework_version",
    "email",
    "email_hash",
    "key",
)
_STORED = (
    "name",
    "name_key",
    "organisation",
    "role",
    "country",
    "email",
    "email_hash",
    "pledge_key",
    "public",
    "pledged_on",
    "framework_version",
)
_PLEDGE_FIELDS = {field.name for field in attrs.fields(Pledge)}


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


def name_key(name: str) -> str:
    """What name searches compare: the name folded for case and compatibility forms."""
    if name.isascii():  # NFKC leaves ASCII alone, and casefold is lower there
        return name.lower()
    return unicodedata.normalize("NFKC", name).casefold()


class EmailHasher:
    """HMAC-SHA256 (RFC 2104) under one key, as hex: how e-mail addresses are kept.

    The key's inner and outer pads are hashed once, so each address costs two
    hash-state copies and two short updates: less than half of ``hmac.digest``,
    which prepares the key again for every message. A test checks it against
    :func:`hmac.digest` for arbitrary keys and messages.
    """

    __slots__ = ("_inner", "_outer")

    _BLOCK = 64  # SHA-256's block size in bytes

    def __init__(self, key: bytes) -> None:
        if len(key) > self._BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(self._BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))

    def hex(self, message: bytes) -> str:
        """The HMAC of ``message``, as 64 hex digits."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


class SQLRegistry:
    """A supporters registry over a SQL storage (see :func:`fourresp.supporters.open_registry`).

    Subclasses provide ``_connect``, ``_transaction`` and the dialect's SQL.
    """

    placeholder = "?"
    keep_emails: bool

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

    def _after_delete(self) -> None:
        """Make deleted data unrecoverable from the storage's files."""

    def close(self) -> None:
        """Close the connection."""
        raise NotImplementedError

    def __enter__(self) -> SQLRegistry:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- the salt ---------------------------------------------------------------------

    def _apply_migrations(
        self, cursor: Any, migrations: tuple[tuple[int, tuple[str, ...]], ...]
    ) -> None:
        """Run, in ``cursor``'s transaction, every migration newer than the stored version."""
        cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        cursor.execute("SELECT MAX(version) FROM schema_version")
        current = cursor.fetchone()[0] or 0
        for version, statements in migrations:
            if version > current:
                for statement in statements:
                    cursor.execute(statement)
                cursor.execute(
                    f"INSERT INTO schema_version (version) VALUES ({self.placeholder})", (version,)
                )

    def _load_salt(self, cursor: Any) -> bytes:
        p = self.placeholder
        cursor.execute(f"SELECT value FROM meta WHERE key = {p}", ("salt",))
        row = cursor.fetchone()
        if row is None:
            salt = self._salt_hint or os.urandom(32).hex()
            cursor.execute(f"INSERT INTO meta (key, value) VALUES ({p}, {p})", ("salt", salt))
            return bytes.fromhex(salt)
        if self._salt_hint is not None and self._salt_hint != row[0]:
            raise ArgumentError("this registry already has a different salt")
        return bytes.fromhex(row[0])

    @property
    def salt(self) -> bytes:
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
        email_hash: str | None,
        cleaned: dict[str, Any] | None = None,
    ) -> tuple[Any, ...]:
        """The stored row of a pledge; ``cleaned`` overrides fields with their cleaned values."""
        fields = cleaned or {}
        name = fields.get("name", pledge.name)
        email = fields.get("email", pledge.email)
        return (
            name,
            name_key(name),
            fields.get("organisation", pledge.organisation),
            fields.get("role", pledge.role),
            fields.get("country", pledge.country),
            email if self.keep_emails else None,
            email_hash,
            pledge.key,
            bool(pledge.public),
            pledge.pledged_on,
            pledge.framework_version,
        )

    _SELECT = (
        "SELECT id, name, organisation, role, country, public, pledged_on, framework_version, "
        "email, email_hash, pledge_key FROM supporters"
    )

    @staticmethod
    def _supporter(row: Sequence[Any]) -> Supporter:
        return Supporter(
            id=int(row[0]),
            name=row[1],
            organisation=row[2],
            role=row[3],
            country=row[4],
            public=bool(row[5]),
            pledged_on=str(row[6]),
            framework_version=row[7],
            email=row[8],
            email_hash=row[9],
            key=row[10],
        )

    def _existing(self, cursor: Any, email_hash: str | None, key: str | None) -> Supporter | None:
        p = self.placeholder
        if email_hash is not None:
            cursor.execute(f"{self._SELECT} WHERE email_hash = {p}", (email_hash,))
            row = cursor.fetchone()
            if row is not None:
                return self._supporter(row)
        if key is not None:
            cursor.execute(f"{self._SELECT} WHERE pledge_key = {p}", (key,))
            row = cursor.fetchone()
            if row is not None:
                return self._supporter(row)
        return None

    # -- the protocol ---------------------------------------------------------------

    def add(self, pledge: Pledge) -> Supporter:
        """Record ``pledge``; the supporter, new or (same e-mail or key) already there.

        Raises :class:`~fourresp.errors.DocumentError` naming each field refused
        (nothing is written then).
        """
        pledge = clean_pledge(pledge)
        email_hash = self.email_hash(pledge.email) if pledge.email is not None else None
        row = self._row(pledge, email_hash)
        p = self.placeholder
        columns = ", ".join(_STORED)
        values = ", ".join([p] * len(_STORED))
        with self._transaction() as cursor:
            found = self._existing(cursor, email_hash, pledge.key)
            if found is not None:
                return found
            cursor.execute(
                f"{self._insert_ignoring_duplicates()} INTO supporters ({columns}) "
                f"VALUES ({values}) {self._on_conflict()}",
                row,
            )
            found = self._existing(cursor, email_hash, pledge.key)
            if found is None:  # no e-mail and no key: the row just inserted
                cursor.execute(f"{self._SELECT} WHERE id = {self._last_id(cursor)}")
                return self._supporter(cursor.fetchone())
            return found

    def _on_conflict(self) -> str:
        return ""

    def _last_id(self, cursor: Any) -> int:
        raise NotImplementedError

    def get(self, supporter_id: int) -> Supporter:
        """The supporter with ``supporter_id``; :class:`~fourresp.errors.NotFoundError` if none."""
        with self._read() as cursor:
            cursor.execute(f"{self._SELECT} WHERE id = {self.placeholder}", (supporter_id,))
            row = cursor.fetchone()
        if row is None:
            raise NotFoundError(f"no supporter {supporter_id}")
        return self._supporter(row)

    def find(self, *, email: str | None = None, key: str | None = None) -> Supporter | None:
        """The supporter with this e-mail address or key, or None."""
        email_hash = self.email_hash(email) if email is not None else None
        with self._read() as cursor:
            return self._existing(cursor, email_hash, key)

    def withdraw(self, supporter_id: int) -> bool:
        """Erase a supporter for good (right to erasure); False if there was none."""
        with self._transaction() as cursor:
            cursor.execute(f"DELETE FROM supporters WHERE id = {self.placeholder}", (supporter_id,))
            deleted = bool(cursor.rowcount)
        if deleted:
            self._after_delete()
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
                f"{self._SELECT} WHERE public AND id > {p} ORDER BY id LIMIT {p}",
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
        """Publicly listed supporters whose name starts with ``prefix`` (any case), oldest first."""
        if not isinstance(prefix, str):
            raise ArgumentError("the prefix is text")
        folded = name_key(" ".join(prefix.split()))
        if not folded:
            return ()
        p = self.placeholder
        with self._read() as cursor:
            cursor.execute(
                f"{self._SELECT} WHERE public AND substr(name_key, 1, {p}) = {p} "
                f"ORDER BY id LIMIT {p}",
                (len(folded), folded, max(1, min(limit, 1000))),
            )
            return tuple(self._supporter(row) for row in cursor.fetchall())

    def supporters(self) -> Iterator[Supporter]:
        """Every supporter, public or not, in registration order."""
        after = 0
        while True:
            with self._read() as cursor:
                cursor.execute(
                    f"{self._SELECT} WHERE id > {self.placeholder} ORDER BY id LIMIT 1000",
                    (after,),
                )
                rows = cursor.fetchall()
            if not rows:
                return
            for row in rows:
                yield self._supporter(row)
            after = int(rows[-1][0])

    # -- export and import ----------------------------------------------------------

    def export_to(self, out: IO[str], *, format: ExportFormat = "jsonl") -> int:
        """Write every supporter to ``out``; the number written.

        JSON Lines is the full backup: a first line carries the registry's salt, so
        the e-mail hashes still work when imported elsewhere (treat it as
        confidential). CSV has the same columns, for spreadsheets, and no salt.
        """
        count = 0
        if format == "jsonl":
            header = {"kind": "supporters", "format": 1, "salt": self.salt.hex()}
            out.write(json.dumps(header) + "\n")
            for supporter in self.supporters():
                out.write(json.dumps(_record(supporter), ensure_ascii=False) + "\n")
                count += 1
        elif format == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(COLUMNS)
            for supporter in self.supporters():
                record = _record(supporter)
                writer.writerow(["" if record[c] is None else record[c] for c in COLUMNS])
                count += 1
        else:
            raise ArgumentError(f"export format is 'jsonl' or 'csv', not {format!r}")
        return count

    def import_from(
        self, source: IO[str] | str | os.PathLike[str], *, format: ExportFormat | None = None
    ) -> int:
        """Import supporters or pledges from JSON Lines or CSV, all or nothing.

        Every row is checked first; any problem raises
        :class:`~fourresp.errors.DocumentError` listing them all by line, and nothing
        is written. Rows for people already registered (same e-mail or key) are
        skipped. Returns how many were added.
        """
        if isinstance(source, str | os.PathLike):
            name = os.fspath(source)
            chosen = format or ("csv" if name.lower().endswith(".csv") else "jsonl")
            with open(name, encoding="utf-8-sig", newline="") as stream:
                return self._import(stream, chosen, name)
        label = getattr(source, "name", None)
        return self._import(source, format or "jsonl", label if isinstance(label, str) else None)

    def _import(self, stream: IO[str], format: ExportFormat, name: str | None) -> int:
        rows: list[tuple[Any, ...]] = []
        problems: list[Problem] = []
        salt: str | None = None
        hasher = EmailHasher(self.salt)
        for line, record in _records(stream, format, name, problems):
            if record.get("kind") == "supporters":
                salt = record.get("salt") if isinstance(record.get("salt"), str) else None
                try:
                    hasher = EmailHasher(bytes.fromhex(salt) if salt else self.salt)
                except ValueError:
                    problems.append(
                        Problem(
                            code="invalid", message="the salt is not hex", source=name, line=line
                        )
                    )
                continue
            row = self._import_row(record, line, name, problems, salt, format, hasher)
            if row is not None:
                rows.append(row)
        if problems:
            raise DocumentError(problems, source=name)
        p = self.placeholder
        columns = ", ".join(_STORED)
        values = ", ".join([p] * len(_STORED))
        with self._transaction() as cursor:
            if salt is not None:
                current = self._load_salt(cursor)
                if current.hex() != salt:
                    cursor.execute("SELECT COUNT(*) FROM supporters")
                    if cursor.fetchone()[0]:
                        raise DocumentError(
                            [
                                Problem(
                                    code="other-salt",
                                    message="these e-mail hashes were made with another "
                                    "registry's salt, and this registry is not empty: import "
                                    "into an empty registry",
                                    source=name,
                                    line=1,
                                )
                            ]
                        )
                    cursor.execute(f"UPDATE meta SET value = {p} WHERE key = {p}", (salt, "salt"))
                    self._salt = bytes.fromhex(salt)
            if not rows:
                return 0
            return self._insert_many(
                cursor,
                f"{self._insert_ignoring_duplicates()} INTO supporters ({columns}) "
                f"VALUES ({values}) {self._on_conflict()}",
                rows,
            )

    def _insert_many(self, cursor: Any, statement: str, rows: list[tuple[Any, ...]]) -> int:
        """Insert ``rows`` (duplicates skipped); how many were added."""
        before = self._count(cursor)
        cursor.executemany(statement, rows)
        return self._count(cursor) - before

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
        salt: str | None,
        format: ExportFormat,
        hasher: EmailHasher,
    ) -> tuple[Any, ...] | None:
        email_hash = record.pop("email_hash", None)
        record.pop("id", None)
        if not _PLEDGE_FIELDS.issuperset(record):
            unknown = set(record) - _PLEDGE_FIELDS
            problems.append(
                Problem(
                    code="invalid",
                    message="unknown column " + ", ".join(sorted(unknown)),
                    source=name,
                    line=line,
                )
            )
            return None
        try:
            given = ImportedPledge(**record)
        except TypeError as exc:  # a required field is missing
            problems.append(Problem(code="invalid", message=str(exc), source=name, line=line))
            return None
        changes, found = cleaned_fields(given)
        if found:
            problems.extend(attrs.evolve(p, source=name, line=line) for p in found)
            return None
        email = changes.get("email")
        if email is not None:
            email_hash = hasher.hex(email.encode())
        elif email_hash is not None and (salt is None or format == "csv"):
            problems.append(
                Problem(
                    code="invalid",
                    message="an email_hash moves only with a JSON Lines export, whose first "
                    "line carries the salt it was made with",
                    source=name,
                    line=line,
                )
            )
            return None
        return self._row(given, email_hash, changes)


def _record(supporter: Supporter) -> dict[str, Any]:
    return {
        "id": supporter.id,
        "name": supporter.name,
        "organisation": supporter.organisation,
        "role": supporter.role,
        "country": supporter.country,
        "public": supporter.public,
        "pledged_on": supporter.pledged_on,
        "framework_version": supporter.framework_version,
        "email": supporter.email,
        "email_hash": supporter.email_hash,
        "key": supporter.key,
    }


def _records(
    stream: IO[str], format: ExportFormat, name: str | None, problems: list[Problem]
) -> Iterable[tuple[int, dict[str, Any]]]:
    if format == "jsonl":
        lines = [(number, text) for number, text in enumerate(stream, start=1) if text.strip()]
        if lines:  # a stream opened without utf-8-sig keeps the byte-order mark
            lines[0] = (lines[0][0], lines[0][1].removeprefix("\ufeff"))
        # One parse for the whole file when every line looks like one object; line by
        # line otherwise, and to place an error.
        parsed: list[Any] | None = None
        if all(
            (t[0] == "{" and t[-2:] == "}\n")
            or (t.lstrip().startswith("{") and t.rstrip().endswith("}"))
            for _, t in lines
        ):
            try:
                parsed = json.loads("[" + ",".join(text for _, text in lines) + "]")
            except json.JSONDecodeError:
                parsed = None
            if parsed is not None and len(parsed) != len(lines):
                parsed = None
        for position, (line, text) in enumerate(lines):
            if parsed is not None:
                record = parsed[position]
            else:
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as exc:
                    problems.append(
                        Problem(
                            code="json-syntax",
                            message=f"not valid JSON: {exc.msg}",
                            source=name,
                            line=line,
                        )
                    )
                    continue
            if not isinstance(record, dict):
                problems.append(
                    Problem(
                        code="invalid", message="each line is a JSON object", source=name, line=line
                    )
                )
                continue
            if None in record.values():
                record = {k: v for k, v in record.items() if v is not None}
            yield line, record
    elif format == "csv":
        reader = csv.DictReader(stream)
        try:
            if reader.fieldnames:  # a stream opened without utf-8-sig keeps the byte-order mark
                reader.fieldnames = [
                    reader.fieldnames[0].removeprefix("\ufeff"),
                    *reader.fieldnames[1:],
                ]
            for row in reader:
                cells: dict[str, Any] = {k: v for k, v in row.items() if k and v not in ("", None)}
                if "public" in cells:
                    text = str(cells["public"]).strip().lower()
                    if text not in ("true", "false", "yes", "no", "1", "0"):
                        problems.append(
                            Problem(
                                code="invalid",
                                message="public must be true or false",
                                source=name,
                                line=reader.line_num,
                            )
                        )
                        continue
                    cells["public"] = text in ("true", "yes", "1")
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
    else:
        raise ArgumentError(f"import format is 'jsonl' or 'csv', not {format!r}")


def _encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        version, _, value = text.partition(":")
        if version != "v1" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ArgumentError(f"{cursor!r} is not a cursor this registry gave out") from None
