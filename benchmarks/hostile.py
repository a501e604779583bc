"""How fast each hostile document is refused, against reading a clean pack of the same kind.

Every hostile document must be refused with the library's own error, each in well
under a second. The baseline, in the same run, is `fourresp.load` of the default
content pack (a normal, clean document).

    python benchmarks/hostile.py
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

import fourresp
from _common import best_of, table
from fourresp.content import default_pack_path

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from hostile_documents import HOSTILE

LIMIT_SECONDS = 1.0


def refuse(path: pathlib.Path) -> None:
    try:
        fourresp.load(path)
    except fourresp.DocumentError:
        return
    raise AssertionError(f"{path.name} was accepted")


# -- scenarios the state exploration must bound ------------------------------------
#
# Kept apart from the loader's corpus above: each scenario is valid, small to write
# and costly to explore. Each is validated in a child process (as ``fourresp
# validate`` would), which reports its time and the peak memory of the whole
# process, loading included, against the documented bound for its size.


def scenario_budgets() -> None:
    """Time and peak memory of validating each hostile scenario, in a child process."""
    import json
    import subprocess

    from hostile_scenarios import CHILD, HOSTILE_SCENARIOS, peak_limit
    from hostile_scenarios import LIMIT_SECONDS as SCENARIO_SECONDS

    rows = []
    worst = ""
    with tempfile.TemporaryDirectory() as folder:
        for name, build in HOSTILE_SCENARIOS.items():
            text = json.dumps(build())
            size = len(text.encode("utf-8"))
            path = pathlib.Path(folder) / "scenario.json"
            path.write_text(text, encoding="utf-8")
            found = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            measured = json.loads(found.stdout)
            bound = peak_limit(size)
            within = measured["peak"] < bound and measured["seconds"] < SCENARIO_SECONDS
            if not within:
                worst += f" {name}"
            rows.append(
                (
                    f"validate {name} ({size / 2**20:.1f} MiB)",
                    f"{measured['seconds']:.2f} s ({measured['check']:.2f} s checking), "
                    f"{measured['peak'] / 2**20:.0f} MiB peak",
                    f"{SCENARIO_SECONDS:.0f} s, {bound / 2**20:.0f} MiB",
                    ", ".join(c for c in measured["codes"] if c != "unmarked-aspect"),
                )
            )
    print(table(rows))
    verdict = "met" if not worst else "MISSED:" + worst
    print(f"every hostile scenario within its time and memory bound: {verdict}")


def main() -> int:
    clean = best_of(lambda: fourresp.load(default_pack_path()), repeat=5)
    rows = []
    slowest = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, (body, suffix, _code, _line) in sorted(HOSTILE.items()):
            path = pathlib.Path(folder) / f"{name}{suffix}"
            path.write_bytes(body)
            seconds = best_of(lambda path=path: refuse(path), repeat=3)
            slowest = max(slowest, seconds)
            rows.append(
                (
                    f"refuse {name} ({len(body):,} bytes)",
                    f"{seconds * 1000:.1f} ms",
                    f"{clean * 1000:.1f} ms",
                    f"{seconds / clean:.2f}x",
                )
            )
    print(table(rows))
    verdict = "met" if slowest < LIMIT_SECONDS else "MISSED"
    print(f"every refusal under {LIMIT_SECONDS:.0f} s: {verdict} (slowest {slowest * 1000:.0f} ms)")
    scenario_budgets()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
