"""The static validator: every diagnostic at once, each with a code, a path and a fix.

Two passes:

1. **Structure** (linear in scenes plus choices): references, ids, variables and
   their types, aspects, reachability from the start, scenes that cannot reach an
   ending (loops with no exit included), endings nobody can reach, conditions that
   can never hold given the variables' domains, loops round which a score can
   grow without bound, and aspects the scenario never marks (in one direction).
2. **State space** (scene x variable values x what conditions look at): every way
   of playing, up to a limit. It finds what conditions hide from the first pass
   (a choice never offered, a scene only conditions make unreachable, a run that
   gets stuck, an ending rule that matches nothing) and gives, for each ending,
   the exact range of each responsibility's net marks over every way of reaching it.

Every code is documented in ``docs/scenario-diagnostics.md``.
"""

from __future__ import annotations

import contextlib
import gc
import math
from collections import deque
from collections.abc import Iterator
from typing import Any

import attrs

from fourresp._paths import PathPart, format_path
from fourresp.content import Framework, load_framework
from fourresp.errors import Severity
from fourresp.scenario._balance import BalanceReport, authoring_findings, balance
from fourresp.scenario._compiled import (
    CompiledScenario,
    best_key,
    conditions,
    responsibility_key,
    worst_key,
)
from fourresp.scenario._graphs import reachable, reverse, strongly_connected
from fourresp.scenario._models import (
    BY_RULES,
    AllOf,
    AnyOf,
    AspectTotal,
    Condition,
    Not,
    ResponsibilityPercent,
    ResponsibilityTotal,
    Scenario,
    VariableIs,
    Visited,
)

__all__ = [
    "DEFAULT_STATE_LIMIT",
    "Diagnostic",
    "EndingReport",
    "ScenarioReport",
    "ScoreRange",
    "check_scenario",
    "check_structure",
]

DEFAULT_STATE_LIMIT = 200_000
# Loops of up to this many states are checked exactly for which way they move a score.
_EXACT_LOOP_LIMIT = 2_000


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One thing wrong (or worth a look) in a scenario.

    ``code`` is stable (see docs/scenario-diagnostics.md); ``subject`` is the
    offending id (a scene, choice, variable, aspect or ending); ``path`` the JSON
    path parts of where it is; ``message`` says what is wrong and how to fix it.
    """

    code: str
    severity: Severity
    path: tuple[PathPart, ...]
    subject: str
    message: str

    @property
    def json_path(self) -> str:
        """``path`` as a JSON path (``$.scenes.lobby.choices[1].goto``)."""
        return format_path(self.path)


@attrs.frozen(kw_only=True)
class ScoreRange:
    """The lowest and highest net marks of one responsibility; None means unbounded."""

    responsibility: str
    min: int | None
    max: int | None


@attrs.frozen(kw_only=True)
class EndingReport:
    """Whether an ending can be reached and, if so, the range of each responsibility's score."""

    ending: str
    reachable: bool | None
    ranges: tuple[ScoreRange, ...] = ()


@attrs.frozen(kw_only=True)
class ScenarioReport:
    """Everything the validator found and worked out about a scenario.

    ``longest_path`` is the most choices a run can take from the start to an ending
    when the scenes form no loop (None when they do); ``states`` the number of
    states explored (None when the exploration hit the limit or was skipped);
    ``balance`` the balance report, when asked for and worked out.
    """

    diagnostics: tuple[Diagnostic, ...]
    endings: tuple[EndingReport, ...]
    longest_path: int | None
    states: int | None
    balance: BalanceReport | None = None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity ``error``."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


def _scene_path(scene: str) -> tuple[PathPart, ...]:
    return ("scenes", scene)


def _choice_path(scene: str, index: int) -> tuple[PathPart, ...]:
    return ("scenes", scene, "choices", index)


def _condition_path(scene: str | None, number: int) -> tuple[PathPart, ...]:
    if scene is None:
        return ("ending_rules", number, "condition")
    return (*_choice_path(scene, number), "condition")


# -- conditions: walk, and what they can be -----------------------------------------


def _atoms(condition: Condition) -> Iterator[Condition]:
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, AllOf):
            stack.extend(node.all)
        elif isinstance(node, AnyOf):
            stack.extend(node.any)
        elif isinstance(node, Not):
            stack.append(node.not_)
        else:
            yield node


Interval = tuple[float, float]


def _interval(op: str, value: int) -> Interval | None:
    """The values satisfying ``x op value`` as an interval (None for ``!=``)."""
    return {
        "==": (value, value),
        "<": (-math.inf, value - 1),
        "<=": (-math.inf, value),
        ">": (value + 1, math.inf),
        ">=": (value, math.inf),
    }.get(op)


