"""Run every benchmark in this folder and print their tables one after another.

python benchmarks/run_all.py        (or: make bench)
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(
        path
        for path in HERE.glob("*.py")
        if not path.name.startswith("_") and path.name != "run_all.py"
    )
    failed = 0
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE, check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
