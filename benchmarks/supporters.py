"""Importing pledges: the library against a plain sqlite3 executemany of the same rows.

The library reads pledges from a JSON Lines file as a stream, cleans and checks
every field, hashes every e-mail address and identity, leaves out withdrawn
people, and inserts them in one transaction (all or nothing, duplicates
skipped). The baseline, in the same run and interleaved with it, creates the same
tables and indexes, takes the same page cache, and inserts the same final rows
with one ``executemany`` and nothing else. Peak memory (tracemalloc, in an
untimed run of its own) shows that the import does not keep the file in memory.
Targets: the library <= 2x the baseline at every size; peak memory the same at
every size.

    python benchmarks/supporters.py [--sizes 50000,100000,200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import tempfile
import time
import tracemalloc

from _common import table
from fourresp.supporters import open_registry
from fourresp.supporters._sqlite import _MIGRATIONS
from fourresp.supporters._tables import IDENTITY_INDEX, STORED


def write_pledges(path: str, count: int) -> None:
    with open(path, "w", encoding="utf-8") as stream:
        for number in range(count):
            record = {
                "name": f"Supporter Number {number}",
                "email": f"supporter{number}@example.org",
                "organisation": "Example Learning Ltd",
                "country": "GB",
                "public": number % 3 != 0,
                "pledged_on": "2026-11-29",
                "framework_version": "1.0.0",
            }
            stream.write(json.dumps(record) + "\n")


def library(source: str, folder: str, run: int) -> tuple[float, list[tuple[object, ...]]]:
    path = os.path.join(folder, f"library-{run}.db")
    registry = open_registry(path)
    start = time.perf_counter()
    added = registry.import_from(source)
    seconds = time.perf_counter() - start
    rows = registry._db.execute(  # type: ignore[attr-defined]
        f"SELECT {', '.join(STORED)} FROM supporters ORDER BY id"
    ).fetchall()
    registry.close()
    assert added == len(rows)
    return seconds, rows


def baseline(rows: list[tuple[object, ...]], folder: str, run: int) -> float:
    path = os.path.join(folder, f"plain-{run}.db")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA cache_size = -65536")  # the page cache the library's import uses
    for _, statements in _MIGRATIONS:
        for statement in statements:
            db.execute(statement)
    db.execute(IDENTITY_INDEX)
    start = time.perf_counter()
    db.execute("BEGIN")
    db.executemany(
        f"INSERT INTO supporters ({', '.join(STORED)}) VALUES ({', '.join('?' * len(STORED))})",
        rows,
    )
    db.execute("COMMIT")
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def peak_memory(source: str, folder: str) -> float:
    """The import's peak of Python allocations, in MiB (an untimed run of its own)."""
    registry = open_registry(os.path.join(folder, "memory.db"))
    tracemalloc.start()
    try:
        registry.import_from(source)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
        registry.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,100000,200000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    lines, met = [], True
    peaks = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            source = os.path.join(folder, "pledges.jsonl")
            write_pledges(source, size)
            ours, base = [], []
            for run in range(args.repeat):  # the library and its baseline take turns
                seconds, rows = library(source, folder, run)
                ours.append(seconds)
                base.append(baseline(rows, folder, run))
                del rows
            peak = peak_memory(source, folder)
            megabytes = os.path.getsize(source) / 2**20
        ratios = sorted(o / b for o, b in zip(ours, base, strict=True))
        best = min(ours) / min(base)
        met = met and best <= 2
        peaks.append(peak)
        lines.append(
            (
                f"import {size:,} pledges ({megabytes:.0f} MiB JSON Lines, SQLite)",
                f"{min(ours):.2f} s, peak {peak:.1f} MiB",
                f"{min(base):.2f} s executemany",
                f"{best:.2f}x (runs {ratios[0]:.2f}x to {ratios[-1]:.2f}x)",
            )
        )
    print(table(lines))
    flat = max(peaks) <= 1.5 * min(peaks)
    print(f"target <= 2.0x at every size: {'met' if met else 'MISSED'}")
    print(
        f"target peak memory flat: {'met' if flat else 'MISSED'} "
        f"({min(peaks):.1f} to {max(peaks):.1f} MiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
