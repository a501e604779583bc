"""Run every benchmark in this folder, print each one's report, then one table of all.

    python benchmarks/run_all.py        (or: make bench)

The combined table at the end is the one docs/performance.md shows.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
HEAD = ("measure", "fourresp", "baseline", "ratio")


def main() -> int:
    scripts = sorted(
        path
        for path in HERE.glob("*.py")
        if not path.name.startswith("_") and path.name != "run_all.py"
    )
    failed = 0
    rows: list[list[str]] = []
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        result = subprocess.run(
            [sys.executable, str(script)], cwd=HERE, check=False, capture_output=True, text=True
        )
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        failed += result.returncode != 0
        for line in result.stdout.splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            is_row = line.startswith("| ") and len(cells) == 4 and tuple(cells) != HEAD
            if is_row and not set(cells[0]) <= {"-", " "}:  # not the separator line
                rows.append([script.stem, *cells])
    widths = [max(len(row[i]) for row in [["benchmark", *HEAD], *rows]) for i in range(5)]
    print("\n## all benchmarks\n")
    for number, row in enumerate([["benchmark", *HEAD], *rows]):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if number == 0:
            print("| " + " | ".join("-" * width for width in widths) + " |")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
