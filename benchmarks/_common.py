"""Helpers shared by the benchmark scripts: timing and a printed table."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable


def best_of(function: Callable[[], object], *, repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds: the least disturbed by a noisy machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_each(
    functions: dict[str, Callable[[], object]], *, repeat: int = 5
) -> dict[str, float]:
    """The fastest of ``repeat`` runs of each function, in seconds, with the runs interleaved.

    A function and its baseline take turns, so a slow spell of the machine falls on
    both rather than on whichever happened to run during it.
    """
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def import_seconds(statement: str, *, repeat: int) -> list[float]:
    """Time ``statement`` in ``repeat`` fresh interpreters (module caches cold each time)."""
    probe = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", probe], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeat)
    ]


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(rows: list[tuple[str, str, str, str]]) -> str:
    """A Markdown table of (measure, figure, baseline, ratio)."""
    head = ("measure", "fourresp", "baseline", "ratio")
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(4)]
    lines = ["| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(head)) + " |"]
    lines.append("| " + " | ".join("-" * widths[i] for i in range(4)) + " |")
    for row in rows:
        lines.append(
            "| " + " | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) + " |"
        )
    return "\n".join(lines)
