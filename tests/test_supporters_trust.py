"""Supporters' promises about personal data, imports and storage faults, held."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from fourresp.cli import main
from fourresp.errors import ArgumentError, DocumentError, NotFoundError, StorageError
from fourresp.supporters import PUBLIC_FIELDS, open_registry
from fourresp.supporters._sqlite import SQLiteRegistry
from test_supporters import _all_text, _file_bytes, pledge, postgres, target

__all__ = ["postgres", "target"]  # the fixtures, shared with the other supporters tests

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _stored(target: str) -> bytes:
    if target.startswith("postgresql"):
        return _all_text(target).encode()
    return _file_bytes(target)


def _hold_reader(path: str, seconds: float) -> threading.Thread:
    """Another connection that reads the database in one transaction for ``seconds``."""
    started = threading.Event()

    def read() -> None:
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT * FROM supporters").fetchall()
        started.set()
        time.sleep(seconds)
        reader.execute("COMMIT")
        reader.close()

    thread = threading.Thread(target=read)
    thread.start()
    started.wait()
    return thread


def test_withdrawing_while_another_connection_reads_waits_briefly_and_erases(tmp_path):
    path = str(tmp_path / "supporters.db")
    with open_registry(path, keep_emails=True) as registry:
        ada = registry.add(pledge(name="Ada Lovelace", email="ada.lovelace@example.org"))
        registry.add(pledge(name="Grace Hopper", email="grace@example.org"))
        reader = _hold_reader(path, 1.0)
        start = time.monotonic()
        assert registry.withdraw(ada.id)
        assert time.monotonic() - start < 5
        reader.join()
        assert b"Lovelace" not in _file_bytes(path)
        assert b"ada.lovelace@example.org" not in _file_bytes(path)
        registry.add(pledge(name="Later", email="later@example.org"))
    stored = _file_bytes(path)
    assert b"Lovelace" not in stored
    assert b"ada.lovelace" not in stored
    assert b"Grace Hopper" in stored


def test_an_erasure_a_reader_blocks_too_long_is_reported_then_finished(tmp_path):
    path = str(tmp_path / "supporters.db")
    registry = SQLiteRegistry(path, keep_emails=True, erase_timeout=0.3)
    ada = registry.add(pledge(name="Ada Lovelace", email="ada.lovelace@example.org"))
    reader = _hold_reader(path, 1.5)
    start = time.monotonic()
    with pytest.raises(StorageError, match="write-ahead log"):
        registry.withdraw(ada.id)
    assert time.monotonic() - start < 1.5
    assert registry.count() == 0  # deleted all the same; only the log may still hold it
    reader.join()
    registry.close()  # no reader left: closing finishes the erasure
    assert b"Lovelace" not in _file_bytes(path)
    assert b"ada.lovelace@example.org" not in _file_bytes(path)


def test_a_restored_backup_does_not_bring_a_withdrawn_person_back(target):
    with open_registry(target) as registry:
        ada = registry.add(pledge(name="Ada Lovelace", email="ada@example.org"))
        registry.add(pledge(name="Grace Hopper", email="grace@example.org"))
        nameless = registry.add(pledge(name="Keyless Person", email=None))
        keyed = registry.add(pledge(name="Keyed Person", email=None, key="app-7"))
        backup = io.StringIO()
        registry.export_to(backup)
        for supporter in (ada, nameless, keyed):
            assert registry.withdraw(supporter.id)
        assert registry.import_from(io.StringIO(backup.getvalue())) == 0
        assert registry.last_import_withdrawn == 3
        assert [s.name for s in registry.list_public().supporters] == ["Grace Hopper"]
        # The suppression list holds HMACs only, never the plain values.
        assert b"ada@example.org" not in _stored(target)
        assert b"Ada Lovelace" not in _stored(target)
        # A backup made after the withdrawal carries it to a new registry.
        later = io.StringIO()
        registry.export_to(later)
        assert registry.import_from(io.StringIO(backup.getvalue()), include_withdrawn=True) == 3
        assert registry.find(email="ada@example.org") is not None
    with open_registry(":memory:") as fresh:
        assert fresh.import_from(io.StringIO(later.getvalue())) == 1
        assert fresh.import_from(io.StringIO(backup.getvalue())) == 0  # the withdrawn stay out


def test_the_salt_line_must_come_first_even_after_a_withdrawn_persons_row():
    with open_registry(":memory:") as registry:
        ada = registry.add(pledge(name="Ada Lovelace", email="ada@example.org"))
        backup = io.StringIO()
        registry.export_to(backup)
        assert registry.withdraw(ada.id)
        salt, row = backup.getvalue().splitlines()
        # the row is left out (withdrawn), and the salt line after it is still refused
        with pytest.raises(DocumentError, match="the salt line comes first"):
            registry.import_from(io.StringIO(f"{row}\n{salt}\n"))


def test_a_new_pledge_from_a_withdrawn_person_is_their_consent_again(target):
    with open_registry(target) as registry:
        ada = registry.add(pledge(email="ada@example.org"))
        registry.withdraw(ada.id)
        again = registry.add(pledge(email="ada@example.org"))
        assert registry.count() == 1
        assert again.id != ada.id


def test_every_row_imports_once_and_adding_again_adds_nothing(target):
    with open_registry(target) as registry:
        first = registry.add(pledge(name="Ümit Çelik", email=None, organisation="Acme"))
        second = registry.add(pledge(name="ümit  çelik", email=None, organisation="Acme"))
        assert first.id == second.id
        assert registry.add(pledge(name="Ümit Çelik", email=None)).id != first.id  # no org
        backup = io.StringIO()
        registry.export_to(backup)
        assert registry.import_from(io.StringIO(backup.getvalue())) == 0
        assert registry.count() == 2
    with open_registry(":memory:") as copy:
        assert copy.import_from(io.StringIO(backup.getvalue())) == 2
        assert copy.import_from(io.StringIO(backup.getvalue())) == 0


def test_search_folds_accents_and_case(target):
    with open_registry(target) as registry:
        registry.add(pledge(name="Ümit Çelik", email="umit@example.org"))
        registry.add(pledge(name="Zoë Ångström", email="zoe@example.org"))
        assert [s.name for s in registry.search("umit")] == ["Ümit Çelik"]
        assert [s.name for s in registry.search("ÜMIT ç")] == ["Ümit Çelik"]
        assert [s.name for s in registry.search("zoe ang")] == ["Zoë Ångström"]


def test_a_csv_of_a_few_columns_gets_defaults_and_a_csv_export_imports_again(target):
    import datetime

    from fourresp.content import load_framework

    with open_registry(target, keep_emails=True) as registry:
        sheet = "name,email,public\nAda,ada@example.org,true\n=HYPERLINK(1),x@example.org,no\n"
        assert registry.import_from(io.StringIO(sheet), format="csv") == 2
        ada = registry.find(email="ada@example.org")
        assert ada.pledged_on == datetime.date.today().isoformat()
        assert ada.framework_version == load_framework().version
        exported = io.StringIO()
        registry.export_to(exported, format="csv")
        assert ",'=HYPERLINK(1)," in exported.getvalue()  # a spreadsheet shows it as text
        assert registry.import_from(io.StringIO(exported.getvalue()), format="csv") == 0
    with open_registry(":memory:") as fresh:
        assert fresh.import_from(io.StringIO(exported.getvalue()), format="csv") == 2
        assert {s.name for s in fresh.supporters()} == {"Ada", "=HYPERLINK(1)"}


def test_import_errors_are_located_and_deep_json_is_one_of_them(tmp_path):
    good = json.dumps({"name": "Fine", "pledged_on": "2026-11-29", "framework_version": "1.0.0"})
    text = "\n".join(
        [good, "[" * 100_000 + "]" * 100_000, '{"name": "x", "public": 3}', "", '{"name": }']
    )
    with open_registry(":memory:") as registry:
        with pytest.raises(DocumentError) as caught:
            registry.import_from(io.StringIO(text))
        lines = [(p.line, p.path) for p in caught.value.problems]
        assert lines == [(2, "$"), (3, "$.public"), (5, "$")]
        assert registry.count() == 0


def test_storage_faults_are_storage_errors(tmp_path):
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(StorageError, match="not a SQLite database"):
        open_registry(not_a_database)
    newer = tmp_path / "newer.db"
    open_registry(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("INSERT INTO schema_version (version) VALUES (99)")
    with pytest.raises(StorageError, match=r"version 99.*version 2"):
        open_registry(newer)
    with open_registry(":memory:") as registry:
        with pytest.raises(StorageError, match=r"missing\.jsonl"):
            registry.import_from(tmp_path / "missing.jsonl")
        with pytest.raises(NotFoundError):
            registry.get(10**22)
        assert registry.withdraw(10**22) is False
        with pytest.raises(ArgumentError):
            registry.list_public(cursor="djE6MTAwMDAwMDAwMDAwMDAwMDAwMDAwMA")  # "v1:" + 23 digits


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_a_read_only_database_can_be_read_not_changed(tmp_path):
    path = tmp_path / "supporters.db"
    with open_registry(path) as registry:
        registry.add(pledge(public=True))
    path.chmod(stat.S_IRUSR)
    with open_registry(path) as registry:
        assert registry.count() == 1
        with pytest.raises(StorageError, match="read-only"):
            registry.add(pledge(email="other@example.org"))


def test_a_version_1_database_is_migrated_keeping_everyone_once(tmp_path):
    from fourresp.supporters._registry import first_migration

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in first_migration(
            id_column="INTEGER PRIMARY KEY AUTOINCREMENT", boolean="INTEGER"
        ):
            db.execute(statement)
        db.execute("INSERT INTO schema_version VALUES (1)")
        db.execute("INSERT INTO meta VALUES ('salt', ?)", ("ab" * 32,))
        for name in ("Ümit", "Ümit", "Ada"):
            db.execute(
                "INSERT INTO supporters (name, name_key, public, pledged_on, framework_version) "
                "VALUES (?, ?, 1, '2026-11-29', '1.0.0')",
                (name, name.lower()),
            )
    with open_registry(path) as registry:
        assert [s.name for s in registry.supporters()] == ["Ümit", "Ada"]
        assert [s.name for s in registry.search("umit")] == ["Ümit"]


def test_the_public_list_shows_only_the_documented_fields(tmp_path, capsys):
    documented = re.search(r"public fields: ([^.]*)\.", (DOCS / "supporters.md").read_text())
    assert documented is not None
    assert tuple(re.findall(r"`(\w+)`", documented.group(1))) == PUBLIC_FIELDS
    db = str(tmp_path / "s.db")
    assert (
        main(
            [
                "supporters",
                "add",
                "--db",
                db,
                "--name",
                "Ada",
                "--email",
                "a@example.org",
                "--key",
                "app-1",
                "--public",
                "--keep-email",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["supporters", "list", "--db", db, "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["supporters"]
    assert [tuple(entry) for entry in listed] == [PUBLIC_FIELDS]
    assert "a@example.org" not in json.dumps(listed)
    assert "app-1" not in json.dumps(listed)


def test_the_command_line_reads_fourresp_db_and_standard_input(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FOURRESP_DB", str(tmp_path / "env.db"))
    assert main(["supporters", "add", "--name", "Ada", "--public"]) == 0
    assert capsys.readouterr().out == "supporter 1: Ada\n"
    assert main(["supporters", "add", "--name", "Ada", "--public"]) == 0
    assert capsys.readouterr().out == "already a supporter: 1: Ada\n"
    assert main(["supporters", "count"]) == 0
    assert capsys.readouterr().out == "1 supporter, 1 listed\n"
    rows = "name,public\nGrace,yes\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(rows.encode()), newline=""))
    assert main(["supporters", "import", "--format", "csv", "-"]) == 0
    assert capsys.readouterr().out == "1 supporter added\n"
    monkeypatch.delenv("FOURRESP_DB")
    assert main(["supporters", "count"]) == 1
    assert "FOURRESP_DB" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["withdraw", "12345678901234567890123"], "no supporter"),
        (["list", "--cursor", "djE6MTAwMDAwMDAwMDAwMDAwMDAwMDAwMA"], "not a cursor"),
        (["import", "missing.jsonl"], "cannot read missing.jsonl"),
    ],
)
def test_command_line_storage_faults_are_one_line(
    tmp_path, capsys, monkeypatch, arguments, expected
):
    monkeypatch.chdir(tmp_path)
    action, *rest = arguments
    assert main(["supporters", action, "--db", "s.db", *rest]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1


def test_a_file_that_is_not_a_database_is_one_line_on_the_command_line(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not a database\n" * 100)
    assert main(["supporters", "count", "--db", str(tmp_path / "notes.txt")]) == 1
    err = capsys.readouterr().err
    assert "not a SQLite database" in err
    assert err.count("\n") == 1


def test_a_write_refused_by_sqlite_as_read_only_is_a_storage_error(tmp_path):
    with SQLiteRegistry(str(tmp_path / "s.db")) as registry:
        registry._db.execute("PRAGMA query_only = ON")  # refuses writes as a read-only file does
        with pytest.raises(StorageError, match="read-only"):
            registry.add(pledge())
        assert registry.count() == 0


def _database_files(url: str) -> bytes:
    """Every table and index file of the database behind ``url`` (not the server's log)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CHECKPOINT")
        data = connection.execute("SHOW data_directory").fetchone()[0]
        oid = connection.execute(
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]
    folder = Path(data) / "base" / str(oid)
    return b"".join(path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file())


@pytest.mark.slow
@pytest.mark.xdist_group("postgres")
def test_withdrawing_on_postgres_with_a_reader_waits_briefly_and_erases(postgres):
    import psycopg

    from test_supporters import _fresh_database

    url = _fresh_database(postgres)
    with open_registry(url, keep_emails=True) as registry:
        ada = registry.add(pledge(name="Ada Lovelace", email="ada.lovelace@example.org"))
        registry.add(pledge(name="Grace Hopper", email="grace@example.org"))
        assert b"Lovelace" in _database_files(url)
        started = threading.Event()

        def read() -> None:
            with psycopg.connect(url) as reader:  # one transaction, holding the table
                reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ  # and a snapshot
                reader.execute("SELECT * FROM supporters").fetchall()
                started.set()
                time.sleep(1.0)

        thread = threading.Thread(target=read)
        thread.start()
        started.wait()
        start = time.monotonic()
        assert registry.withdraw(ada.id)
        assert time.monotonic() - start < 5
        thread.join()
    stored = _database_files(url)
    assert b"Lovelace" not in stored
    assert b"ada.lovelace@example.org" not in stored
    assert b"Grace Hopper" in stored


@pytest.mark.slow
@pytest.mark.xdist_group("postgres")
def test_an_erasure_a_postgres_reader_blocks_too_long_is_reported_then_finished(postgres):
    import psycopg

    from fourresp.supporters._postgres import PostgresRegistry
    from test_supporters import _fresh_database

    url = _fresh_database(postgres)
    registry = PostgresRegistry(url, erase_timeout=0.3)
    ada = registry.add(pledge(name="Ada Lovelace"))
    with psycopg.connect(url) as reader:
        reader.execute("SELECT * FROM supporters").fetchall()
        with pytest.raises(StorageError, match="still using"):
            registry.withdraw(ada.id)
    registry.close()
    assert b"Lovelace" in _database_files(url)  # not yet: the reader held the table
    open_registry(url).close()  # no reader left: opening finishes the erasure
    assert b"Lovelace" not in _database_files(url)


def test_an_import_streams_with_flat_memory(tmp_path):
    import tracemalloc

    def peak(rows: int) -> int:
        source = tmp_path / f"{rows}.jsonl"
        with source.open("w", encoding="utf-8") as stream:
            for number in range(rows):
                record = {"name": f"Person {number}", "email": f"p{number}@example.org"}
                stream.write(json.dumps(record) + "\n")
        with open_registry(tmp_path / f"{rows}.db") as registry:
            tracemalloc.start()
            try:
                assert registry.import_from(source) == rows
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    small, large = peak(3_000), peak(12_000)
    assert large < 1.5 * small  # four times the rows, not four times the memory


def test_a_csv_row_of_many_cells_is_refused_within_its_budget():
    # Each cell is small (the csv module's field limit never trips) but the row is
    # megabytes long: it is refused at its line without being held whole.
    from fourresp.supporters import open_registry

    huge = "," * 2_000_000
    pledges = (
        "name,email,pledged_on,framework_version\n"
        f"Wide{huge}\n"
        "Zoe,zoe@example.org,2026-11-29,1.0.0\n"
    )
    with open_registry(":memory:") as registry:
        with pytest.raises(DocumentError) as caught:
            registry.import_from(io.StringIO(pledges), format="csv")
        (problem,) = caught.value.problems
        assert problem.line == 2
        assert "longer than" in problem.message
        assert registry.count() == 0  # all or nothing
