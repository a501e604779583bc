"""Scenario validation and play at scale.

1. **Validator** (every structural check: references, ids, variables and types,
   aspects, reachability, ways out, endings, impossible conditions, loops and
   unbounded scores, coverage; not the state-space exploration) on a generated
   scenario of 100,000 scenes and 300,000 choices, against networkx building the
   same graph and computing the descendants of the start and the ancestors of the
   endings, in the same run. Target: ratio <= 1.0.
2. **Growth**: the same at twice the size. Target: at most 2.2x the time.
3. **Runner**: a walk of choices (conditions and effects included) through the
   runner against a minimal dict-based loop doing the same walk. Target: <= 2x.
4. **Whole-scenario check** (``check_scenario`` with default options, what
   ``fourresp validate`` runs: both passes, the state exploration and the score
   ranges) on generated scenarios of 100, 200, 400, 800 and 1,600 scenes, all
   timed in turns after one warm-up call each. Targets: each doubling at most
   2.5x the time, 400 scenes under 1 s; the default scenario's report as before.

    python benchmarks/scenario.py [--scenes 100000] [--repeat 5] [--whole-only]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import time
from collections.abc import Callable
from typing import Any

from _common import best_of_each, table
from fourresp.content import load_framework
from fourresp.scenario import (
    Choice,
    Effects,
    Ending,
    Mark,
    Runner,
    Scenario,
    Scene,
    Update,
    Variable,
    VariableIs,
    check_scenario,
    check_structure,
    load_scenario,
)

WHOLE_SIZES = (100, 200, 400, 800, 1600)


def generate(scenes: int, seed: int = 5) -> Scenario:
    """A scenario of ``scenes`` scenes, three choices each, loops and conditions included."""
    rng = random.Random(seed)
    aspects = [aspect.id for aspect in load_framework().aspects]
    ending_count = max(1, scenes // 1000)
    last_open = scenes - ending_count - 1
    items = []
    for number in range(scenes):
        if number > last_open:
            items.append(
                Scene(id=f"s{number}", text="The end.", ending=f"e{number % ending_count}")
            )
            continue
        near = number + 1
        far = min(scenes - 1, number + rng.randint(2, 50))
        if number > last_open - ending_count:  # the last open scenes lead to every ending
            far = last_open + 1 + (last_open - number)
        back = max(0, number - rng.randint(1, 20))
        choices = (
            Choice(
                id="on",
                text="Carry on",
                goto=f"s{near}",
                effects=Effects(marks=(Mark(aspect=rng.choice(aspects), sign="+"),)),
            ),
            Choice(
                id="jump",
                text="Jump ahead",
                goto=f"s{far}",
                effects=Effects(
                    marks=(Mark(aspect=rng.choice(aspects), sign="-", weight=2),),
                    set=(Update(var="energy", add=-1),),
                ),
            ),
            Choice(
                id="back",
                text="Go back",
                goto=f"s{back}",
                condition=VariableIs(var="energy", op=">", value=0),
                effects=Effects(set=(Update(var="energy", add=1),)),
            ),
        )
        items.append(Scene(id=f"s{number}", text="A scene.", choices=choices))
    return Scenario(
        id="generated",
        version="1.0",
        title="Generated",
        introduction="A large generated scenario.",
        start="s0",
        scenes=tuple(items),
        endings=tuple(
            Ending(id=f"e{n}", title="End", verdict="done", debrief="Done.")
            for n in range(ending_count)
        ),
        variables=(Variable(name="energy", type="integer", initial=3, min=0, max=5),),
        order="authored",  # the walk below picks among choices in document order
    )


def networkx_baseline(scenario: Scenario) -> Any:
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_edges_from(
        (scene.id, choice.goto) for scene in scenario.scenes for choice in scene.choices
    )
    graph.add_nodes_from(scene.id for scene in scenario.scenes)
    sink = "__endings__"
    graph.add_edges_from((scene.id, sink) for scene in scenario.scenes if scene.ending)
    return nx.descendants(graph, scenario.start), nx.ancestors(graph, sink)


def walk_choices(scenario: Scenario, steps: int, seed: int = 9) -> list[str]:
    """A walk of open choices, found with the runner, replayed by both contenders."""
    rng = random.Random(seed)
    runner = Runner(scenario)
    run = runner.start()
    chosen = []
    while len(chosen) < steps and not run.finished:
        choice = rng.choice(runner.choices(run)).id
        chosen.append(choice)
        run = runner.choose(run, choice)
    return chosen


def runner_walk(runner: Runner, choices: list[str]) -> int:
    run = runner.start()
    for choice in choices:
        run = runner.choose(run, choice)
    return run.length


def dict_walk(plain: dict[str, Any], start: str, choices: list[str]) -> int:
    """The least a walk must do: look the choice up, test it, apply marks and updates."""
    scene = start
    variables = {"energy": 3}
    marks: dict[str, int] = {}
    steps = 0
    for wanted in choices:
        for choice_id, goto, test, choice_marks, updates in plain[scene]:
            if choice_id != wanted:
                continue
            if test is not None:
                name, value = test
                if not variables[name] > value:
                    raise ValueError("closed")
            for aspect, net in choice_marks:
                marks[aspect] = marks.get(aspect, 0) + net
            for name, amount in updates:
                variables[name] = min(5, max(0, variables[name] + amount))
            scene = goto
            steps += 1
            break
    return steps


def plain_form(scenario: Scenario) -> dict[str, Any]:
    return {
        scene.id: [
            (
                c.id,
                c.goto,
                (c.condition.var, c.condition.value)  # type: ignore[union-attr]
                if c.condition is not None
                else None,
                [(m.aspect, m.net) for m in c.effects.marks],
                [(u.var, u.add) for u in c.effects.set],
            )
            for c in scene.choices
        ]
        for scene in scenario.scenes
    }


def whole_checks(repeat: int) -> list[tuple[str, str, str, str]]:
    """``check_scenario`` at each size, interleaved; each row compares with half the size."""
    framework = load_framework()
    default = check_scenario(load_scenario(), framework=framework)
    assert default.diagnostics == (), default.diagnostics
    assert all(e.reachable for e in default.endings), default.endings
    scenarios = {size: generate(size) for size in WHOLE_SIZES}
    contenders: dict[str, Callable[[], object]] = {}
    for size, scenario in scenarios.items():
        report = check_scenario(scenario, framework=framework)  # the warm-up, alike for all
        assert report.ok, report.diagnostics[:3]
        assert report.states is not None, report.diagnostics[:3]
        contenders[str(size)] = lambda s=scenario: check_scenario(s, framework=framework)
    # Like best_of_each, in turns, but each run starts from a collected heap, so a
    # full collection that the previous run left pending falls on none of them.
    timed = dict.fromkeys(contenders, float("inf"))
    for _ in range(repeat):
        for name, function in contenders.items():
            gc.collect()
            start = time.perf_counter()
            function()
            timed[name] = min(timed[name], time.perf_counter() - start)
    rows = []
    previous = None
    for size, scenario in scenarios.items():
        seconds = timed[str(size)]
        states = check_scenario(scenario, framework=framework).states
        choices = sum(len(scene.choices) for scene in scenario.scenes)
        rows.append(
            (
                f"check_scenario {size:,} scenes, {choices:,} choices, {states:,} states",
                f"{seconds:.3f} s",
                "-" if previous is None else f"{previous:.3f} s at half the size",
                "-" if previous is None else f"{seconds / previous:.2f}x",
            )
        )
        previous = seconds
    growth = max(timed[str(b)] / timed[str(a)] for a, b in itertools.pairwise(WHOLE_SIZES))
    at_400 = timed["400"]
    print(
        f"whole-scenario check: worst doubling {growth:.2f}x (target <= 2.5x); 400 scenes "
        f"{at_400:.3f} s (target < 1 s); default scenario: {default.states:,} states, "
        "no diagnostics"
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--whole-only", action="store_true", help="only the whole-scenario check")
    args = parser.parse_args()
    whole = whole_checks(args.repeat)
    if args.whole_only:
        print(table(whole))
        return 0
    framework = load_framework()
    rows = []
    # Both sizes are timed in turns, so the growth figure compares runs made under
    # the same conditions rather than a quiet minute with a busy one.
    scenarios = {scale: generate(args.scenes * scale) for scale in (1, 2)}
    contenders: dict[str, Callable[[], object]] = {}
    for scale, scenario in scenarios.items():
        diagnostics = check_structure(scenario, framework=framework)
        assert not [d for d in diagnostics if d.severity == "error"], diagnostics[:3]
        contenders[f"ours {scale}"] = lambda s=scenario: check_structure(s, framework=framework)
        contenders[f"base {scale}"] = lambda s=scenario: networkx_baseline(s)
    timed = best_of_each(contenders, repeat=args.repeat)
    times = {}
    for scale, scenario in scenarios.items():
        choices = sum(len(scene.choices) for scene in scenario.scenes)
        ours, base = timed[f"ours {scale}"], timed[f"base {scale}"]
        times[scale] = ours
        rows.append(
            (
                f"validate {len(scenario.scenes):,} scenes, {choices:,} choices",
                f"{ours:.2f} s",
                f"{base:.2f} s networkx",
                f"{ours / base:.2f}x",
            )
        )
    del scenarios, contenders
    scenario = generate(args.scenes)
    runner = Runner(scenario)
    walk = walk_choices(scenario, 20_000)
    plain = plain_form(scenario)
    assert runner_walk(runner, walk) == dict_walk(plain, scenario.start, walk) == len(walk)
    # A walk takes milliseconds, so it is timed more often than the validator.
    timed = best_of_each(
        {
            "ours": lambda: runner_walk(runner, walk),
            "base": lambda: dict_walk(plain, scenario.start, walk),
        },
        repeat=args.repeat * 10,
    )
    ours, base = timed["ours"], timed["base"]
    rows.append(
        (
            f"runner: {len(walk):,} choose steps",
            f"{ours / len(walk) * 1e6:.1f} us/step",
            f"{base / len(walk) * 1e6:.1f} us/step dict loop",
            f"{ours / base:.2f}x",
        )
    )
    print(table(rows + whole))
    growth = times[2] / times[1]
    print(
        f"validator vs networkx target <= 1.0: {rows[0][3]}; doubling the size: {growth:.2f}x "
        f"(target <= 2.2x); runner target <= 2x: {ours / base:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