class _Domains:
    """What values each thing a condition reads can take, over-approximated (so proofs hold)."""

    def __init__(self, scenario: Scenario, totals: dict[str, Interval], reached: set[str]):
        self.variables = {v.name: v for v in scenario.variables}
        self.totals = totals
        self.reached = reached

    def of(self, atom: Condition) -> tuple[str, Interval] | None:
        if isinstance(atom, VariableIs):
            variable = self.variables.get(atom.var)
            if variable is None:
                return None
            if variable.type == "boolean":
                return atom.var, (0, 1)
            low = -math.inf if variable.min is None else variable.min
            high = math.inf if variable.max is None else variable.max
            return atom.var, (low, high)
        if isinstance(atom, AspectTotal):
            return "aspect:" + atom.aspect, self.totals.get("aspect:" + atom.aspect, (0, 0))
        if isinstance(atom, ResponsibilityTotal):
            key = "responsibility:" + atom.responsibility
            return key, self.totals.get(key, (0, 0))
        return None

    def constraint(self, atom: Condition) -> tuple[str, Interval] | None:
        """The atom as (what, interval of values that satisfy it), when it is one interval."""
        if isinstance(atom, VariableIs | AspectTotal | ResponsibilityTotal):
            found = self.of(atom)
            if found is None:
                return None
            value = atom.value
            if isinstance(value, bool):
                value = int(value)
            interval = _interval(atom.op, value)
            if interval is None:
                return None
            return found[0], interval
        return None

    def possible(self, condition: Condition) -> bool:
        if isinstance(condition, AllOf):
            if not all(self.possible(c) for c in condition.all):
                return False
            bounds: dict[str, Interval] = {}
            for part in condition.all:
                constraint = self.constraint(part)
                if constraint is None:
                    continue
                key, (low, high) = constraint
                old_low, old_high = bounds.get(key, (-math.inf, math.inf))
                bounds[key] = (max(low, old_low), min(high, old_high))
                if bounds[key][0] > bounds[key][1]:
                    return False
            return True
        if isinstance(condition, AnyOf):
            return any(self.possible(c) for c in condition.any)
        if isinstance(condition, Not):
            return not self.always(condition.not_)
        if isinstance(condition, Visited):
            return condition.visited in self.reached
        domain = self.of(condition)
        constraint = self.constraint(condition)
        if domain is None:
            return True  # reported elsewhere (undeclared); say nothing more
        if constraint is None:  # !=: impossible only on a one-value domain equal to it
            low, high = domain[1]
            value = int(condition.value) if isinstance(condition.value, bool) else condition.value
            return not (low == high == value)
        (low, high), (need_low, need_high) = domain[1], constraint[1]
        return max(low, need_low) <= min(high, need_high)

    def always(self, condition: Condition) -> bool:
        if isinstance(condition, AllOf):
            return all(self.always(c) for c in condition.all)
        if isinstance(condition, AnyOf):
            return any(self.always(c) for c in condition.any)
        if isinstance(condition, Not):
            return not self.possible(condition.not_)
        if isinstance(condition, Visited):
            return False
        domain = self.of(condition)
        constraint = self.constraint(condition)
        if domain is None:
            return False
        low, high = domain[1]
        if constraint is None:
            value = int(condition.value) if isinstance(condition.value, bool) else condition.value
            return not (low <= value <= high)
        need_low, need_high = constraint[1]
        return need_low <= low and high <= need_high


# -- pass 1: structure -------------------------------------------------------------


