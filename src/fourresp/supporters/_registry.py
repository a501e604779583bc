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
import datetime
import functools
import io
import json
import os
from collections.abc import Iterator
from typing import IO, Any, Literal, cast

from fourresp._document._inputs import open_input
from fourresp._document._tree import text_problem
from fourresp.errors import ArgumentError, DocumentError, NotFoundError, Problem, StorageError
from fourresp.supporters._identity import EmailHasher, identity_of, is_hex, is_withdrawn, name_key
from fourresp.supporters._models import (
    Page,
    Pledge,
    Supporter,
    clean_pledge,
    clean_values,
    located,
    pledge_values,
)
from fourresp.supporters._records import at, cell, record, records
from fourresp.supporters._storage import CHUNK, StorageBase
from fourresp.supporters._tables import (
    COLUMNS,
    IDENTITY_INDEX,
    PLEDGE_FIELDS,
    PUBLIC_FIELDS,
    SELECT,
    STORED,
    first_migration,
    second_migration,
)

__all__ = [
    "COLUMNS",
    "IDENTITY_INDEX",
    "PUBLIC_FIELDS",
    "STORED",
    "EmailHasher",
    "ExportFormat",
    "SQLRegistry",
    "first_migration",
    "name_key",
    "second_migration",
]

ExportFormat = Literal["jsonl", "csv"]

_MAX_PROBLEMS = 100  # problems listed before an import stops checking
_MAX_ID = 2**63 - 1  # ids are 64-bit integers in both storages


