"""The supporters registry, on SQLite and on a real PostgreSQL server, with the same tests."""

from __future__ import annotations

import io
import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import postgres_server
from fourresp.errors import ArgumentError, DocumentError
from fourresp.supporters import Pledge, open_registry, supporter_badge

_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres():
    reason = postgres_server.why_not()
    if reason is not None:
        if os.environ.get("FOURRESP_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here but cannot be had: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    with postgres_server.server() as url:
        yield url


def _fresh_database(url: str) -> str:
    import psycopg

    name = f"fourresp_test_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    head, _, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


# The PostgreSQL cases start a server (once per worker): they are slow, and kept
# on one worker so that one server serves them all.
@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=[pytest.mark.slow, pytest.mark.xdist_group("postgres")]),
    ]
)
def target(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "supporters.db")
    return _fresh_database(request.getfixturevalue("postgres"))


def pledge(name="Ada Lovelace", email="ada@example.org", **extra):
    fields = {"pledged_on": "2026-11-29", "framework_version": "1.0.0", "public": True}
    fields.update(extra)
    return Pledge(name=name, email=email, **fields)


def test_adding_is_idempotent_per_email_and_per_key(target):
    with open_registry(target) as registry:
        ada = registry.add(pledge())
        again = registry.add(pledge(name="Ada L.", email="  ADA@Example.ORG "))
        assert again == ada
        first = registry.add(pledge(name="No e-mail", email=None, key="app-user-7"))
        assert registry.add(pledge(name="Renamed", email=None, key="app-user-7")) == first
        assert registry.count() == 2
        assert registry.find(email="ada@example.org") == ada
        assert registry.get(ada.id) == ada
        assert ada.email is None  # not kept unless asked