class _Structure:
    """The first pass, with what the second pass reuses."""

    def __init__(self, scenario: Scenario, framework: Framework) -> None:
        self.scenario = scenario
        self.framework = framework
        self.out: list[Diagnostic] = []
        ids = [scene.id for scene in scenario.scenes]
        self.index = {scene_id: i for i, scene_id in enumerate(ids)}
        self.ids = ids
        self.aspects = {a.id for a in framework.aspects}
        self.owners = {a.id: r.id for r in framework for a in r.aspects}
        self.responsibilities = {r.id for r in framework}
        self.endings = {ending.id for ending in scenario.endings}
        self.adjacency: list[list[int]] = [[] for _ in ids]
        self.reached: bytearray = bytearray()
        self.statically_unreachable: set[str] = set()
        self.trapped: set[str] = set()
        self.cyclic = False
        self.longest_path: int | None = None
        self.declared = {v.name: v for v in scenario.variables}
        self.used: set[str] = set()
        self.plus: set[str] = set()
        self.minus: set[str] = set()
        self.low: dict[str, int] = {}
        self.high: dict[str, int] = {}
        # each place a condition is: (condition, scene id or None for an ending rule, choice
        # or rule number, subject); checked once per distinct condition
        self.conditions: list[tuple[Condition, str | None, int, str]] = []

    def add(
        self,
        code: str,
        path: tuple[PathPart, ...],
        subject: str,
        message: str,
        severity: Severity = "error",
    ) -> None:
        self.out.append(
            Diagnostic(code=code, severity=severity, path=path, subject=subject, message=message)
        )

    def run(self) -> list[Diagnostic]:
        scenario = self.scenario
        if scenario.start not in self.index:
            self.add(
                "unknown-start",
                ("start",),
                scenario.start,
                f"the start scene {scenario.start!r} does not exist: set 'start' to one of the "
                "scene ids",
            )
        self._endings()
        self._scenes()
        self._graph()
        self._variables()
        self._impossible()
        self._coverage()
        return self.out

    def _endings(self) -> None:
        for ending in self.scenario.endings:
            if ending.id == BY_RULES:
                self.add(
                    "reserved-id",
                    ("endings", ending.id),
                    ending.id,
                    f"'{BY_RULES}' is reserved for scenes whose ending the rules pick: rename "
                    "this ending",
                )
        for index, rule in enumerate(self.scenario.ending_rules):
            if rule.ending not in self.endings:
                self.add(
                    "unknown-ending",
                    ("ending_rules", index, "ending"),
                    rule.ending,
                    f"ending rule {index} picks {rule.ending!r}, which is not an ending: "
                    "use one of the ids under 'endings'",
                )
            if rule.condition is not None:
                self.conditions.append((rule.condition, None, index, rule.ending))

    def _scenes(self) -> None:
        """One pass over every scene and choice; the slow paths run only for problems."""
        index, endings, adjacency = self.index, self.endings, self.adjacency
        owner_keys = {aspect: "@" + owner for aspect, owner in self.owners.items()}
        plus, minus, low, high = self.plus, self.minus, self.low, self.high
        declared, used, conditions = self.declared, self.used, self.conditions
        uses_rules = False
        for position, scene in enumerate(self.scenario.scenes):
            choices, ending = scene.choices, scene.ending
            if ending is not None:
                if ending == BY_RULES:
                    uses_rules = True
                elif ending not in endings:
                    self.add(
                        "unknown-ending",
                        (*_scene_path(scene.id), "ending"),
                        ending,
                        f"scene {scene.id!r} ends with {ending!r}, which is not an "
                        "ending: use one of the ids under 'endings', or 'by-rules'",
                    )
                if choices:
                    self.add(
                        "choices-and-ending",
                        _scene_path(scene.id),
                        scene.id,
                        f"scene {scene.id!r} has both choices and an ending: a scene either "
                        "offers choices or ends the run",
                    )
            elif not choices:
                self.add(
                    "dead-end",
                    _scene_path(scene.id),
                    scene.id,
                    f"scene {scene.id!r} has no choices and no ending: add choices, or "
                    "'ending: <id>' to end the run here",
                )
            if not choices:
                continue
            if len(choices) > 1 and len({choice.id for choice in choices}) != len(choices):
                self._duplicates(scene)
            targets = adjacency[position]
            for number, choice in enumerate(choices):
                target = index.get(choice.goto)
                if target is None:
                    self.add(
                        "unknown-target",
                        (*_choice_path(scene.id, number), "goto"),
                        choice.goto,
                        f"choice {choice.id!r} in scene {scene.id!r} goes to {choice.goto!r}, "
                        "which is not a scene: fix the id or add the scene",
                    )
                else:
                    targets.append(target)
                effects = choice.effects
                for mark in effects.marks:
                    aspect = mark.aspect
                    owner = owner_keys.get(aspect)
                    if owner is None:
                        self._unknown_aspect(scene.id, number, choice.id, mark, effects.marks)
                        continue
                    weight = mark.weight
                    if mark.sign == "+":
                        plus.add(aspect)
                        high[aspect] = high.get(aspect, 0) + weight
                        high[owner] = high.get(owner, 0) + weight
                    else:
                        minus.add(aspect)
                        low[aspect] = low.get(aspect, 0) - weight
                        low[owner] = low.get(owner, 0) - weight
                for update in effects.set:
                    used.add(update.var)
                    variable = declared.get(update.var)
                    if (
                        variable is None
                        or (variable.type == "boolean") != isinstance(update.to, bool)
                        or (variable.type == "boolean" and update.add is not None)
                    ):
                        self._bad_update(scene.id, number, choice.id, update, effects.set)
                if choice.condition is not None:
                    conditions.append((choice.condition, scene.id, number, choice.id))
        if uses_rules and not self.scenario.ending_rules:
            self.add(
                "no-ending-rules",
                ("ending_rules",),
                BY_RULES,
                "some scenes end 'by-rules' but there are no ending rules: add "
                "'ending_rules', the last without a condition",
            )

    def _duplicates(self, scene: Any) -> None:
        seen: dict[str, int] = {}
        for number, choice in enumerate(scene.choices):
            if choice.id in seen:
                self.add(
                    "duplicate-id",
                    (*_choice_path(scene.id, number), "id"),
                    choice.id,
                    f"scene {scene.id!r} has two choices with id {choice.id!r} (the "
                    f"first is choice {seen[choice.id]}): saved runs name choices by "
                    "id, so give each its own",
                )
            else:
                seen[choice.id] = number

    def _unknown_aspect(
        self, scene: str, number: int, choice: str, mark: Any, marks: tuple[Any, ...]
    ) -> None:
        self.add(
            "unknown-aspect",
            (*_choice_path(scene, number), "effects", "marks", marks.index(mark), "aspect"),
            mark.aspect,
            f"choice {choice!r} marks {mark.aspect!r}, which is not an aspect of "
            f"{self.framework.id!r}: use an aspect id from 'fourresp info'",
        )

    def _bad_update(
        self, scene: str, number: int, choice: str, update: Any, updates: tuple[Any, ...]
    ) -> None:
        variable = self.declared.get(update.var)
        path = (*_choice_path(scene, number), "effects", "set", updates.index(update))
        if variable is None:
            self.add(
                "undeclared-variable",
                path,
                update.var,
                f"choice {choice!r} sets {update.var!r}, which is not declared: add it under "
                "'variables'",
            )
        elif variable.type == "boolean":
            self.add(
                "type-mismatch",
                path,
                update.var,
                f"{update.var!r} is a boolean: set it 'to' true or false",
            )
        elif isinstance(update.to, bool):
            self.add(
                "type-mismatch",
                path,
                update.var,
                f"{update.var!r} is an integer: set it 'to' a whole number or 'add' one",
            )

    def _condition_findings(self, condition: Condition) -> list[tuple[str, str, str]]:
        """(code, subject, message) for every reference or type problem in ``condition``."""
        found = []
        variables = self.declared
        for atom in _atoms(condition):
            if isinstance(atom, VariableIs):
                self.used.add(atom.var)
                variable = variables.get(atom.var)
                if variable is None:
                    found.append(
                        (
                            "undeclared-variable",
                            atom.var,
                            f"the condition reads {atom.var!r}, which is not declared: add "
                            "it under 'variables' with its type and initial value",
                        )
                    )
                elif variable.type == "boolean" and (
                    not isinstance(atom.value, bool) or atom.op not in ("==", "!=")
                ):
                    found.append(
                        (
                            "type-mismatch",
                            atom.var,
                            f"{atom.var!r} is a boolean: compare it with == or != to true or "
                            f"false, not {atom.op} {atom.value!r}",
                        )
                    )
                elif variable.type == "integer" and isinstance(atom.value, bool):
                    found.append(
                        (
                            "type-mismatch",
                            atom.var,
                            f"{atom.var!r} is an integer: compare it with a whole number, "
                            f"not {atom.value!r}",
                        )
                    )
            elif isinstance(atom, AspectTotal) and atom.aspect not in self.aspects:
                found.append(
                    (
                        "unknown-aspect",
                        atom.aspect,
                        f"the condition reads aspect {atom.aspect!r}, which is not an aspect "
                        f"of {self.framework.id!r}",
                    )
                )
            elif (
                isinstance(atom, ResponsibilityTotal)
                and atom.responsibility not in self.responsibilities
            ):
                found.append(
                    (
                        "unknown-responsibility",
                        atom.responsibility,
                        f"the condition reads responsibility {atom.responsibility!r}; known: "
                        + ", ".join(sorted(self.responsibilities)),
                    )
                )
            elif isinstance(atom, Visited) and atom.visited not in self.index:
                found.append(
                    (
                        "unknown-scene",
                        atom.visited,
                        f"the condition asks whether {atom.visited!r} was visited, but there "
                        "is no such scene",
                    )
                )
        return found

    def _graph(self) -> None:
        ids, adjacency = self.ids, self.adjacency
        start = self.index.get(self.scenario.start, -1)
        self.reached = reachable(adjacency, [start] if start >= 0 else [])
        reached = self.reached
        if start >= 0:
            for position, scene_id in enumerate(ids):
                if not reached[position]:
                    self.statically_unreachable.add(scene_id)
                    self.add(
                        "unreachable-scene",
                        _scene_path(scene_id),
                        scene_id,
                        f"no choice leads to scene {scene_id!r} from the start: link it "
                        "from a choice, or remove it",
                    )
        terminals = [
            position
            for position, scene in enumerate(self.scenario.scenes)
            if scene.ending is not None
            and (scene.ending in self.endings or scene.ending == BY_RULES)
        ]
        can_end = reachable(reverse(adjacency), terminals)
        for position, scene_id in enumerate(ids):
            if reached[position] and not can_end[position]:
                self.trapped.add(scene_id)
                self.add(
                    "no-way-out",
                    _scene_path(scene_id),
                    scene_id,
                    f"from scene {scene_id!r} no ending can be reached (a dead end or a loop "
                    "with no exit): add a choice that leads on towards an ending",
                )
        # endings nobody can reach, as far as the graph tells (conditions: pass 2)
        reached_endings: set[str] = set()
        by_rules = False
        for position, scene in enumerate(self.scenario.scenes):
            if reached[position] and scene.ending is not None and not scene.choices:
                if scene.ending == BY_RULES:
                    by_rules = True
                else:
                    reached_endings.add(scene.ending)
        if by_rules:
            reached_endings.update(rule.ending for rule in self.scenario.ending_rules)
        for ending in self.scenario.endings:
            if start >= 0 and ending.id not in reached_endings:
                self.add(
                    "unreachable-ending",
                    ("endings", ending.id),
                    ending.id,
                    f"no reachable scene ends with {ending.id!r}: end a scene with it, or "
                    "remove it",
                )
        self._loops(start)

    def _loops(self, start: int) -> None:
        if start < 0:
            return
        adjacency = self.adjacency
        components = strongly_connected(adjacency, [start])
        member = {}
        for number, component in enumerate(components):
            for node in component:
                member[node] = number
        scenes = self.scenario.scenes
        flagged: set[str] = set()
        for number, component in enumerate(components):
            looped = len(component) > 1 or component[0] in adjacency[component[0]]
            if not looped:
                continue
            self.cyclic = True
            # Zero-sum loops are harmless; a loop with a non-zero total for a responsibility
            # lets that score grow (or fall) without bound. Potentials find one exactly.
            for responsibility in sorted(self.responsibilities):
                potential: dict[int, int] = {component[0]: 0}
                queue = deque([component[0]])
                culprit = None
                while queue and culprit is None:
                    node = queue.popleft()
                    for choice in scenes[node].choices:
                        target = self.index.get(choice.goto)
                        if target is None or member.get(target) != number:
                            continue
                        net = sum(
                            mark.net
                            for mark in choice.effects.marks
                            if self.owners.get(mark.aspect) == responsibility
                        )
                        expected = potential[node] + net
                        if target not in potential:
                            potential[target] = expected
                            queue.append(target)
                        elif potential[target] != expected:
                            culprit = scenes[node].id
                            break
                if culprit is not None and responsibility not in flagged:
                    flagged.add(responsibility)
                    self.add(
                        "unbounded-score",
                        _scene_path(culprit),
                        responsibility,
                        f"the loop through scene {culprit!r} changes {responsibility!r} each "
                        "time round, so that score can grow or fall without bound: make the "
                        "loop's marks cancel out, or let a variable stop it",
                        "warning",
                    )
        if not self.cyclic:
            longest = [-1] * len(adjacency)
            longest[start] = 0
            for component in reversed(components):  # topological order
                node = component[0]
                if longest[node] < 0:
                    continue
                for target in adjacency[node]:
                    if longest[node] + 1 > longest[target]:
                        longest[target] = longest[node] + 1
            self.longest_path = max(
                (
                    longest[p]
                    for p, scene in enumerate(scenes)
                    if longest[p] >= 0 and scene.ending is not None
                ),
                default=0,
            )

    def _variables(self) -> None:
        for variable in self.scenario.variables:
            path: tuple[PathPart, ...] = ("variables", variable.name)
            if variable.type == "boolean":
                if not isinstance(variable.initial, bool):
                    self.add(
                        "type-mismatch",
                        (*path, "initial"),
                        variable.name,
                        f"{variable.name!r} is a boolean: its initial value is true or false",
                    )
                if variable.min is not None or variable.max is not None:
                    self.add(
                        "type-mismatch",
                        path,
                        variable.name,
                        f"{variable.name!r} is a boolean: min and max are for integers",
                    )
            else:
                if isinstance(variable.initial, bool):
                    self.add(
                        "type-mismatch",
                        (*path, "initial"),
                        variable.name,
                        f"{variable.name!r} is an integer: its initial value is a whole number",
                    )
                low, high = variable.min, variable.max
                if low is not None and high is not None and low > high:
                    self.add(
                        "bad-bounds",
                        path,
                        variable.name,
                        f"{variable.name!r} has min {low} above max {high}",
                    )
                elif not isinstance(variable.initial, bool) and (
                    (low is not None and variable.initial < low)
                    or (high is not None and variable.initial > high)
                ):
                    self.add(
                        "bad-bounds",
                        (*path, "initial"),
                        variable.name,
                        f"{variable.name!r} starts at {variable.initial}, outside its "
                        f"bounds {low}..{high}",
                    )
        # conditions are read first: they say which variables they use
        self._check_conditions()
        for variable in self.scenario.variables:
            if variable.name not in self.used:
                self.add(
                    "unused-variable",
                    ("variables", variable.name),
                    variable.name,
                    f"{variable.name!r} is declared but never read or set: use it or remove it",
                    "warning",
                )

    def _totals(self) -> dict[str, Interval]:
        """Bounds on every aspect's and responsibility's net marks over any run."""
        keys = set(self.low) | set(self.high)
        if self.cyclic:  # round a loop, any total may be unbounded
            return dict.fromkeys(keys, (-math.inf, math.inf))
        totals: dict[str, Interval] = {}
        for key in keys:
            name = "responsibility:" + key[1:] if key.startswith("@") else "aspect:" + key
            totals[name] = (self.low.get(key, 0), self.high.get(key, 0))
        return totals

    def _check_conditions(self) -> None:
        """Reference and type problems, once per distinct condition, reported where each is."""
        findings: dict[Condition, list[tuple[str, str, str]]] = {}
        for condition, scene, number, _ in self.conditions:
            found = findings.get(condition)
            if found is None:
                found = findings[condition] = self._condition_findings(condition)
            for code, subject, message in found:
                self.add(code, _condition_path(scene, number), subject, message)

    def _impossible(self) -> None:
        reached = {self.ids[p] for p in range(len(self.ids)) if self.reached and self.reached[p]}
        domains = _Domains(self.scenario, self._totals(), reached)
        verdicts: dict[Condition, bool] = {}
        for condition, scene, number, subject in self.conditions:
            possible = verdicts.get(condition)
            if possible is None:
                possible = verdicts[condition] = domains.possible(condition)
            if not possible:
                self.add(
                    "impossible-condition",
                    _condition_path(scene, number),
                    subject,
                    f"the condition on {subject!r} can never hold (the values it asks for "
                    "are outside what the variables and marks can be): fix or remove it",
                )

    def _coverage(self) -> None:
        plus, minus = self.plus, self.minus
        for aspect in self.framework.aspects:
            if aspect.id not in plus and aspect.id not in minus:
                self.add(
                    "unmarked-aspect",
                    ("scenes",),
                    aspect.id,
                    f"no choice marks aspect {aspect.id!r} ({aspect.title}): the scorecard "
                    "will say nothing about it",
                    "warning",
                )
            elif aspect.id not in plus or aspect.id not in minus:
                missing = "+" if aspect.id not in plus else "-"
                self.add(
                    "one-sided-aspect",
                    ("scenes",),
                    aspect.id,
                    f"aspect {aspect.id!r} ({aspect.title}) is never marked {missing}: add a "
                    f"choice that marks it {missing}, so players can go either way",
                    "warning",
                )


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector for one pass over a large scenario.

    The pass makes many short-lived lists and no reference cycles; each automatic
    collection would walk the whole (large) scenario again, which makes the time
    grow faster than the scenario. Reference counting still frees everything, and
    the collector is turned back on, as it was, however the pass ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_structure(scenario: Scenario, *, framework: Framework | None = None) -> list[Diagnostic]:
    """The first pass alone: every structural diagnostic, in time linear in the scenario."""
    framework = framework or load_framework()
    with _no_cycle_collection():
        return _Structure(scenario, framework).run()


