"""Time and peak memory of refusing each hostile document, each in a fresh child process.

Every hostile document must be refused with the library's own error within the
documented bounds: 10 s each, and a peak resident memory under 256 MB for an
input of up to 1 MB, under 1 GB for up to 10 MB. The baseline, measured the same
way in the same run, is validating the default content pack (a normal, clean
document): its peak is what the interpreter and the library cost before any
input does.

    python benchmarks/hostile.py            # every document
    python benchmarks/hostile.py --quick    # the small ones and the 1 MB ones

Other parts of the library add their own blocks of cases below, in functions of
their own.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import tempfile
import time

from _common import table

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from hostile_documents import HOSTILE, LARGE

MiB = 1024 * 1024
TIME_LIMIT = 10.0
TESTS = pathlib.Path(__file__).resolve().parent.parent / "tests"

# Runs in the child: validate the file, report seconds, peak memory and the outcome.
_CHILD = """
import json, sys, time
import fourresp
started = time.perf_counter()
problems = fourresp.validate(__import__("pathlib").Path(sys.argv[1]))
seconds = time.perf_counter() - started
sys.path.insert(0, sys.argv[2])
from peak import own_peak  # VmHWM: the child's own peak, not one inherited at fork
peak = own_peak()
errors = [p for p in problems if p.severity == "error"]
print(json.dumps({"seconds": seconds, "peak": peak, "errors": len(errors)}))
"""


def measure(path: pathlib.Path) -> dict[str, float]:
    """Seconds and peak bytes of validating ``path`` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(TESTS)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT * 6,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def bound_for(size: int) -> int:
    """The documented peak memory bound for an input of ``size`` bytes."""
    return 256 * MiB if size <= MiB else 1024 * MiB


def loader_cases(
    folder: pathlib.Path, *, quick: bool, write: bool = True
) -> list[tuple[str, pathlib.Path]]:
    """The loader's hostile documents (written to ``folder`` when ``write``)."""
    cases = []
    for name, (body, suffix, _code, _line) in sorted(HOSTILE.items()):
        path = folder / f"{name}{suffix}"
        if write:
            path.write_bytes(body)
        cases.append((name, path))
    for name, (megabytes, make) in LARGE.items():
        if quick and megabytes > 1:
            continue
        if write:
            body, suffix = make(megabytes)
            (folder / f"{name}{suffix}").write_bytes(body)
        cases.append((name, folder / name))
    return cases


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
                [sys.executable, "-c", CHILD, str(path), str(TESTS)],
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


# -- commands given hostile files and input ----------------------------------------
#
# Each runs the command line in a child process, which reports its own peak memory
# as it exits (tests/peak.py); a case that blocks is killed after 6x the limit and
# counted as missed. "{f}" is the hostile file, "{zero}" a .jsonl name for /dev/zero,
# "{fifo}" a FIFO nobody writes to.

_LAUNCH_CLI = "from fourresp.cli import main\nraise SystemExit(main())\n"


def _cli_cases() -> dict[str, tuple[list[str], bytes, bytes, str]]:
    """name -> (argv, file body, standard input, file suffix)."""
    story = b':: StoryData\n{"start": "start"}\n\n' + b"::\n" * 400_000
    return {
        "import twee: 400,000 passages all named ''": (
            ["import", "twee", "{f}"],
            story,
            b"",
            ".twee",
        ),
        "assess: 200,000 lines of 'b' on the first question": (
            ["assess"],
            b"",
            b"b\n" * 200_000,
            "",
        ),
        "assess-batch: 250,000 refused rows": (
            ["assess-batch", "{f}"],
            b"[1]\n" * 250_000,
            b"",
            ".jsonl",
        ),
        "assess-batch of /dev/zero (a line that never ends)": (
            ["assess-batch", "{zero}"],
            b"",
            b"",
            "",
        ),
        "supporters import of /dev/zero": (
            ["supporters", "import", "--db", "{db}", "{zero}"],
            b"",
            b"",
            "",
        ),
        "validate a FIFO nobody writes to": (["validate", "{fifo}"], b"", b"", ""),
    }