class SQLRegistry(StorageBase):
    """A supporters registry over a SQL storage (see :func:`fourresp.supporters.open_registry`).

    Subclasses provide ``_transaction``, ``_read`` and the dialect's SQL.
    """

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
        values = pledge_values(pledge)
        identity = identity_of(hasher, email_hash, pledge.key, values)
        row = self._row(values, email_hash, identity)
        p = self.placeholder
        with self._transaction() as cursor:
            found = self._existing(cursor, email_hash, pledge.key, identity)
            if found is not None:
                return found
            cursor.execute(
                f"{self._insert_ignoring_duplicates()} INTO supporters ({', '.join(STORED)}) "
                f"VALUES ({', '.join([p] * len(STORED))}) {self._on_conflict()}",
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
                cursor.execute(f"{SELECT} WHERE id = {self.placeholder}", (supporter_id,))
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
                f"{SELECT} WHERE public AND id > {p} ORDER BY id LIMIT {p}",
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
        if (problem := text_problem(prefix)) is not None:
            raise ArgumentError(f"the prefix: {problem}")
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise ArgumentError(f"limit is a whole number, not {limit!r}")
        folded = name_key(" ".join(prefix.split()))
        if not folded:
            return ()
        p = self.placeholder
        with self._read() as cursor:
            cursor.execute(
                f"{SELECT} WHERE public AND substr(name_key, 1, {p}) = {p} ORDER BY id LIMIT {p}",
                (len(folded), folded, max(1, min(limit, 1000))),
            )
            return tuple(self._supporter(row) for row in cursor.fetchall())

    def supporters(self) -> Iterator[Supporter]:
        """Every supporter, public or not, in registration order."""
        after = 0
        while True:
            with self._read() as cursor:
                cursor.execute(
                    f"{SELECT} WHERE id > {self.placeholder} ORDER BY id LIMIT {CHUNK}",
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
                    f"ORDER BY hash LIMIT {CHUNK}",
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
                if len(batch) == CHUNK:
                    out.write(json.dumps({"kind": "withdrawn", "hashes": batch}) + "\n")
                    batch = []
            if batch:
                out.write(json.dumps({"kind": "withdrawn", "hashes": batch}) + "\n")
            for supporter in self.supporters():
                out.write(json.dumps(record(supporter), ensure_ascii=False) + "\n")
                count += 1
        elif format == "csv":
            import csv  # imported when a CSV file is first written

            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(COLUMNS)
            for supporter in self.supporters():
                writer.writerow([cell(value) for value in record(supporter).values()])
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
                # not a FIFO's writer to wait for (see open_input)
                stream = io.TextIOWrapper(open_input(name), encoding="utf-8-sig", newline="")
            except OSError as exc:
                raise StorageError(f"cannot read {name}: {exc.strerror or exc}") from None
            with stream:
                return self._import(stream, chosen, name, include_withdrawn)
        given = cast(object, source)  # typed as a text stream, yet checked
        if isinstance(given, io.RawIOBase | io.BufferedIOBase) or not hasattr(given, "readline"):
            raise ArgumentError(
                "import from a path or a text stream (open it with encoding='utf-8'), "
                f"not {type(source).__name__}"
            )
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
            f"{self._insert_ignoring_duplicates()} INTO supporters ({', '.join(STORED)}) "
            f"VALUES ({', '.join([p] * len(STORED))}) {self._on_conflict()}"
        )
        with self._transaction() as cursor:
            before = self._count(cursor)
            cursor.execute("SELECT hash FROM withdrawn")
            withdrawn = {str(row[0]) for row in cursor.fetchall()}
            hasher = EmailHasher(self.salt)
            pending: list[tuple[Any, ...]] = []
            first = True
            try:
                for line, record in records(stream, format, name, problems):
                    at_start, first = first, False
                    kind = record.get("kind")
                    if kind == "supporters":
                        if at_start:
                            hasher = self._adopt_salt(cursor, record, before, withdrawn, name)
                        else:
                            problems.append(at("the salt line comes first", name, line))
                    elif kind == "withdrawn":
                        self._import_withdrawn(cursor, record, withdrawn, name, line, problems)
                    else:
                        row = self._import_row(record, line, name, problems, hasher, defaults)
                        if row is not None:
                            # by identity, e-mail hash or key (built only when someone is)
                            hashes = (row[-1], row[-4], row[-3]) if withdrawn else ()
                            if hashes and is_withdrawn(hasher, hashes, withdrawn):
                                if not include_withdrawn:
                                    skipped += 1
                                    continue
                                self._forget(cursor, hasher, hashes, withdrawn)
                            if not problems:
                                pending.append(row)
                                if len(pending) >= CHUNK:
                                    self._insert_chunk(cursor, insert, pending)
                                    pending.clear()
                    if len(problems) >= _MAX_PROBLEMS:
                        break
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(at(f"cannot read the file: {exc}", name, None))
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
            raise DocumentError([at("the salt is not hex (at least 32 digits)", name, 1)])
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
            isinstance(h, str) and len(h) == 64 and is_hex(h) for h in hashes
        ):
            problems.append(at("withdrawn hashes are 64 hex digits each", name, line))
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
        if not PLEDGE_FIELDS.issuperset(record):
            unknown = ", ".join(sorted(set(record) - PLEDGE_FIELDS))
            problems.append(at(f"unknown column {unknown}", name, line))
            return None
        if "name" not in record:
            problems.append(at("name is missing", name, line))
            return None
        if "pledged_on" not in record:
            record["pledged_on"] = defaults.today
        if "framework_version" not in record:
            record["framework_version"] = defaults.version
        found = clean_values(record)
        if found:
            problems.extend(located(found, name, line))
            return None
        email = record.get("email")
        if email is not None:
            email_hash = hasher.hex(email.encode())
        elif email_hash is not None and not (
            isinstance(email_hash, str) and len(email_hash) == 64 and is_hex(email_hash)
        ):
            problems.append(at("email_hash is 64 hex digits", name, line))
            return None
        identity = identity_of(hasher, email_hash, record.get("key"), record)
        return self._row(record, email_hash, identity)


class _Defaults:
    """What an import fills in for missing columns, worked out once and only if needed."""

    @functools.cached_property
    def today(self) -> str:
        return datetime.date.today().isoformat()

    @functools.cached_property
    def version(self) -> str:
        from fourresp.content import load_framework

        return load_framework().version


def _valid_id(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentError(f"a supporter id is a whole number, not {value!r}")
    return 1 <= value <= _MAX_ID


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
