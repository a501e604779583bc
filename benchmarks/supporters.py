"""Importing pledges: the library against a plain sqlite3 executemany of the same rows.

The library reads pledges from a JSON Lines file as a stream, cleans and checks
every field, hashes every e-mail address and identity, leaves out withdrawn
people, and inserts them in one transaction (all or nothing, duplicates
skipped). It is measured on the two paths users take: the documented call
(``registry.import_from(path)``) and the command line (``fourresp supporters
import --db FILE pledges.jsonl``, in a child process, so its figure includes
starting Python and importing the command line). The baseline creates the same
tables and indexes with the same settings (write-ahead log, ``synchronous =
FULL``, ``secure_delete``, a 64 MiB page cache) and inserts the same final rows
with one ``executemany`` and nothing else.

Fair turns: one untimed run of each contender first (it warms them alike and
gives the baseline its rows), then ``--repeat`` rounds in which every contender
runs once, in an order that rotates from round to round, each run into a fresh
database in the same folder (deleted after it). The ratio is the fastest run
against the fastest run; the spread is that of the ratios within each round.
Peak memory (tracemalloc, in an untimed run of its own) shows that the import
does not keep the file in memory. Targets: the library <= 2x the baseline at
every size; peak memory the same at every size.

    python benchmarks/supporters.py [--sizes 50000,100000,200000] [--repeat 7] [--no-cli]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable

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


def remove_database(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def stored_rows(path: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(f"SELECT {', '.join(STORED)} FROM supporters ORDER BY id").fetchall()
    finally:
        db.close()


Times = tuple[float, float]  # (wall-clock seconds, CPU seconds)
Row = tuple[str, str, str, str]


def library(source: str, path: str, size: int) -> Times:
    """The documented call, timed from the open registry to the committed import."""
    registry = open_registry(path)
    start, cpu = time.perf_counter(), time.process_time()
    added = registry.import_from(source)
    times = time.perf_counter() - start, time.process_time() - cpu
    registry.close()
    assert added == size, (added, size)
    return times


def command_line(source: str, path: str, size: int) -> Times:
    """``fourresp supporters import``, timed around the whole child process."""
    command = [sys.executable, "-m", "fourresp", "supporters", "import", "--db", path, source]
    before, start = os.times(), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds, after = time.perf_counter() - start, os.times()
    assert result.stdout.split()[0] == str(size), result.stdout
    cpu = after.children_user + after.children_system
    return seconds, cpu - before.children_user - before.children_system


def baseline(rows: list[tuple[object, ...]], path: str) -> Times:
    db = sqlite3.connect(path, isolation_level=None)
    # The settings the library's storage uses, and the page cache its import takes.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA secure_delete = ON")
    db.execute("PRAGMA cache_size = -65536")
    for _, statements in _MIGRATIONS:
        for statement in statements:
            db.execute(statement)
    db.execute(IDENTITY_INDEX)
    start, cpu = time.perf_counter(), time.process_time()
    db.execute("BEGIN")
    db.executemany(
        f"INSERT INTO supporters ({', '.join(STORED)}) VALUES ({', '.join('?' * len(STORED))})",
        rows,
    )
    db.execute("COMMIT")
    times = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return times


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


def measure(source: str, folder: str, size: int, repeat: int, cli: bool) -> dict[str, list[Times]]:
    """Each contender's times, over ``repeat`` rounds taken in turns (untimed runs first)."""
    warm = os.path.join(folder, "warm.db")
    library(source, warm, size)
    rows = stored_rows(warm)
    remove_database(warm)
    contenders: dict[str, Callable[[str], Times]] = {
        "library": lambda path: library(source, path, size),
        "baseline": lambda path: baseline(rows, path),
    }
    if cli:
        contenders["cli"] = lambda path: command_line(source, path, size)
    for run in contenders.values():
        run(warm)
        remove_database(warm)
    times: dict[str, list[Times]] = {name: [] for name in contenders}
    names = list(contenders)
    for round_ in range(repeat):
        turn = round_ % len(names)  # who goes first rotates from round to round
        for name in names[turn:] + names[:turn]:
            path = os.path.join(folder, f"{name}-{round_}.db")
            times[name].append(contenders[name](path))
            remove_database(path)
    return times


def ratios(ours: list[Times], base: list[Times], which: int) -> str:
    """The fastest against the fastest (``which``: 0 wall clock, 1 CPU), and the spread
    of the ratios round by round."""
    mine, theirs = [t[which] for t in ours], [t[which] for t in base]
    each = [o / b for o, b in zip(mine, theirs, strict=True)]
    return (
        f"{min(mine) / min(theirs):.2f}x (rounds {min(each):.2f}x to {max(each):.2f}x, "
        f"median {statistics.median(each):.2f}x)"
    )


def rows_of(label: str, ours: list[Times], base: list[Times], peak: str) -> list[Row]:
    """A size's two lines: wall-clock time, then CPU time (user and system)."""
    wall, cpu = min(t[0] for t in ours), min(t[1] for t in ours)
    base_wall, base_cpu = min(t[0] for t in base), min(t[1] for t in base)
    return [
        (label, f"{wall:.2f} s{peak}", f"{base_wall:.2f} s executemany", ratios(ours, base, 0)),
        ("  the same, CPU time", f"{cpu:.2f} s", f"{base_cpu:.2f} s", ratios(ours, base, 1)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,100000,200000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-cli", action="store_true", help="leave out the command line")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    lines: list[Row] = []
    met = True
    peaks = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            source = os.path.join(folder, "pledges.jsonl")
            write_pledges(source, size)
            times = measure(source, folder, size, args.repeat, not args.no_cli)
            peak = peak_memory(source, folder)
            megabytes = os.path.getsize(source) / 2**20
        ours, base = times["library"], times["baseline"]
        met = met and all(min(t[i] for t in ours) / min(t[i] for t in base) <= 2 for i in (0, 1))
        peaks.append(peak)
        label = f"import {size:,} pledges ({megabytes:.0f} MiB JSON Lines, SQLite)"
        lines += rows_of(label, ours, base, f", peak {peak:.1f} MiB")
        if "cli" in times:
            label = "  the same, `fourresp supporters import` (start-up included)"
            lines += rows_of(label, times["cli"], base, "")
    print(table(lines))
    flat = max(peaks) <= 1.5 * min(peaks)
    print(f"target <= 2.0x at every size, wall clock and CPU: {'met' if met else 'MISSED'}")
    print(
        f"target peak memory flat: {'met' if flat else 'MISSED'} "
        f"({min(peaks):.1f} to {max(peaks):.1f} MiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