def cli_cases() -> list[str]:
    """Time and peak memory of each hostile command line; the names of those missed."""
    import os

    from peak import REPORT_AT_EXIT

    rows = []
    missed = []
    for name, (argv, body, stdin, suffix) in _cli_cases().items():
        with tempfile.TemporaryDirectory() as folder:
            here = pathlib.Path(folder)
            (here / f"hostile{suffix}").write_bytes(body)
            (here / "zero.jsonl").symlink_to("/dev/zero")
            os.mkfifo(here / "fifo.yaml")
            places = {
                "{f}": str(here / f"hostile{suffix}"),
                "{zero}": str(here / "zero.jsonl"),
                "{fifo}": str(here / "fifo.yaml"),
                "{db}": str(here / "s.db"),
            }
            env = {**os.environ, "FOURRESP_PEAK_FILE": str(here / ".peak")}
            started = time.perf_counter()
            try:
                subprocess.run(
                    [sys.executable, "-c", REPORT_AT_EXIT + _LAUNCH_CLI]
                    + [places.get(part, part) for part in argv],
                    input=stdin,
                    capture_output=True,
                    env=env,
                    timeout=TIME_LIMIT * 6,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                missed.append(f"{name}: blocked")
                rows.append((name, "blocked", f"{TIME_LIMIT:.0f} s", ""))
                continue
            seconds = time.perf_counter() - started
            peak = int((here / ".peak").read_text()) if (here / ".peak").exists() else 0
        size = len(body) + len(stdin)
        if seconds >= TIME_LIMIT or peak >= bound_for(size):
            missed.append(f"{name}: {seconds:.1f} s, {peak / MiB:.0f} MB")
        rows.append(
            (
                f"{name} ({size:,} bytes)",
                f"{seconds:.2f} s, {peak / MiB:.0f} MB peak",
                f"{TIME_LIMIT:.0f} s, {bound_for(size) / MiB:.0f} MB",
                "",
            )
        )
    print(table(rows))
    print("commands given hostile files and input, each in a child process (startup included)")
    return missed


def main() -> int:
    from fourresp.content import default_pack_path

    arguments = sys.argv[1:]
    quick = "--quick" in arguments
    if "--write" in arguments:  # in a child: see below
        loader_cases(pathlib.Path(arguments[-1]), quick=quick)
        return 0
    baseline = measure(default_pack_path())
    rows = []
    missed = []
    with tempfile.TemporaryDirectory() as folder:
        # The documents are made in a child process: a child started by this one
        # would otherwise report this process's peak memory (Linux keeps the peak
        # across exec), not its own.
        options = ["--quick"] if quick else []
        subprocess.run([sys.executable, __file__, *options, "--write", folder], check=True)
        names = {name for name, _ in loader_cases(pathlib.Path(folder), quick=quick, write=False)}
        for path in sorted(pathlib.Path(folder).iterdir()):
            name = path.stem
            if name not in names:
                continue
            size = path.stat().st_size
            found = measure(path)
            if found["errors"] == 0:
                missed.append(f"{name}: accepted")
            if found["seconds"] >= TIME_LIMIT:
                missed.append(f"{name}: {found['seconds']:.1f} s")
            if found["peak"] >= bound_for(size):
                missed.append(f"{name}: {found['peak'] / MiB:.0f} MB peak")
            rows.append(
                (
                    f"refuse {name} ({size:,} bytes): time / peak",
                    f"{found['seconds'] * 1000:,.0f} ms / {found['peak'] / MiB:,.0f} MB",
                    f"{baseline['seconds'] * 1000:,.0f} ms / {baseline['peak'] / MiB:,.0f} MB",
                    f"{found['seconds'] / baseline['seconds']:.1f}x / "
                    f"{found['peak'] / baseline['peak']:.1f}x",
                )
            )
    print(table(rows))
    print("baseline: validating the default content pack, in a fresh interpreter")
    scenario_budgets()
    missed += cli_cases()
    if missed:
        print("bounds MISSED: " + "; ".join(missed))
        return 1
    print(f"every refusal under {TIME_LIMIT:.0f} s and within its memory bound: met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
