"""Large scenario documents: the same problems as the full schema run, in bounded time and memory.

The schema stage accepts a valid document with a quick check and lets jsonschema
explain only the parts of an invalid one that the check refuses; the problems
must be exactly those of a plain jsonschema run. Through the command line, the
large hostile scenarios must load within the documented bounds.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time
from typing import Any
from unittest import mock

import pytest
from jsonschema import Draft202012Validator

import fourresp
from fourresp._document import _schemas
from hostile_scenarios import LIMIT_SECONDS, independent_booleans, peak_limit, visited_scenes
from peak import REPORT_AT_EXIT


def _plain(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        _schemas._flat(name),
        registry=_schemas._registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _broken(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with a few defects far apart: a type, a pattern, an unknown key."""
    document = json.loads(json.dumps(document))
    names = list(document["scenes"])
    document["scenes"][names[1]]["text"] = 5
    document["scenes"][names[len(names) // 2]]["choices"][0]["goto"] = "Not An Id"
    document["scenes"][names[-2]]["extra"] = True
    document["scenes"]["Bad Scene"] = {"text": " "}
    return document


@pytest.mark.parametrize(
    "build",
    [lambda: independent_booleans(600), lambda: visited_scenes(400)],
    ids=["booleans", "visited"],
)
def test_problems_are_those_of_the_full_schema_run(build):
    document = {"kind": "scenario", **_broken(build())}
    text = json.dumps(document, indent=1)
    quick = fourresp.validate(text)
    with (
        mock.patch.object(_schemas, "_quick_check", return_value=lambda _value: False),
        mock.patch.object(_schemas, "validator_for", _plain),
    ):
        full = fourresp.validate(text)
    assert quick == full
    paths = {problem.path for problem in quick if problem.code == "schema"}
    for end in (".text", ".goto", ".extra", '["Bad Scene"].text'):
        assert any(path.endswith(end) for path in paths), (end, paths)


def test_a_valid_large_scenario_never_reaches_jsonschema():
    document = {"kind": "scenario", **independent_booleans(300)}
    with mock.patch.object(_schemas, "validator_for", side_effect=AssertionError("explained")):
        problems = fourresp.validate(document)
    assert not [problem for problem in problems if problem.severity == "error"]


# -- the command line on 10 MB scenarios, each in a fresh process --------------------


def _command(argv: list[str], folder: pathlib.Path) -> tuple[int, bytes, float, float, int]:
    """Exit code, what it printed, wall and CPU seconds, and peak bytes of one command."""
    peak_file = folder / "peak"
    environment = {**os.environ, "FOURRESP_PEAK_FILE": str(peak_file)}
    environment.pop("FOURRESP_DEBUG", None)
    launch = REPORT_AT_EXIT + "from fourresp.cli import run\nrun()\n"
    printed = folder / "printed"
    started = time.perf_counter()
    with printed.open("wb") as output:
        child = subprocess.Popen(
            [sys.executable, "-c", launch, *argv], stdout=output, stderr=output, env=environment
        )
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = code = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return code, printed.read_bytes(), wall, cpu, int(peak_file.read_text())


_LARGE = {
    "20,000 scenes with visited conditions (7 MB)": lambda: visited_scenes(20_000),
    "30,000 booleans (10.7 MB)": lambda: independent_booleans(30_000),
    "30,000 booleans, one scene's text a number": lambda: _broken(independent_booleans(30_000)),
}


@pytest.mark.slow  # 7 to 11 MB documents, each command in a child process
@pytest.mark.parametrize("name", sorted(_LARGE))
@pytest.mark.parametrize("command", ["validate", "graph", "play"])
def test_the_command_line_loads_large_scenarios_within_the_bounds(name, command, tmp_path):
    document = {"kind": "scenario", **_LARGE[name]()}
    path = tmp_path / "large.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    extra = ["--choices", document["scenes"]["s0"]["choices"][0]["id"]] if command == "play" else []
    code, printed, wall, cpu, peak = _command([command, str(path), *extra], tmp_path)
    assert b"Traceback" not in printed, printed[-2000:]
    assert code in (0, 1), printed[-2000:]
    # The bound is on the work done (the child's own CPU time): on a machine shared
    # with other work, the wall time is that work's share of the machine. A hang
    # still fails: the wall time may be a few times the CPU time, not without end.
    assert cpu < LIMIT_SECONDS, f"{cpu:.1f} s of CPU"
    assert wall < 6 * LIMIT_SECONDS, f"{wall:.1f} s"
    assert peak < peak_limit(path.stat().st_size), f"{peak / 2**20:.0f} MiB"
    if "number" in name:
        assert code == 1
        assert b"$.scenes.s1.text" in printed
