"""Importing pledges: the library against a plain sqlite3 executemany of the same rows.

The library reads 100,000 pledges from JSON Lines, cleans and checks every field,
hashes every e-mail address, and inserts them all in one transaction (all or
nothing, duplicates skipped). The baseline, in the same run, creates the same
table and inserts the same final rows with ``executemany`` and nothing else.
Target: the library <= 2x the baseline.

    python benchmarks/supporters.py [--pledges 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import tempfile
import time

from _common import table
from fourresp.supporters import open_registry
from fourresp.supporters._sqlite import _MIGRATIONS


def pledges(count: int) -> str:
    lines = []
    for number in range(count):
        lines.append(
            json.dumps(
                {
                    "name": f"Supporter Number {number}",
                    "email": f"supporter{number}@example.org",
                    "organisation": "Example Learning Ltd",
                    "country": "GB",
                    "public": number % 3 != 0,
                    "pledged_on": "2026-11-29",
                    "framework_version": "1.0.0",
                }
            )
        )
    return "\n".join(lines) + "\n"


def library(text: str, folder: str) -> tuple[float, list[tuple[object, ...]]]:
    path = os.path.join(folder, "library.db")
    registry = open_registry(path)
    start = time.perf_counter()
    added = registry.import_from(io.StringIO(text))
    seconds = time.perf_counter() - start
    rows = registry._db.execute(  # type: ignore[attr-defined]
        "SELECT name, name_key, organisation, role, country, email, email_hash, pledge_key, "
        "public, pledged_on, framework_version FROM supporters ORDER BY id"
    ).fetchall()
    registry.close()
    assert added == len(rows)
    return seconds, rows


def baseline(rows: list[tuple[object, ...]], folder: str) -> float:
    path = os.path.join(folder, "plain.db")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    for _, statements in _MIGRATIONS:
        for statement in statements:
            db.execute(statement)
    start = time.perf_counter()
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO supporters (name, name_key, organisation, role, country, email, email_hash, "
        "pledge_key, public, pledged_on, framework_version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    db.execute("COMMIT")
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pledges", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = pledges(args.pledges)
    ours, base = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            seconds, rows = library(text, folder)
            ours.append(seconds)
            base.append(baseline(rows, folder))
    best, plain = min(ours), min(base)
    print(
        table(
            [
                (
                    f"import {args.pledges:,} pledges (SQLite)",
                    f"{best:.2f} s",
                    f"{plain:.2f} s executemany",
                    f"{best / plain:.2f}x",
                )
            ]
        )
    )
    print(f"target <= 2.0x: {'met' if best / plain <= 2 else 'MISSED'} ({best / plain:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