def test_listing_is_stable_and_paginated(target):
    with open_registry(target) as registry:
        for number in range(7):
            registry.add(
                pledge(name=f"Person {number}", email=f"p{number}@example.org", public=number != 3)
            )
        seen, cursor = [], None
        while True:
            page = registry.list_public(limit=2, cursor=cursor)
            seen += [s.name for s in page.supporters]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
            registry.add(pledge(name=f"Late {len(seen)}", email=f"late{len(seen)}@example.org"))
        assert seen[:6] == [f"Person {n}" for n in range(7) if n != 3]
        assert len(seen) == len(set(seen))
        assert registry.count(public_only=True) == registry.count() - 1
        assert [s.name for s in registry.search("person 1")] == ["Person 1"]
        assert [s.name for s in registry.search("PERSON 3")] == []  # not public
        with pytest.raises(ArgumentError, match="cursor"):
            registry.list_public(cursor="forged")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "<script>alert(1)</script>"}, "name"),
        ({"name": "Ada\x07Lovelace"}, "name"),
        ({"name": "A" * 10_000}, "name"),
        ({"name": "Ada\u202eecalevoL"}, "name"),
        ({"country": "XX"}, "country"),
        ({"country": False}, "country"),
        ({"email": "not-an-address"}, "email"),
        ({"public": "yes"}, "public"),
        ({"pledged_on": "2026-02-30"}, "pledged_on"),
        ({"organisation": "Acme <b>"}, "organisation"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(target, changes, field):
    with open_registry(target) as registry:
        with pytest.raises(DocumentError) as caught:
            registry.add(pledge(**changes))
        assert f"$.{field}" in {problem.path for problem in caught.value.problems}
        assert registry.count() == 0


@given(st.text(max_size=200))
@settings(max_examples=60)
def test_any_name_is_cleaned_or_refused_never_stored_raw(name):
    with open_registry() as registry:
        try:
            supporter = registry.add(pledge(name=name))
        except DocumentError as error:
            assert error.problems[0].path == "$.name"
            return
        assert "<" not in supporter.name
        assert supporter.name == supporter.name.strip()
        assert "  " not in supporter.name
        assert len(supporter.name) <= 100


def test_yaml_pledges_keep_norway_a_country(tmp_path):
    import fourresp

    path = tmp_path / "pledge.yaml"
    path.write_text(
        "kind: pledge\nname: Ola Nordmann\ncountry: NO\npledged_on: '2026-11-29'\n"
        "framework_version: '1.0.0'\n",
        encoding="utf-8",
    )
    assert fourresp.load(path).country == "NO"
    path.write_text(path.read_text().replace("NO", "'ZZ'"), encoding="utf-8")
    problems = fourresp.validate(path)
    assert any(p.path == "$.country" and p.line == 3 for p in problems)


def _file_bytes(path: str) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-journal"):
        if os.path.exists(path + suffix):
            with open(path + suffix, "rb") as stream:
                data += stream.read()
    return data


def _all_text(target: str) -> str:
    import psycopg

    with psycopg.connect(target) as connection:
        rows = connection.execute("SELECT * FROM supporters").fetchall()
    return json.dumps([list(map(str, row)) for row in rows])


def test_no_plain_email_unless_asked_and_withdrawal_erases(target):
    with open_registry(target) as registry:
        ada = registry.add(pledge(name="Ada Lovelace", email="ada.lovelace@example.org"))
        registry.add(pledge(name="Grace Hopper", email="grace@example.org"))
        stored = _file_bytes(target) if not target.startswith("postgresql") else b""
        text = _all_text(target) if target.startswith("postgresql") else ""
        assert b"ada.lovelace@example.org" not in stored
        assert "ada.lovelace@example.org" not in text
        assert registry.withdraw(ada.id)
        assert not registry.withdraw(ada.id)
        assert registry.count() == 1
    if target.startswith("postgresql"):
        assert "Lovelace" not in _all_text(target)
    else:
        assert b"Lovelace" not in _file_bytes(target)
        assert b"Grace Hopper" in _file_bytes(target)
    with open_registry(target, keep_emails=True) as registry:
        kept = registry.add(pledge(name="Kept", email="kept@example.org"))
        assert kept.email == "kept@example.org"


def test_export_and_import_move_a_registry_all_or_nothing(target, tmp_path):
    with open_registry(tmp_path / "old.db") as old:
        for number in range(5):
            old.add(pledge(name=f"Person {number}", email=f"p{number}@example.org"))
        backup = io.StringIO()
        assert old.export_to(backup) == 5
        spreadsheet = io.StringIO()
        old.export_to(spreadsheet, format="csv")
    with open_registry(target) as new:
        assert new.import_from(io.StringIO(backup.getvalue())) == 5
        assert new.find(email="p3@example.org").name == "Person 3"  # the salt moved too
        assert new.import_from(io.StringIO(backup.getvalue())) == 0  # already there
        broken = "\n".join(
            [
                json.dumps(
                    {
                        "name": "Fine",
                        "email": "fine@example.org",
                        "pledged_on": "2026-11-29",
                        "framework_version": "1.0.0",
                    }
                ),
                json.dumps(
                    {"name": "<b>bad</b>", "pledged_on": "2026-11-29", "framework_version": "1.0.0"}
                ),
                "{not json",
            ]
        )
        with pytest.raises(DocumentError) as caught:
            new.import_from(io.StringIO(broken))
        assert {p.line for p in caught.value.problems} == {2, 3}
        assert new.count() == 5
        pledges = (
            "name,email,country,public,pledged_on,framework_version\n"
            "Zoe,zoe@example.org,NZ,yes,2026-11-29,1.0.0\n"
        )
        assert new.import_from(io.StringIO(pledges), format="csv") == 1
        assert spreadsheet.getvalue().startswith("id,name,organisation")


def test_a_supporters_badge():
    supporter = open_registry().add(pledge())
    svg = supporter_badge(supporter, size=512)
    assert ">Ada Lovelace</text>" in svg
    assert ">2026</text>" in svg
    from fourresp.badges import ob2_assertion, unbake

    assertion = ob2_assertion(
        id="https://example.org/assertions/1",
        badge="https://example.org/badges/supporter",
        recipient_email="ada@example.org",
        salt="0123456789abcdef",
        issued_on="2026-11-29T10:00:00Z",
    )
    baked = supporter_badge(supporter, assertion=assertion)
    assert unbake(baked).payload == assertion


# -- many processes at once, and a process killed mid-import ---------------------------

WRITER = textwrap.dedent(
    """
    import random, sys
    from fourresp.supporters import Pledge, open_registry
    target, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    registry = open_registry(target)
    for number in range(500):
        person = rng.randrange(1500)
        registry.add(Pledge(name=f"Person {person}", email=f"person{person}@example.org",
                            public=True, pledged_on="2026-11-29", framework_version="1.0.0"))
    registry.close()
    """
)


def test_eight_processes_adding_at_once_lose_nothing_and_duplicate_nothing(target):
    open_registry(target).close()  # created first, as an app would at start-up
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, target, str(seed)], stderr=subprocess.PIPE, text=True
        )
        for seed in range(8)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
        assert errors == ""
    import random

    expected = set()
    for seed in range(8):
        rng = random.Random(seed)
        expected.update(rng.randrange(1500) for _ in range(500))
    with open_registry(target) as registry:
        assert registry.count() == len(expected)
        names = [s.name for s in registry.supporters()]
        assert len(names) == len(set(names))


IMPORTER = textwrap.dedent(
    """
    import sys
    from fourresp.supporters import open_registry
    registry = open_registry(sys.argv[1])
    storage = type(registry)
    original = storage._insert_chunk
    def announced(self, cursor, statement, rows):
        print("inserting", flush=True)
        original(self, cursor, statement, rows)
        print("inserted", flush=True)
    storage._insert_chunk = announced
    registry.import_from(sys.argv[2])
    print("done", flush=True)
    """
)