# -- pass 2: the state space -------------------------------------------------------


class _Exploration:
    """Every state a run can be in: scene, variables, tracked totals, tracked visits."""

    def __init__(self, compiled: CompiledScenario, limit: int) -> None:
        self.compiled = compiled
        self.limit = limit
        scenario = compiled.scenario
        conditions = [
            choice.condition
            for scene in scenario.scenes
            for choice in scene.choices
            if choice.condition is not None
        ] + [rule.condition for rule in scenario.ending_rules if rule.condition is not None]
        # Only what conditions read is part of a state: the nets of the aspects and the
        # totals of the responsibilities they compare, and the scenes they ask about.
        tracked: set[str] = set()
        tracked_scenes: set[str] = set()
        for condition in conditions:
            for atom in _atoms(condition):
                if isinstance(atom, AspectTotal):
                    tracked.add(atom.aspect)
                elif isinstance(atom, ResponsibilityTotal):
                    tracked.add(responsibility_key(atom.responsibility))
                elif isinstance(atom, ResponsibilityPercent):
                    tracked.update(_percent_keys(atom.percent))
                elif isinstance(atom, Visited):
                    tracked_scenes.add(atom.visited)
        self.aspects = tuple(sorted(tracked))
        # what each choice adds to each tracked value
        self.moves: dict[int, tuple[int, ...]] = {}
        self.scenes = tuple(sorted(tracked_scenes))
        self.live, self.clamps = self._reductions(conditions)
        self.states: list[tuple[Any, ...]] = []
        self.edges: list[list[tuple[int, Any]]] = []  # per state: (target state, choice)
        self.endings: dict[int, str | None] = {}  # terminal state -> ending (None: no rule)
        self.offered: set[tuple[int, int]] = set()  # (scene, choice number) ever offered
        self.stuck: set[int] = set()
        self.complete = False
        self._run()

    def _reductions(
        self, conditions: list[Condition]
    ) -> tuple[list[tuple[bool, ...]], list[tuple[tuple[float, float], ...] | None]]:
        """What each scene's states may forget without changing anything that follows.

        A variable nobody reads from a scene onwards is *dead* there: its value is
        replaced by the initial one, so states that differ only in it merge. A
        tracked total only matters through the values conditions compare it with:
        beyond what any later choice could still add or take away, all values
        behave alike and are clamped together. Both are exact.
        """
        compiled = self.compiled
        scenario = compiled.scenario
        count = len(compiled.scene_ids)
        adjacency = [[c.target for c in compiled.choices[s] if c.target >= 0] for s in range(count)]
        reads: list[set[str]] = [set() for _ in range(count)]
        rule_reads: set[str] = set()
        for rule in scenario.ending_rules:
            if rule.condition is not None:
                rule_reads.update(_read_keys(rule.condition))
        for position, scene in enumerate(scenario.scenes):
            for choice in scene.choices:
                if choice.condition is not None:
                    reads[position].update(_read_keys(choice.condition))
            if scene.ending == BY_RULES:
                reads[position].update(rule_reads)
        back = reverse(adjacency)
        names = [v.name for v in compiled.variables]
        live_by_var = [
            reachable(back, [s for s in range(count) if "var:" + name in reads[s]])
            for name in names
        ]
        live = [tuple(bool(flags[s]) for flags in live_by_var) for s in range(count)]
        clamps: list[tuple[tuple[float, float], ...] | None] = [None] * count
        keys = self.aspects
        if not keys or compiled.start < 0 or compiled.percent_of:
            return live, clamps  # a percent is a ratio of sums: no clamping keeps it exact
        components = strongly_connected(adjacency, [compiled.start])
        if any(len(c) > 1 or c[0] in adjacency[c[0]] for c in components):
            return live, clamps  # round a loop the reachable range is unbounded: keep all
        bounds: dict[str, tuple[int, int]] = {}
        for condition in conditions:
            for atom in _atoms(condition):
                key = (
                    atom.aspect
                    if isinstance(atom, AspectTotal)
                    else responsibility_key(atom.responsibility)
                    if isinstance(atom, ResponsibilityTotal)
                    else None
                )
                if key is not None:
                    low, high = bounds.get(key, (atom.value, atom.value))  # type: ignore[union-attr]
                    bounds[key] = (min(low, atom.value), max(high, atom.value))  # type: ignore[union-attr]
        up = [[0.0] * len(keys) for _ in range(count)]
        down = [[0.0] * len(keys) for _ in range(count)]
        for component in components:  # sinks first
            node = component[0]
            for option in compiled.choices[node]:
                if option.target < 0:
                    continue
                move = self._move(option)
                for k in range(len(keys)):
                    up[node][k] = max(up[node][k], move[k] + up[option.target][k])
                    down[node][k] = min(down[node][k], move[k] + down[option.target][k])
        for component in components:
            node = component[0]
            clamps[node] = tuple(
                (bounds[key][0] - up[node][k] - 1, bounds[key][1] - down[node][k] + 1)
                for k, key in enumerate(keys)
            )
        return live, clamps

    def _reduce(
        self, scene: int, variables: tuple[Any, ...], totals: tuple[int, ...]
    ) -> tuple[tuple[Any, ...], tuple[int, ...]]:
        live = self.live[scene]
        if not all(live):
            initial = self.compiled.initial
            variables = tuple(
                value if alive else initial[i]
                for i, (value, alive) in enumerate(zip(variables, live, strict=True))
            )
        clamp = self.clamps[scene]
        if clamp is not None:
            totals = tuple(
                int(min(max(t, low), high)) for t, (low, high) in zip(totals, clamp, strict=True)
            )
        return variables, totals

    def _run(self) -> None:
        compiled = self.compiled
        if compiled.start < 0:
            return
        aspects, scenes = self.aspects, self.scenes
        start_flags = tuple(compiled.scenario.start == scene for scene in scenes)
        start_vars, start_totals = self._reduce(
            compiled.start, compiled.initial, (0,) * len(aspects)
        )
        first = (compiled.start, start_vars, start_totals, start_flags)
        seen = {first: 0}
        self.states.append(first)
        self.edges.append([])
        queue = deque([0])
        scene_ids = compiled.scene_ids
        while queue:
            number = queue.popleft()
            scene, variables, totals, flags = self.states[number]
            nets = dict(zip(aspects, totals, strict=True))
            visited = frozenset(s for s, flag in zip(scenes, flags, strict=True) if flag)
            if compiled.scene_endings[scene] is not None:
                self.endings[number] = compiled.ending_for(scene, variables, nets, visited)
                continue
            options = compiled.choices[scene]
            offered_any = False
            if compiled.percent_of:  # the path's best and worst sums move with every step
                open_now = [
                    c for c in options if c.test is None or c.test(variables, nets, visited)
                ]
                bounds = dict(compiled.bound_moves(open_now))
                totals = tuple(t + bounds.get(k, 0) for k, t in zip(aspects, totals, strict=True))
            for choice_number, choice in enumerate(options):
                if choice.test is not None and not choice.test(variables, nets, visited):
                    continue
                offered_any = True
                self.offered.add((scene, choice_number))
                if choice.target < 0:
                    continue
                new_totals = totals
                if aspects and choice.marks:
                    move = self._move(choice)
                    if any(move):
                        new_totals = tuple(t + m for t, m in zip(totals, move, strict=True))
                target_id = scene_ids[choice.target]
                new_flags = (
                    tuple(flag or s == target_id for s, flag in zip(scenes, flags, strict=True))
                    if scenes
                    else flags
                )
                new_vars, new_totals = self._reduce(
                    choice.target, compiled.apply(choice, variables), new_totals
                )
                state = (choice.target, new_vars, new_totals, new_flags)
                found = seen.get(state)
                if found is None:
                    if len(self.states) >= self.limit:
                        return
                    found = len(self.states)
                    seen[state] = found
                    self.states.append(state)
                    self.edges.append([])
                    queue.append(found)
                self.edges[number].append((found, choice))
            if not offered_any:
                self.stuck.add(number)
        self.complete = True

    def _move(self, choice: Any) -> tuple[int, ...]:
        found = self.moves.get(id(choice))
        if found is None:
            owners = self.compiled.owners
            gains: dict[str, int] = {}
            for aspect, net in choice.marks:
                gains[aspect] = gains.get(aspect, 0) + net
                owner = owners.get(aspect)
                if owner is not None:
                    key = responsibility_key(owner)
                    gains[key] = gains.get(key, 0) + net
            found = tuple(gains.get(key, 0) for key in self.aspects)
            self.moves[id(choice)] = found
        return found

    def ranges(self, responsibilities: list[str]) -> dict[str, dict[str, tuple[float, float]]]:
        """Per ending, per responsibility: (min, max) of net marks over every way there."""
        count = len(self.states)
        adjacency = [[target for target, _ in edges] for edges in self.edges]
        components = strongly_connected(adjacency, [0] if count else [])
        member = [0] * count
        for number, component in enumerate(components):
            for node in component:
                member[node] = number
        out: dict[str, dict[str, tuple[float, float]]] = {}
        for responsibility in responsibilities:
            lowest, highest = self._bounds(components, member, responsibility)
            for state, ending in self.endings.items():
                if ending is None:
                    continue
                low, high = out.setdefault(ending, {}).get(responsibility, (math.inf, -math.inf))
                out[ending][responsibility] = (min(low, lowest[state]), max(high, highest[state]))
        return out

    def _bounds(
        self, components: list[list[int]], member: list[int], responsibility: str
    ) -> tuple[list[float], list[float]]:
        count = len(self.states)
        entry_low = [math.inf] * count
        entry_high = [-math.inf] * count
        lowest = [math.inf] * count
        highest = [-math.inf] * count
        if count:
            entry_low[0] = entry_high[0] = 0

        def weight(choice: Any) -> int:
            nets: dict[str, int] = choice.nets
            return nets.get(responsibility, 0)

        for number in range(len(components) - 1, -1, -1):  # topological order
            component = components[number]
            potential: dict[int, int] = {component[0]: 0}
            queue = deque([component[0]])
            up = down = False
            while queue:
                node = queue.popleft()
                for target, choice in self.edges[node]:
                    if member[target] != number:
                        continue
                    expected = potential[node] + weight(choice)
                    if target not in potential:
                        potential[target] = expected
                        queue.append(target)
                    elif potential[target] != expected:
                        up = down = True  # some loop changes the score; which way, below
            if up and len(component) <= _EXACT_LOOP_LIMIT:
                up = self._grows(component, member, number, weight, 1)
                down = self._grows(component, member, number, weight, -1)
            best_high = max(
                (entry_high[node] - potential[node] for node in component), default=-math.inf
            )
            best_low = min(
                (entry_low[node] - potential[node] for node in component), default=math.inf
            )
            for node in component:
                highest[node] = (
                    math.inf if up and best_high > -math.inf else best_high + potential[node]
                )
                lowest[node] = (
                    -math.inf if down and best_low < math.inf else best_low + potential[node]
                )
            for node in component:
                for target, choice in self.edges[node]:
                    if member[target] == number:
                        continue
                    step = weight(choice)
                    if highest[node] + step > entry_high[target]:
                        entry_high[target] = highest[node] + step
                    if lowest[node] + step < entry_low[target]:
                        entry_low[target] = lowest[node] + step
        return lowest, highest

    def _grows(
        self,
        component: list[int],
        member: list[int],
        number: int,
        weight: Any,
        sign: int,
    ) -> bool:
        """True when a loop in the component moves the score in ``sign``'s direction.

        Bellman-Ford on the component: still improving after as many rounds as it has
        states means a cycle of positive (sign 1) or negative (sign -1) total.
        """
        best = dict.fromkeys(component, 0)
        for _ in range(len(component)):
            changed = False
            for node in component:
                for target, choice in self.edges[node]:
                    if (
                        member[target] == number
                        and best[node] + sign * weight(choice) > best[target]
                    ):
                        best[target] = best[node] + sign * weight(choice)
                        changed = True
            if not changed:
                return False
        return True

    def can_end(self) -> bytearray:
        adjacency = [[target for target, _ in edges] for edges in self.edges]
        return reachable(reverse(adjacency), list(self.endings))


