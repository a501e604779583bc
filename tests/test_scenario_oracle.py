"""The validator's exact analysis against a brute-force enumeration of bounded paths.

On small generated scenarios with loops (2 to 5 scenes, marks, conditions on
variables, totals and visits, ending rules on responsibility totals), every way
of playing up to a depth is enumerated by a plain interpreter written here from
the models alone. The analysis may report less than the brute force can refute
only with a warning; never an error the brute force contradicts, and never a
score range that leaves out a score the brute force reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from fourresp.content import load_framework
from fourresp.scenario import (
    AllOf,
    AnyOf,
    AspectTotal,
    Choice,
    Condition,
    Effects,
    Ending,
    EndingRule,
    Mark,
    Not,
    ResponsibilityTotal,
    Scenario,
    Scene,
    Update,
    Variable,
    VariableIs,
    Visited,
    check_scenario,
)

FRAMEWORK = load_framework()
OWNERS = {a.id: r.id for r in FRAMEWORK for a in r.aspects}
RESPONSIBILITIES = [r.id for r in FRAMEWORK]
_FIRST, _SECOND = list(FRAMEWORK)[:2]
# two aspects of one responsibility and one of another: totals interact
ASPECTS = [_FIRST.aspects[0].id, _FIRST.aspects[1].id, _SECOND.aspects[0].id]
RESPONSIBILITY_POOL = [_FIRST.id, _SECOND.id]
VARIABLES = (
    Variable(name="flag", type="boolean", initial=False),
    Variable(name="count", type="integer", initial=0, min=0, max=3),
)
OPS = ("==", "!=", "<", "<=", ">", ">=")
DEPTH = 9
LIMIT = 5_000  # states; past it the analysis says it skipped (a warning)


def _atom(scenes: int) -> st.SearchStrategy[Condition]:
    return st.one_of(
        st.builds(
            VariableIs,
            var=st.just("flag"),
            op=st.sampled_from(("==", "!=")),
            value=st.booleans(),
        ),
        st.builds(
            VariableIs,
            var=st.just("count"),
            op=st.sampled_from(OPS),
            value=st.integers(-1, 4),
        ),
        st.builds(
            ResponsibilityTotal,
            responsibility=st.sampled_from(RESPONSIBILITY_POOL),
            op=st.sampled_from(OPS),
            value=st.integers(-3, 3),
        ),
        st.builds(
            AspectTotal,
            aspect=st.sampled_from(ASPECTS),
            op=st.sampled_from(OPS),
            value=st.integers(-2, 2),
        ),
        st.builds(Visited, visited=st.integers(0, scenes - 1).map(lambda n: f"s{n}")),
    )


def _condition(scenes: int) -> st.SearchStrategy[Condition]:
    atom = _atom(scenes)
    return st.one_of(
        atom,
        atom,
        st.builds(Not, not_=atom),
        st.builds(AllOf, all=st.tuples(atom, atom)),
        st.builds(AnyOf, any=st.tuples(atom, atom)),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A small valid scenario with loops: every reference resolves."""
    count = draw(st.integers(2, 5))
    endings = (
        Ending(id="good", title="Good", verdict="good", debrief="Good."),
        Ending(id="poor", title="Poor", verdict="poor", debrief="Poor."),
    )
    # the last scene always ends (by the rules or directly); others may too
    scenes = []
    for number in range(count):
        ends = number == count - 1 or draw(st.integers(0, 4)) == 0
        if ends:
            ending = draw(st.sampled_from(("by-rules", "good", "by-rules")))
            scenes.append(Scene(id=f"s{number}", text="End.", ending=ending))
            continue
        choices = []
        for index in range(draw(st.integers(1, 3))):
            marks = (
                Mark(
                    aspect=draw(st.sampled_from(ASPECTS)),
                    sign=draw(st.sampled_from(("+", "-"))),
                    weight=draw(st.integers(1, 2)),
                ),
            )
            updates = draw(
                st.sampled_from(
                    (
                        (),
                        (),
                        (Update(var="flag", to=True),),
                        (Update(var="flag", to=False),),
                        (Update(var="count", add=1),),
                        (Update(var="count", add=-1),),
                        (Update(var="count", to=2),),
                    )
                )
            )
            condition = draw(st.none() | _condition(count))
            choices.append(
                Choice(
                    id=f"c{index}",
                    text="Do it.",
                    goto=f"s{draw(st.integers(0, count - 1))}",
                    condition=condition,
                    effects=Effects(marks=marks, set=updates),
                )
            )
        scenes.append(Scene(id=f"s{number}", text="A scene.", choices=tuple(choices)))
    rules = []
    for _ in range(draw(st.integers(1, 3))):
        condition = draw(
            st.builds(
                ResponsibilityTotal,
                responsibility=st.sampled_from(RESPONSIBILITY_POOL),
                op=st.sampled_from(OPS),
                value=st.integers(-3, 3),
            )
            | _condition(count)
        )
        ending = draw(st.sampled_from(("good", "poor")))
        rules.append(EndingRule(ending=ending, condition=condition))
    if draw(st.booleans()):
        rules.append(EndingRule(ending="poor"))
    return Scenario(
        id="generated",
        version="1",
        title="Generated",
        introduction="A small generated scenario.",
        start="s0",
        scenes=tuple(scenes),
        endings=endings,
        variables=VARIABLES,
        ending_rules=tuple(rules),
    )


