"""The state exploration within its budgets: scenarios small to write and costly to explore.

Each gets its exact analysis or a warning saying what was skipped (never an error
the scenario does not have), within the documented memory bound.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

from fourresp._document._convert import shared_converter
from fourresp.content import load_framework
from fourresp.scenario import Scenario, check_scenario
from fourresp.scenario._models import scenario_hooks
from hostile_scenarios import (
    CHILD,
    independent_booleans,
    marked_loop,
    peak_limit,
    visited_scenes,
    wide_counter,
)

FRAMEWORK = load_framework()


def _check(document: dict) -> tuple[set[str], int | None]:
    report = check_scenario(
        shared_converter(scenario_hooks).structure(document, Scenario), framework=FRAMEWORK
    )
    assert report.ok, report.errors[:3]
    return {d.code for d in report.diagnostics}, report.states


def test_wide_states_are_stopped_by_their_size_not_their_number():
    scenario = shared_converter(scenario_hooks).structure(independent_booleans(3_000), Scenario)
    report = check_scenario(scenario, framework=FRAMEWORK)
    (warning,) = [d for d in report.diagnostics if d.code == "state-space-too-large"]
    assert "MiB of states" in warning.message
    assert "3,001 values each" in warning.message
    assert report.ok
    assert report.states is None
    assert all(ending.reachable is None for ending in report.endings)


def test_a_few_booleans_are_explored_exactly():
    codes, states = _check(independent_booleans(6))
    assert "state-space-too-large" not in codes
    assert states is not None
    assert states > 2**6


def test_visited_flags_nobody_reads_any_more_are_forgotten():
    # each scene's flag is read once, soon after: the live ones stay few
    codes, states = _check(visited_scenes(40))
    assert "state-space-too-large" not in codes
    assert states is not None


def test_many_visited_conditions_are_bounded_with_a_warning():
    codes, states = _check(visited_scenes(2_000))
    assert "state-space-too-large" in codes
    assert states is None


def test_a_long_marked_loop_is_exact_and_fast():
    scenario = shared_converter(scenario_hooks).structure(marked_loop(500, 20), Scenario)
    report = check_scenario(scenario, framework=FRAMEWORK)
    assert report.states == 501
    assert "analysis-skipped" not in {d.code for d in report.diagnostics}
    (done,) = report.endings
    # every responsibility is marked + and - round the loop: both sides grow without bound
    client = next(r for r in done.ranges if r.responsibility == "client")
    assert client.max is None


def test_a_counter_round_a_loop_is_bounded_with_a_warning():
    codes, _ = _check(wide_counter(50, 1_000_000))
    assert "state-space-too-large" in codes


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: independent_booleans(3_000), "state-space-too-large"),
        (lambda: marked_loop(2_000, 20), "unbounded-score"),
    ],
    ids=["1 MB of independent booleans", "2,000-scene loop, 20 marked choices a scene"],
)
@pytest.mark.slow  # megabyte-sized scenarios, each checked in a child process
def test_validate_stays_within_the_documented_peak_memory(tmp_path, build, code):
    text = json.dumps(build())
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    found = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(pathlib.Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    measured = json.loads(found.stdout)
    assert code in measured["codes"]
    assert measured["peak"] < peak_limit(len(text.encode())), measured


def test_validation_leaves_the_garbage_collector_alone(monkeypatch):
    import gc

    def refuse() -> None:
        raise AssertionError("validation must not switch the collector off")

    monkeypatch.setattr(gc, "disable", refuse)
    monkeypatch.setattr(gc, "freeze", refuse)
    codes, states = _check(marked_loop(50, 3))
    assert gc.isenabled()
    assert states == 51
    assert "unbounded-score" in codes