def _read_keys(condition: Condition) -> Iterator[str]:
    """What a condition reads: ``var:NAME``, an aspect id, ``@RESPONSIBILITY``, ``seen:SCENE``."""
    for atom in _atoms(condition):
        if isinstance(atom, VariableIs):
            yield "var:" + atom.var
        elif isinstance(atom, AspectTotal):
            yield atom.aspect
        elif isinstance(atom, ResponsibilityTotal):
            yield responsibility_key(atom.responsibility)
        elif isinstance(atom, ResponsibilityPercent):
            yield from _percent_keys(atom.percent)
        elif isinstance(atom, Visited):
            yield "seen:" + atom.visited


def _percent_keys(responsibility: str) -> tuple[str, str, str]:
    """What a percent comparison reads: the net and the path's best and worst sums."""
    return (
        responsibility_key(responsibility),
        best_key(responsibility),
        worst_key(responsibility),
    )


def check_scenario(
    scenario: Scenario,
    *,
    framework: Framework | None = None,
    state_limit: int = DEFAULT_STATE_LIMIT,
    balance: bool = False,
) -> ScenarioReport:
    """Every diagnostic for ``scenario``, the score ranges per ending, and the length bound.

    ``state_limit`` bounds the state-space exploration; past it, a
    ``state-space-too-large`` warning says so and the ranges are left out. With
    ``balance``, the report also has the balance report (each ending's probability
    under random play, positional strategies, net ranges) and its warnings.
    """
    framework = framework or load_framework()
    structure = _Structure(scenario, framework)
    with _no_cycle_collection():
        diagnostics = structure.run()
    responsibilities = [r.id for r in framework]
    compiled = CompiledScenario(scenario, framework)
    diagnostics.extend(_diagnostic(f) for f in authoring_findings(scenario, framework))
    read_in_variants = _variant_variables(scenario)
    if read_in_variants:  # the structural pass reads choice and rule conditions only
        diagnostics = [
            d
            for d in diagnostics
            if not (d.code == "unused-variable" and d.subject in read_in_variants)
        ]
    balance_report, findings = _balance(compiled, report=balance, limit=state_limit)
    diagnostics.extend(_diagnostic(f) for f in findings)
    exploration = _Exploration(compiled, state_limit) if compiled.start >= 0 else None
    endings: list[EndingReport] = []
    states: int | None = None
    if exploration is not None and not exploration.complete:
        diagnostics.append(
            Diagnostic(
                code="state-space-too-large",
                severity="warning",
                path=(),
                subject=scenario.id,
                message=f"more than {state_limit:,} states (scene, variables, what conditions "
                "read): checks that need every way of playing, and the score ranges, were "
                "skipped; bound integer variables with min and max, or raise the limit",
            )
        )
        endings = [EndingReport(ending=e.id, reachable=None) for e in scenario.endings]
    elif exploration is not None:
        states = len(exploration.states)
        diagnostics.extend(_dynamic(structure, compiled, exploration))
        ranges = exploration.ranges(responsibilities)
        for ending in scenario.endings:
            found = ranges.get(ending.id)
            endings.append(
                EndingReport(
                    ending=ending.id,
                    reachable=found is not None,
                    ranges=tuple(
                        ScoreRange(
                            responsibility=r,
                            min=None if found[r][0] == -math.inf else int(found[r][0]),
                            max=None if found[r][1] == math.inf else int(found[r][1]),
                        )
                        for r in responsibilities
                    )
                    if found is not None
                    else (),
                )
            )
    return ScenarioReport(
        diagnostics=tuple(diagnostics),
        endings=tuple(endings),
        longest_path=structure.longest_path,
        states=states,
        balance=balance_report,
    )


