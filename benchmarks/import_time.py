"""What importing each public part of fourresp costs on top of its own third-party needs.

For each of ``fourresp`` and its public subpackages, the third-party modules it
imports are found in a fresh interpreter (``sys.modules`` after the import, less
the standard library); the baseline, in the same run, is importing exactly those
modules in a fresh interpreter. Target: each import <= 1.2x its baseline.
Statements take turns (interleaved), each in its own fresh interpreter, and the
figure is the median of the runs.

    python benchmarks/import_time.py [--repeat 21]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from _common import import_seconds, median, table

TARGET = 1.2
PUBLIC = (
    "fourresp",
    "fourresp.content",
    "fourresp.assessment",
    "fourresp.scenario",
    "fourresp.badges",
    "fourresp.supporters",
    "fourresp.exchange",
    "fourresp.xapi",
)
_PROBE = """
import sys
import {module}
print(",".join(sorted({{
    name.split(".")[0] for name in sys.modules
    if name.split(".")[0] not in sys.stdlib_module_names
    and not name.startswith(("fourresp", "_"))
}})))
"""


def third_party(module: str) -> list[str]:
    """The top-level third-party modules that importing ``module`` imports."""
    found = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return found.split(",") if found else []


def measure(repeat: int) -> list[tuple[str, str, str, str]]:
    statements: dict[str, tuple[str, str]] = {}
    for module in PUBLIC:
        needs = third_party(module)
        baseline = f"import {', '.join(needs)}" if needs else "pass"
        statements[module] = (f"import {module}", baseline)
    samples: dict[str, list[float]] = {}
    # Interleave so drift on a noisy machine hits every statement alike.
    for _ in range(repeat):
        for module, (ours, base) in statements.items():
            samples.setdefault(module, []).extend(import_seconds(ours, repeat=1))
            samples.setdefault(f"base {module}", []).extend(import_seconds(base, repeat=1))
    rows = []
    for module, (ours, base) in statements.items():
        value, baseline = median(samples[module]), median(samples[f"base {module}"])
        rows.append(
            (
                ours,
                f"{value * 1000:.1f} ms",
                f"{baseline * 1000:.1f} ms (`{base}`)",
                f"{value / baseline:.2f}x",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    rows = measure(args.repeat)
    print(table(rows))
    worst = max(float(row[3].rstrip("x")) for row in rows)
    print(f"target <= {TARGET}x: {'met' if worst <= TARGET else 'MISSED'} (worst {worst:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