# -- the oracle: a plain interpreter over the models ----------------------------------

_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def holds(
    condition: Condition | None,
    values: Mapping[str, Any],
    nets: Mapping[str, int],
    seen: frozenset[str],
) -> bool:
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return all(holds(c, values, nets, seen) for c in condition.all)
    if isinstance(condition, AnyOf):
        return any(holds(c, values, nets, seen) for c in condition.any)
    if isinstance(condition, Not):
        return not holds(condition.not_, values, nets, seen)
    if isinstance(condition, VariableIs):
        return bool(_COMPARE[condition.op](values[condition.var], condition.value))
    if isinstance(condition, AspectTotal):
        total = nets.get(condition.aspect, 0)
        return bool(_COMPARE[condition.op](total, condition.value))
    if isinstance(condition, ResponsibilityTotal):
        total = sum(n for a, n in nets.items() if OWNERS[a] == condition.responsibility)
        return bool(_COMPARE[condition.op](total, condition.value))
    assert isinstance(condition, Visited)
    return condition.visited in seen


class Found:
    """What every way of playing up to ``DEPTH`` choices shows."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenes = {scene.id: scene for scene in scenario.scenes}
        self.rules = scenario.ending_rules
        self.reached: set[str] = set()
        self.offered: set[tuple[str, int]] = set()
        self.stuck: set[str] = set()
        self.unmatched: set[str] = set()
        self.rules_held: set[int] = set()  # ending rules whose condition held somewhere
        self.scores: dict[str, dict[str, set[int]]] = {}
        start = (
            scenario.start,
            tuple(v.initial for v in VARIABLES),
            (),
            frozenset({scenario.start}),
        )
        done: set[Any] = set()
        layer = [start]
        for depth in range(DEPTH + 1):
            following = []
            for state in layer:
                if state in done:
                    continue
                done.add(state)
                following.extend(self._step(state, depth < DEPTH))
            layer = following

    def _step(self, state: Any, deeper: bool) -> list[Any]:
        scene_id, values_tuple, nets_tuple, seen = state
        self.reached.add(scene_id)
        scene = self.scenes[scene_id]
        values = dict(zip((v.name for v in VARIABLES), values_tuple, strict=True))
        nets = dict(nets_tuple)
        for number, rule in enumerate(self.rules):
            if holds(rule.condition, values, nets, seen):
                self.rules_held.add(number)
        if scene.ending is not None:
            ending = scene.ending
            if ending == "by-rules":
                ending = next(
                    (r.ending for r in self.rules if holds(r.condition, values, nets, seen)),
                    None,
                )
            if ending is None:
                self.unmatched.add(scene_id)
                return []
            per = self.scores.setdefault(ending, {r: set() for r in RESPONSIBILITIES})
            for responsibility in RESPONSIBILITIES:
                per[responsibility].add(
                    sum(n for a, n in nets.items() if OWNERS[a] == responsibility)
                )
            return []
        out = []
        offered = False
        for number, choice in enumerate(scene.choices):
            if not holds(choice.condition, values, nets, seen):
                continue
            offered = True
            self.offered.add((scene_id, number))
            if not deeper:
                continue
            new_nets = dict(nets)
            for mark in choice.effects.marks:
                new_nets[mark.aspect] = new_nets.get(mark.aspect, 0) + mark.net
            new_values = dict(values)
            for update in choice.effects.set:
                variable = next(v for v in VARIABLES if v.name == update.var)
                value = new_values[update.var] + update.add if update.add is not None else update.to
                if variable.min is not None:
                    value = max(variable.min, value)
                if variable.max is not None:
                    value = min(variable.max, value)
                new_values[update.var] = value
            out.append(
                (
                    choice.goto,
                    tuple(new_values[v.name] for v in VARIABLES),
                    tuple(sorted(new_nets.items())),
                    seen | {choice.goto},
                )
            )
        if not offered:
            self.stuck.add(scene_id)
        return out


def _exploration_skipped(report: Any) -> bool:
    return any(d.code == "state-space-too-large" for d in report.diagnostics)


@settings(max_examples=150, deadline=None, phases=(Phase.generate,))
@given(scenarios())
def test_no_error_the_brute_force_contradicts(scenario):
    report = check_scenario(scenario, framework=FRAMEWORK, state_limit=LIMIT)
    found = Found(scenario)
    for diagnostic in report.errors:
        where = diagnostic.parts
        if diagnostic.code == "impossible-condition" and where[0] == "scenes":
            scene = where[1]
            assert (scene, where[3]) not in found.offered, diagnostic
        elif diagnostic.code == "impossible-condition":  # an ending rule's condition
            assert where[1] not in found.rules_held, diagnostic
        elif diagnostic.code == "unreachable-scene":
            assert diagnostic.subject not in found.reached, diagnostic
        elif diagnostic.code == "unreachable-ending":
            assert diagnostic.subject not in found.scores, diagnostic
    # what the brute force shows exists must be reported (or the exploration skipped)
    if _exploration_skipped(report):
        return
    codes = {(d.code, d.subject) for d in report.diagnostics}
    for scene in found.stuck:
        assert ("stuck", scene) in codes, scene
    for scene in found.unmatched:
        assert ("no-rule-matches", scene) in codes, scene


@settings(max_examples=150, deadline=None, phases=(Phase.generate,))
@given(scenarios())
def test_every_score_reached_is_inside_the_reported_range(scenario):
    report = check_scenario(scenario, framework=FRAMEWORK, state_limit=LIMIT)
    found = Found(scenario)
    if _exploration_skipped(report):
        return
    by_ending = {ending.ending: ending for ending in report.endings}
    for ending, per in found.scores.items():
        reported = by_ending[ending]
        assert reported.reachable, ending
        ranges = {r.responsibility: r for r in reported.ranges}
        for responsibility, scores in per.items():
            low, high = ranges[responsibility].min, ranges[responsibility].max
            assert low is None or low <= min(scores), (ending, responsibility, low, scores)
            assert high is None or max(scores) <= high, (ending, responsibility, high, scores)


def test_loops_too_large_to_check_are_unbounded_with_a_warning(monkeypatch):
    from fourresp.scenario import _explore

    loop = Scenario(
        id="loop",
        version="1",
        title="Loop",
        introduction="Round and round.",
        start="a",
        scenes=(
            Scene(
                id="a",
                text="A.",
                choices=(
                    Choice(
                        id="up",
                        text="Up.",
                        goto="b",
                        effects=Effects(marks=(Mark(aspect=ASPECTS[0], sign="+"),)),
                    ),
                    Choice(id="out", text="Out.", goto="end"),
                ),
            ),
            Scene(
                id="b",
                text="B.",
                choices=(
                    Choice(
                        id="down",
                        text="Down.",
                        goto="a",
                        effects=Effects(marks=(Mark(aspect=ASPECTS[0], sign="-", weight=2),)),
                    ),
                ),
            ),
            Scene(id="end", text="End.", ending="good"),
        ),
        endings=(Ending(id="good", title="Good", verdict="good", debrief="Good."),),
    )
    exact = check_scenario(loop, framework=FRAMEWORK)
    (first,) = [r for r in exact.endings[0].ranges if r.responsibility == _FIRST.id]
    assert (first.min, first.max) == (None, 0)  # each time round: +1 then -2
    assert "analysis-skipped" not in {d.code for d in exact.diagnostics}
    monkeypatch.setattr(_explore, "LOOP_WORK", 0)
    skipped = check_scenario(loop, framework=FRAMEWORK)
    (first,) = [r for r in skipped.endings[0].ranges if r.responsibility == _FIRST.id]
    assert (first.min, first.max) == (None, None)
    assert ("analysis-skipped", _FIRST.id) in {(d.code, d.subject) for d in skipped.diagnostics}