def test_a_process_killed_mid_import_leaves_all_or_none(target, tmp_path):
    rows = tmp_path / "pledges.jsonl"
    with rows.open("w", encoding="utf-8") as stream:
        for number in range(60_000):
            stream.write(
                json.dumps(
                    {
                        "name": f"Person {number}",
                        "email": f"p{number}@example.org",
                        "pledged_on": "2026-11-29",
                        "framework_version": "1.0.0",
                    }
                )
            )
            stream.write("\n")
    with open_registry(target) as registry:
        registry.add(pledge(name="Before", email="before@example.org"))
    process = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, target, str(rows)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "inserting"
    time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    process.stdout.close()
    with open_registry(target) as registry:
        assert registry.count() in (1, 60_001)
        if not target.startswith("postgresql"):
            assert registry.integrity_check() == "ok"
        assert registry.find(email="before@example.org") is not None


@given(st.binary(max_size=200), st.binary(max_size=300))
def test_the_email_hasher_is_hmac_sha256(key, message):
    import hmac

    from fourresp.supporters._registry import EmailHasher

    assert EmailHasher(key).hex(message) == hmac.digest(key, message, "sha256").hex()


@pytest.mark.parametrize(
    ("text", "format"),
    [
        ("\ufeffname,pledged_on,framework_version\r\nAda,2026-11-29,1.0.0\r\n", "csv"),
        (
            '\ufeff{"name": "Ada", "pledged_on": "2026-11-29", "framework_version": "1.0.0"}\n',
            "jsonl",
        ),
    ],
    ids=["csv", "jsonl"],
)
def test_a_byte_order_mark_in_an_open_stream_is_not_part_of_the_first_column(
    tmp_path, text, format
):
    with open_registry(str(tmp_path / "supporters.db")) as registry:
        assert registry.import_from(io.StringIO(text), format=format) == 1
        assert [s.name for s in registry.supporters()] == ["Ada"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name,public\nA\rda,yes\nBob,no\n", 2),  # the rest of the file is not read
        ("na\rme,public\nAda,yes\n", 1),  # the header
    ],
)
def test_an_import_that_is_not_valid_csv_is_refused_at_its_line(text, line):
    with open_registry() as registry:
        with pytest.raises(DocumentError) as caught:
            registry.import_from(io.StringIO(text), format="csv")
        assert registry.count() == 0
    [problem] = caught.value.problems
    assert (problem.code, problem.line) == ("csv-syntax", line)
    assert problem.message.startswith("not valid CSV: new-line character seen")


def test_a_csv_header_over_the_row_budget_is_refused_at_line_1():
    with open_registry() as registry:
        with pytest.raises(DocumentError) as caught:
            registry.import_from(io.StringIO("x" * 70_000 + ",name\nAda\n"), format="csv")
        assert registry.count() == 0
    [problem] = caught.value.problems
    assert problem.line == 1
    assert "header is longer than" in problem.message


@pytest.mark.parametrize(
    "line",
    [
        '{"name": "Ada", "name": "Bob", "public": true}',
        '{"name": "Ada", "public": true, "public": false}',
        '{"name": "Ad\\u0061", "name": "Bob"}',  # a backslash: read the slow way
    ],
)
def test_a_json_lines_pledge_naming_a_key_twice_is_refused_at_its_line(line):
    text = '{"name": "Cy", "public": true}\n' + line + "\n"
    with open_registry() as registry:
        with pytest.raises(DocumentError) as caught:
            registry.import_from(io.StringIO(text))
        assert registry.count() == 0
    [problem] = caught.value.problems
    assert problem.line == 2
    assert "appears twice" in problem.message


OPTIONAL_TEXT = st.none() | st.text(alphabet="abcxyz-", min_size=1, max_size=6)


@given(
    st.fixed_dictionaries(
        {"name": st.text(alphabet="abc ", min_size=1, max_size=6)},
        optional={
            "organisation": OPTIONAL_TEXT,
            "role": OPTIONAL_TEXT,
            "country": OPTIONAL_TEXT,
            "email": OPTIONAL_TEXT,
            "key": OPTIONAL_TEXT,
            "public": st.booleans(),
        },
    ),
    st.booleans(),
)
def test_a_stored_row_holds_each_pledge_field_in_its_column(values, keep_emails):
    from fourresp.supporters._identity import name_key
    from fourresp.supporters._tables import COLUMN_OF, STORED

    values = {**values, "pledged_on": "2026-11-29", "framework_version": "1.0.0"}
    with open_registry(keep_emails=keep_emails) as registry:
        row = dict(zip(STORED, registry._row(values, "the-hash", "the-identity"), strict=True))
    derived = {
        "public": values.get("public", False),
        "email": values.get("email") if keep_emails else None,
        "email_hash": "the-hash",
        "name_key": name_key(values["name"]),
        "identity": "the-identity",
    }
    for field in attrs.fields(Pledge):
        column = COLUMN_OF.get(field.name, field.name)
        assert row[column] == derived.get(column, values.get(field.name)), column
    assert {column: row[column] for column in derived} == derived
