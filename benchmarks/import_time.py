"""What importing each public part of fourresp costs on top of its own third-party needs.

Two figures per public package, each against a baseline in the same run:

- **import**: ``import fourresp.X``, against importing exactly the third-party
  modules that import brings in (found in a fresh interpreter: ``sys.modules``
  after the import, less the standard library and fourresp itself);
- **first use**: the import plus the first call of the package's main entry point
  (e.g. loading the default questionnaire), against importing the third-party
  modules present after that call. Whatever the import defers is paid here, so
  deferring never hides a cost.

Every statement runs in its own fresh interpreter; all statements take turns
(interleaved), each has one untimed warm-up run first (the same for all), and the
figure is the median of the runs. Compiled bytecode is written and used for every
module alike, as after an install (a ``PYTHONDONTWRITEBYTECODE`` in the
environment would otherwise have fourresp's sources compiled at every import
while the third-party modules load their installed bytecode); it goes to a
temporary ``PYTHONPYCACHEPREFIX``, so nothing is written beside the sources.
The time is the CPU time of the process (``time.process_time``) around the
statement, so other work sharing the machine's cores does not land on whichever
statement ran during it. A statement and its baseline run back to back in every
round, and the ratio is the median of the rounds' ratios (the times shown are the
medians of each), so what drifts over a run falls on both sides of each ratio.
Target: each import <= 1.2x its baseline.

    python benchmarks/import_time.py [--repeat 21] [--wall]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile

from _common import median, table

TARGET = 1.2


def _data(package: str, *parts: str) -> str:
    """A file shipped in a fourresp package, found without importing the package."""
    spec = importlib.util.find_spec("fourresp")
    assert spec is not None
    assert spec.origin is not None
    return os.path.join(os.path.dirname(spec.origin), package, *parts)


_FRAMEWORK = _data("content", "data", "framework.yaml")

#: each public package and the first call of its main entry point: (shown as, code)
FIRST_USE: dict[str, tuple[str, str]] = {
    "fourresp": (
        "fourresp.load(the default framework file)",
        f"import pathlib; fourresp.load(pathlib.Path({_FRAMEWORK!r}), kind='framework')",
    ),
    "fourresp.content": ("load_framework()", "fourresp.content.load_framework()"),
    "fourresp.assessment": ("load_questionnaire()", "fourresp.assessment.load_questionnaire()"),
    "fourresp.scenario": ("load_scenario()", "fourresp.scenario.load_scenario()"),
    "fourresp.badges": ("badge(...)", "fourresp.badges.badge('fourresp', 'ready')"),
    "fourresp.supporters": (
        "open_registry().close()",
        "fourresp.supporters.open_registry().close()",
    ),
    "fourresp.exchange": (
        "to_surveyjs(load_questionnaire())",
        "import fourresp.assessment; "
        "fourresp.exchange.to_surveyjs(fourresp.assessment.load_questionnaire())",
    ),
    "fourresp.xapi": ("agent(...)", "fourresp.xapi.agent(mbox='mailto:ada@example.org')"),
}
PUBLIC = tuple(FIRST_USE)

_PROBE = """
import sys
{statement}
print(",".join(sorted({{
    name.split(".")[0] for name, module in sys.modules.items()
    if name.split(".")[0] not in sys.stdlib_module_names
    and not name.startswith(("fourresp", "_"))
    and getattr(module, "__spec__", None) is not None  # not e.g. Cython's cython_runtime
}})))
"""
_TIMED = """
import time
clock = time.{clock}
start = clock()
{statement}
print(clock() - start)
"""


_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def third_party(statement: str) -> list[str]:
    """The top-level third-party modules that running ``statement`` imports."""
    found = subprocess.run(
        [sys.executable, "-c", _PROBE.format(statement=statement)],
        env=_ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return found.split(",") if found else []


def seconds(statement: str, clock: str) -> float:
    """The time ``statement`` takes in a fresh interpreter, by ``time.<clock>``."""
    program = _TIMED.format(clock=clock, statement=statement.replace("; ", "\n"))
    out = subprocess.run(
        [sys.executable, "-c", program], env=_ENV, capture_output=True, text=True, check=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def statements() -> dict[str, tuple[str, str]]:
    """Each measure's name mapped to (its statement, its baseline's statement)."""
    found: dict[str, tuple[str, str]] = {}
    for module, (shown, use) in FIRST_USE.items():
        for name, statement in (
            (f"import {module}", f"import {module}"),
            (f"import {module}, then {shown}", f"import {module}; {use}"),
        ):
            needs = third_party(statement)
            baseline = f"import {', '.join(needs)}" if needs else "pass"
            found[name] = (statement, baseline)
    return found


def measure(repeat: int, clock: str) -> list[tuple[str, str, str, str]]:
    """One table row per measure: (measure, fourresp, baseline, ratio)."""
    measures = statements()
    samples: dict[tuple[str, str], list[float]] = {}
    for round_ in range(repeat + 1):
        # Interleave so drift on a noisy machine hits every statement alike.
        for name, (ours, base) in measures.items():
            for which, statement in (("ours", ours), ("base", base)):
                value = seconds(statement, clock)
                if round_:  # round 0 is the warm-up, the same for every statement
                    samples.setdefault((name, which), []).append(value)
    rows = []
    for name, (_, base) in measures.items():
        ours_runs, base_runs = samples[name, "ours"], samples[name, "base"]
        # Each round runs a statement and its baseline back to back, so the ratio of
        # the pair cancels what drifts over a run (another machine's load on shared
        # cores); the figure is the median of those ratios.
        ratio = median([ours / base for ours, base in zip(ours_runs, base_runs, strict=True)])
        rows.append(
            (
                name,
                f"{median(ours_runs) * 1000:.1f} ms",
                f"{median(base_runs) * 1000:.1f} ms (`{base}`)",
                f"{ratio:.2f}x",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument(
        "--wall", action="store_true", help="time by the wall clock instead of CPU time"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        _ENV["PYTHONPYCACHEPREFIX"] = cache
        rows = measure(args.repeat, "perf_counter" if args.wall else "process_time")
    print(table(rows))
    imports = [row for row in rows if ", then " not in row[0]]
    worst = max(float(row[3].rstrip("x")) for row in imports)
    print(
        f"target <= {TARGET}x for each import: {'met' if worst <= TARGET else 'MISSED'} "
        f"(worst {worst:.2f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