_balance = balance  # the keyword of check_scenario shadows the function's name


def _variant_variables(scenario: Scenario) -> set[str]:
    """The variables some variant (of a scene, a debrief or an epilogue) reads."""
    return {
        atom.var
        for condition, path in conditions(scenario)
        if "variants" in path
        for atom in _atoms(condition)
        if isinstance(atom, VariableIs)
    }


def _diagnostic(finding: Any) -> Diagnostic:
    return Diagnostic(
        code=finding.code,
        severity=finding.severity,
        path=finding.path,
        subject=finding.subject,
        message=finding.message,
    )


def _dynamic(
    structure: _Structure, compiled: CompiledScenario, exploration: _Exploration
) -> Iterator[Diagnostic]:
    """What only playing every way shows."""
    scenario = compiled.scenario
    reached_scenes = {state[0] for state in exploration.states}
    reported = {(d.code, d.subject) for d in structure.out}
    for position, scene in enumerate(scenario.scenes):
        if position not in reached_scenes and scene.id not in structure.statically_unreachable:
            yield Diagnostic(
                code="unreachable-scene",
                severity="error",
                path=_scene_path(scene.id),
                subject=scene.id,
                message=f"no way of playing reaches scene {scene.id!r}: the conditions on the "
                "choices that lead there never all allow it",
            )
    for position, scene in enumerate(scenario.scenes):
        if position not in reached_scenes:
            continue
        for number, choice in enumerate(scene.choices):
            if choice.condition is not None and (position, number) not in exploration.offered:
                if ("impossible-condition", choice.id) in reported:
                    continue
                yield Diagnostic(
                    code="impossible-condition",
                    severity="error",
                    path=(*_choice_path(scene.id, number), "condition"),
                    subject=choice.id,
                    message=f"choice {choice.id!r} is never offered: whenever a run is in "
                    f"scene {scene.id!r}, its condition is false; fix or remove the condition",
                )
    stuck_scenes = sorted({compiled.scene_ids[exploration.states[s][0]] for s in exploration.stuck})
    for scene_id in stuck_scenes:
        yield Diagnostic(
            code="stuck",
            severity="error",
            path=_scene_path(scene_id),
            subject=scene_id,
            message=f"a run can reach scene {scene_id!r} with no choice available (every "
            "condition false): add a choice without a condition",
        )
    unmatched = sorted(
        {
            compiled.scene_ids[exploration.states[s][0]]
            for s, ending in exploration.endings.items()
            if ending is None
        }
    )
    for scene_id in unmatched:
        yield Diagnostic(
            code="no-rule-matches",
            severity="error",
            path=("ending_rules",),
            subject=scene_id,
            message=f"a run can end at scene {scene_id!r} where no ending rule holds: add a "
            "last rule without a condition",
        )
    can_end = exploration.can_end()
    trapped = sorted(
        {
            compiled.scene_ids[state[0]]
            for number, state in enumerate(exploration.states)
            if not can_end[number]
        }
        - structure.trapped
        - set(stuck_scenes)
    )
    for scene_id in trapped:
        yield Diagnostic(
            code="no-way-out",
            severity="error",
            path=_scene_path(scene_id),
            subject=scene_id,
            message=f"some runs that reach scene {scene_id!r} can never end (the conditions "
            "close every way to an ending): open a way out",
        )
    reached_endings = {ending for ending in exploration.endings.values() if ending is not None}
    for ending in scenario.endings:
        if ending.id not in reached_endings and ("unreachable-ending", ending.id) not in reported:
            yield Diagnostic(
                code="unreachable-ending",
                severity="error",
                path=("endings", ending.id),
                subject=ending.id,
                message=f"no way of playing ends with {ending.id!r} (conditions or ending rules "
                "rule it out): check the rules and conditions that lead there",
            )
