"""Scenarios that are small to write and costly to explore: the exploration's budget cases.

Each builder returns a scenario *document* (plain data, as a user would write it)
of about the size asked for. ``tests/test_scenario_budget.py`` loads them under a
memory cap and ``benchmarks/hostile.py`` times them and measures their peak
memory, each in a child process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

ASPECTS = ("client-performance-goals", "learners-inspire", "peers-ethics", "self-best-practice")
ENDINGS = {"done": {"title": "Done", "verdict": "done", "debrief": "Done."}}


def _choice(
    id: str,
    goto: str,
    condition: dict[str, Any] | None = None,
    marks: list[dict[str, Any]] | None = None,
    updates: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    choice: dict[str, Any] = {"id": id, "text": "Go.", "goto": goto}
    if condition is not None:
        choice["condition"] = condition
    effects = {"marks": marks or [], "set": updates or []}
    choice["effects"] = {key: value for key, value in effects.items() if value}
    return choice


def _document(scenes: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "id": "hostile",
        "version": "1.0",
        "title": "Hostile",
        "introduction": "Costly to explore.",
        "start": "s0",
        "scenes": scenes,
        "endings": ENDINGS,
        **more,
    }


def independent_booleans(count: int = 3_000) -> dict[str, Any]:
    """``count`` booleans, each set or not in turn, all read at the end: 2**count states."""
    scenes: dict[str, Any] = {}
    for n in range(count):
        scenes[f"s{n}"] = {
            "text": "Decide.",
            "choices": [
                _choice("yes", f"s{n + 1}", updates=[{"var": f"b{n}", "to": True}]),
                _choice("no", f"s{n + 1}"),
            ],
        }
    scenes[f"s{count}"] = {
        "text": "Check.",
        "choices": [
            _choice(f"c{n}", "end", {"var": f"b{n}", "op": "==", "value": True})
            for n in range(count)
        ]
        + [_choice("any", "end")],
    }
    scenes["end"] = {"text": "The end.", "ending": "done"}
    variables = {f"b{n}": {"type": "boolean", "initial": False} for n in range(count)}
    return _document(scenes, variables=variables)


def visited_scenes(count: int = 20_000) -> dict[str, Any]:
    """A chain of ``count`` scenes with a detour each; every scene asks about earlier ones."""
    scenes: dict[str, Any] = {}
    for n in range(count):
        following = f"s{n + 1}" if n + 1 < count else "end"
        scenes[f"s{n}"] = {
            "text": "On.",
            "choices": [
                _choice("on", following),
                _choice("detour", f"d{n}"),
            ]
            + ([_choice("back", following, {"visited": f"d{(n - 1) // 2}"})] if n else []),
        }
        scenes[f"d{n}"] = {"text": "Detour.", "choices": [_choice("on", following)]}
    scenes["end"] = {"text": "The end.", "ending": "done"}
    return _document(scenes)


def marked_loop(count: int = 2_000, marks: int = 20) -> dict[str, Any]:
    """A loop of ``count`` scenes, ``marks`` marked choices each, and a way out of each."""
    scenes: dict[str, Any] = {}
    for n in range(count):
        choices = [
            _choice(
                f"c{k}",
                f"s{(n + 1) % count}",
                marks=[{"aspect": ASPECTS[(n + k) % 4], "sign": "+" if (n + k) % 3 else "-"}],
            )
            for k in range(marks)
        ]
        choices.append(_choice("out", "end"))
        scenes[f"s{n}"] = {"text": "Round.", "choices": choices}
    scenes["end"] = {"text": "The end.", "ending": "done"}
    return _document(scenes)


def wide_counter(count: int = 200, high: int = 1_000_000) -> dict[str, Any]:
    """A loop that counts to a million in a few scenes, with totals read by conditions."""
    scenes: dict[str, Any] = {}
    for n in range(count):
        scenes[f"s{n}"] = {
            "text": "Count.",
            "choices": [
                _choice(
                    "up",
                    f"s{(n + 1) % count}",
                    marks=[{"aspect": ASPECTS[n % 4], "sign": "+"}],
                    updates=[{"var": "counter", "add": 1}],
                ),
                _choice(
                    "out",
                    "end",
                    {
                        "all": [
                            {"var": "counter", "op": ">", "value": n},
                            {"responsibility": "client", "op": "<", "value": 50},
                        ]
                    },
                ),
            ],
        }
    scenes["end"] = {"text": "The end.", "ending": "done"}
    variables = {"counter": {"type": "integer", "initial": 0, "min": 0, "max": high}}
    return _document(scenes, variables=variables)


def padded(build: Callable[[], dict[str, Any]], size: int) -> Callable[[], dict[str, Any]]:
    """``build``'s document with its introduction padded to about ``size`` bytes in all."""

    def padded_build() -> dict[str, Any]:
        document = build()
        missing = size - len(json.dumps(document))
        if missing > 0:
            document["introduction"] += " " + "x" * missing
        return document

    return padded_build


#: name -> builder of a scenario document that the exploration must bound
HOSTILE_SCENARIOS: dict[str, Callable[[], dict[str, Any]]] = {
    "3,000 independent booleans": independent_booleans,
    "20,000 scenes with visited conditions": visited_scenes,
    "2,000-scene loop, 20 marked choices a scene": marked_loop,
    "counter to a million round a loop, totals read": wide_counter,
    "10 MB: 30,000 independent booleans": lambda: independent_booleans(30_000),
}

LIMIT_SECONDS = 10.0


def peak_limit(size: int) -> int:
    """The peak memory bound, in bytes, for an input of ``size`` bytes.

    Documented: 256 MiB for any 1 MB input, 1 GiB for any 10 MB one. Held here to
    256 MiB up to 2 MiB, so the "1 MB" cases (a little over 2**20 bytes as
    written) are judged by the stricter bound.
    """
    return 256 * 2**20 if size <= 2 * 2**20 else 2**30


# Run in a child process: validate a scenario file as ``fourresp validate`` does, then
# print the seconds it took (wall and CPU: on a shared machine the wall time is the
# work stretched by everything else running), the peak memory of the process and
# the codes found.
CHILD = """
import json, pathlib, sys, time
import fourresp
start, start_cpu = time.perf_counter(), time.process_time()
problems = fourresp.validate(pathlib.Path(sys.argv[1]), kind="scenario")
seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
sys.path.insert(0, sys.argv[2])
from peak import own_peak  # VmHWM: the child's own peak, not one inherited at fork
peak = own_peak()
codes = sorted({problem.code for problem in problems})
# the validator's own share: checking the scenario once it is read
from fourresp._document._convert import shared_converter
from fourresp.scenario import Scenario, check_scenario
from fourresp.scenario._models import scenario_hooks
document = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
scenario = shared_converter(scenario_hooks).structure(document, Scenario)
start = time.perf_counter()
check_scenario(scenario)
check = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cpu": cpu, "check": check, "peak": peak, "codes": codes}))
"""
