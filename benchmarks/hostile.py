"""Time and peak memory of refusing each hostile document, each in a fresh child process.

Every hostile document must be refused with the library's own error within the
documented bounds: 10 s each, and a peak resident memory under 256 MB for an
input of up to 1 MB, under 1 GB for up to 10 MB. The baseline, measured the same
way in the same run, is validating the default content pack (a normal, clean
document): its peak is what the interpreter and the library cost before any
input does.

    python benchmarks/hostile.py            # every document
    python benchmarks/hostile.py --quick    # the small ones and the 1 MB ones
    python benchmarks/hostile.py --commands # only the commands on large scenarios
    python benchmarks/hostile.py --schema   # only the schema stage, quick checks or not

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
            within = measured["peak"] < bound and measured["cpu"] < SCENARIO_SECONDS
            if not within:
                worst += f" {name}"
            rows.append(
                (
                    f"validate {name} ({size / 2**20:.1f} MiB)",
                    f"{measured['seconds']:.2f} s ({measured['cpu']:.2f} s CPU, "
                    f"{measured['check']:.2f} s checking), "
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

_LAUNCH_CLI = "from fourresp.cli import run\nrun()\n"


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


# -- the command line on large scenarios -------------------------------------------
#
# Each scenario above, and two large broken ones, through the commands that load a
# scenario, each in a fresh process as a user runs them: wall time, the child's own
# CPU time (what an idle machine would take) and its peak memory, against the
# documented bounds.


def _more_scenarios() -> dict[str, dict[str, object]]:
    """Two broken 10 MB scenarios, and the most scenes 10 MB holds in a plain chain."""
    from hostile_scenarios import ENDINGS, independent_booleans

    one_bad = independent_booleans(30_000)
    one_bad["scenes"]["s29999"]["text"] = 5
    every_bad = independent_booleans(30_000)
    for scene in every_bad["scenes"].values():
        scene["extra"] = 1
    count = 120_000
    chain: dict[str, object] = {
        f"s{n}": {"text": "x", "choices": [{"id": "c", "text": "x", "goto": f"s{n + 1}"}]}
        for n in range(count)
    }
    chain[f"s{count}"] = {"text": "x", "ending": "done"}
    return {
        "10 MB, one scene's text a number": one_bad,
        "10 MB, an unknown key in every scene": every_bad,
        "120,000 scenes in a chain": {
            "id": "chain",
            "version": "1.0",
            "title": "Chain",
            "introduction": "On and on.",
            "start": "s0",
            "scenes": chain,
            "endings": ENDINGS,
        },
    }


def _command(argv: list[str], folder: pathlib.Path) -> tuple[int, float, float, int]:
    """Exit code, wall seconds, CPU seconds and peak bytes of one ``fourresp`` command."""
    import os
    import time

    from peak import REPORT_AT_EXIT

    peak_file = folder / "peak"
    environment = {**os.environ, "FOURRESP_PEAK_FILE": str(peak_file)}
    launch = REPORT_AT_EXIT + "from fourresp.cli import run\nrun()\n"
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", launch, *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return child.returncode, seconds, cpu, int(peak_file.read_text())


def scenario_commands(*, quick: bool) -> list[str]:
    """``validate``, ``graph`` and ``play`` of each large scenario; the bounds missed."""
    from hostile_scenarios import HOSTILE_SCENARIOS, LIMIT_SECONDS, peak_limit

    documents = {name: build() for name, build in HOSTILE_SCENARIOS.items()}
    documents.update(_more_scenarios())
    rows, missed = [], []
    with tempfile.TemporaryDirectory() as name:
        folder = pathlib.Path(name)
        for label, document in documents.items():
            text = json.dumps({"kind": "scenario", **document})
            size = len(text.encode("utf-8"))
            if quick and size > 2 * MiB:
                continue
            path = folder / "scenario.json"
            path.write_text(text, encoding="utf-8")
            first = document["scenes"]["s0"]["choices"][0]["id"]
            for command in (["validate"], ["graph"], ["play", "--choices", first]):
                argv = [command[0], str(path), *command[1:]]
                code, seconds, cpu, peak = _command(argv, folder)
                bound = peak_limit(size)
                # Judged on the child's CPU time: on a shared machine the wall time is
                # that work stretched by everything else running (both are shown).
                if cpu >= LIMIT_SECONDS or peak >= bound or code not in (0, 1):
                    missed.append(f"{command[0]} {label}: {cpu:.1f} s CPU, exit {code}")
                rows.append(
                    (
                        f"fourresp {command[0]}: {label} ({size / MiB:.1f} MiB)",
                        f"{seconds:.2f} s ({cpu:.2f} s CPU), {peak / MiB:.0f} MiB peak",
                        f"{LIMIT_SECONDS:.0f} s, {bound / MiB:.0f} MiB",
                        f"exit {code}",
                    )
                )
    print(table(rows))
    verdict = "met" if not missed else "MISSED: " + "; ".join(missed)
    print(f"every command on every large scenario within its bounds (CPU time): {verdict}")
    return missed


def schema_stage() -> None:
    """The schema stage with and without the quick checks, in turns, on large scenarios."""
    from unittest import mock

    from jsonschema import Draft202012Validator

    from _common import best_of_each
    from fourresp._document import _schemas
    from hostile_scenarios import independent_booleans, visited_scenes

    def plain(name: str) -> Draft202012Validator:
        # the validator as it was built before the quick checks: every part visited
        return Draft202012Validator(
            _schemas._flat(name),
            registry=_schemas._registry(),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    def problems(document: object) -> list[object]:
        return list(_schemas.schema_problems("scenario", document))

    def without(document: object) -> list[object]:
        with (
            mock.patch.object(_schemas, "_quick_check", return_value=lambda _value: False),
            mock.patch.object(_schemas, "validator_for", plain),
        ):
            return list(_schemas.schema_problems("scenario", document))

    broken = independent_booleans(30_000)
    broken["scenes"]["s29999"]["text"] = 5
    cases = {
        "3,000 independent booleans (1.1 MB), valid": independent_booleans(3_000),
        "20,000 scenes with visited conditions (7 MB), valid": visited_scenes(20_000),
        "30,000 booleans (10.7 MB), one scene's text a number": broken,
    }
    rows = []
    for label, document in cases.items():
        assert problems(document) == without(document)
        best = best_of_each(
            {"quick": lambda d=document: problems(d), "plain": lambda d=document: without(d)},
            repeat=2,
        )
        rows.append(
            (
                f"schema stage: {label}",
                f"{best['quick'] * 1000:,.0f} ms",
                f"{best['plain'] * 1000:,.0f} ms (jsonschema over every part)",
                f"{best['plain'] / best['quick']:.1f}x faster",
            )
        )
    print(table(rows))


def main() -> int:
    from fourresp.content import default_pack_path

    arguments = sys.argv[1:]
    quick = "--quick" in arguments
    if "--schema" in arguments:  # only the schema stage, with and without its quick checks
        schema_stage()
        return 0
    if "--commands" in arguments:  # only the command line on large scenarios
        return 1 if scenario_commands(quick=quick) else 0
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
    schema_stage()
    missed += scenario_commands(quick=quick)
    if missed:
        print("bounds MISSED: " + "; ".join(missed))
        return 1
    print(f"every refusal under {TIME_LIMIT:.0f} s and within its memory bound: met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
