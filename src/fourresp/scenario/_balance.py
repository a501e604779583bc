"""Balance and text checks from an exact forward exploration that carries probabilities.

The exploration visits every state a run can be in (scene, variables, the totals
and visits some condition reads, and, for percent conditions, the path's best and
worst sums), each with the probability of passing through it when every open
choice is taken with equal chance. On a loop-free state space that is exact: the
states are processed in topological order, so a state's probability is complete
before it is shared among its successors. It gives:

- the probability of each ending under uniform random play;
- the ending reached by always taking the first, or the last, open choice in
  document order;
- each responsibility's reachable range of net marks at the end of a run;
- which variants of scenes, debriefs and epilogues some run is shown.

It is bounded: past ``limit`` states, or on a state space with a loop, nothing is
worked out and a warning says what was skipped; it never gives a wrong number.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from typing import Any

import attrs

from fourresp.content import Framework
from fourresp.errors import Problem
from fourresp.scenario._compiled import (
    CompiledChoice,
    CompiledScenario,
    atoms,
    best_key,
    conditions,
    responsibility_key,
    worst_key,
)
from fourresp.scenario._graphs import reachable, reverse, strongly_connected
from fourresp.scenario._models import (
    AspectTotal,
    ResponsibilityPercent,
    ResponsibilityTotal,
    Scenario,
    VariableIs,
    Visited,
)

__all__ = [
    "BALANCE_STATE_LIMIT",
    "BalanceReport",
    "EndingChance",
    "balance",
]

BALANCE_STATE_LIMIT = 200_000


@attrs.frozen(kw_only=True)
class EndingChance:
    """One ending's probability under uniform random play (0 to 1)."""

    ending: str
    probability: float


@attrs.frozen(kw_only=True)
class NetRange:
    """The lowest and highest net marks of a responsibility at the end of any run."""

    responsibility: str
    min: int
    max: int


@attrs.frozen(kw_only=True)
class BalanceReport:
    """How a scenario plays under random and positional play (``check_scenario(balance=True)``).

    ``endings``: each ending's probability under uniform random play (they sum to 1);
    ``always_first`` and ``always_last``: the ending reached by always taking the
    first, or the last, open choice in document order (None if such a run never
    ends); ``ranges``: each responsibility's reachable net marks at the end;
    ``states``: how many states were explored.
    """

    endings: tuple[EndingChance, ...]
    always_first: str | None
    always_last: str | None
    ranges: tuple[NetRange, ...]
    states: int


# -- the exploration -------------------------------------------------------------------


class _Explorer:
    """Every state a run can reach, with edges and (when loop-free) probabilities."""

    def __init__(self, compiled: CompiledScenario, limit: int) -> None:
        self.compiled = compiled
        keys: set[str] = set()
        scenes: set[str] = set()
        for condition, _ in conditions(compiled.scenario):
            for atom in atoms(condition):
                if isinstance(atom, AspectTotal):
                    keys.add(atom.aspect)
                elif isinstance(atom, ResponsibilityTotal):
                    keys.add(responsibility_key(atom.responsibility))
                elif isinstance(atom, ResponsibilityPercent):
                    name = atom.percent
                    keys.update((responsibility_key(name), best_key(name), worst_key(name)))
                elif isinstance(atom, Visited):
                    scenes.add(atom.visited)
        self.keys = tuple(sorted(keys))
        self.scene_keys = tuple(sorted(scenes))
        self._reductions()
        self._moves: dict[int, tuple[int, ...] | None] = {}
        self.states: list[tuple[Any, ...]] = []
        # per state: the open choices in document order, each with its target state
        self.edges: list[list[tuple[CompiledChoice, int]]] = []
        self.complete = False
        self.looped = False
        self._run(limit)

    def _reductions(self) -> None:
        """What a scene's states may forget without changing anything that follows.

        As in the validator: a variable no later condition reads is reset to its
        initial value; on a loop-free scene graph, a total is clamped once it is
        beyond what any later choice could change about the comparisons that read
        it. Both merge states whose futures (choices, endings, texts) are the same,
        so the probabilities, endings and ranges stay exact.
        """
        compiled = self.compiled
        scenario = compiled.scenario
        count = len(compiled.scene_ids)
        adjacency = [[c.target for c in compiled.choices[s] if c.target >= 0] for s in range(count)]
        reads: list[set[str]] = [set() for _ in range(count)]
        at_end: set[str] = set()
        compared: dict[str, list[int]] = {}
        for condition, path in conditions(scenario):
            names = set()
            for atom in atoms(condition):
                if isinstance(atom, VariableIs):
                    names.add(atom.var)
                elif isinstance(atom, AspectTotal):
                    compared.setdefault(atom.aspect, []).append(atom.value)
                elif isinstance(atom, ResponsibilityTotal):
                    key = responsibility_key(atom.responsibility)
                    compared.setdefault(key, []).append(atom.value)
            if path[0] == "scenes":
                reads[compiled.scene_index[str(path[1])]].update(names)
            else:  # ending rules, debriefs and epilogues are read at last scenes
                at_end.update(names)
        for position in range(count):
            if compiled.scene_endings[position] is not None:
                reads[position].update(at_end)
        back = reverse(adjacency)
        live = [
            reachable(back, [s for s in range(count) if v.name in reads[s]])
            for v in compiled.variables
        ]
        self.dead = [tuple(i for i, flags in enumerate(live) if not flags[s]) for s in range(count)]
        self.clamps: list[tuple[tuple[int, int], ...] | None] = [None] * count
        if not self.keys or compiled.start < 0 or compiled.percent_of:
            return
        components = strongly_connected(adjacency, [compiled.start])
        if any(len(c) > 1 or c[0] in adjacency[c[0]] for c in components):
            return
        up = [[0] * len(self.keys) for _ in range(count)]
        down = [[0] * len(self.keys) for _ in range(count)]
        for component in components:  # sinks first
            node = component[0]
            for option in compiled.choices[node]:
                if option.target < 0:
                    continue
                moves = dict(option.moves)
                for k, key in enumerate(self.keys):
                    move = moves.get(key, 0)
                    up[node][k] = max(up[node][k], move + up[option.target][k])
                    down[node][k] = min(down[node][k], move + down[option.target][k])
        for component in components:
            node = component[0]
            self.clamps[node] = tuple(
                (min(compared[key]) - up[node][k] - 1, max(compared[key]) - down[node][k] + 1)
                for k, key in enumerate(self.keys)
            )

    def _reduce(
        self, scene: int, values: tuple[Any, ...], totals: tuple[int, ...]
    ) -> tuple[tuple[Any, ...], tuple[int, ...]]:
        # Called for every edge: the per-scene work is done once, in _reductions.
        dead = self.dead[scene]
        if dead:
            reset = list(values)
            initial = self.compiled.initial
            for index in dead:
                reset[index] = initial[index]
            values = tuple(reset)
        clamp = self.clamps[scene]
        if clamp is not None:
            totals = tuple(
                low if t < low else high if t > high else t
                for t, (low, high) in zip(totals, clamp, strict=True)
            )
        return values, totals

    def context(
        self, state: tuple[Any, ...]
    ) -> tuple[tuple[Any, ...], dict[str, int], frozenset[str]]:
        """The state as conditions read it: (variables, net marks, scenes visited)."""
        _, values, totals, flags = state
        nets = dict(zip(self.keys, totals, strict=True))
        visited = frozenset(s for s, flag in zip(self.scene_keys, flags, strict=True) if flag)
        return values, nets, visited

    def _run(self, limit: int) -> None:
        compiled = self.compiled
        if compiled.start < 0:
            return
        keys, scene_keys = self.keys, self.scene_keys
        start_flags = tuple(compiled.scenario.start == s for s in scene_keys)
        first = (
            compiled.start,
            *self._reduce(compiled.start, compiled.initial, (0,) * len(keys)),
            start_flags,
        )
        seen = {first: 0}
        # scenes whose choices have conditions (or whose steps move percent sums)
        conditional = [
            bool(compiled.percent_of) or any(c.test is not None for c in options)
            for options in compiled.choices
        ]
        self.states.append(first)
        self.edges.append([])
        queue = deque([0])
        while queue:
            number = queue.popleft()
            state = self.states[number]
            scene = state[0]
            if compiled.scene_endings[scene] is not None:
                continue
            options = compiled.choices[scene]
            if conditional[scene]:
                values, nets, visited = self.context(state)
                open_now = [c for c in options if c.test is None or c.test(values, nets, visited)]
            else:  # no condition to read: skip building what conditions see
                values, open_now = state[1], list(options)
            bounds = compiled.bound_moves(open_now)  # as the runner counts them
            step = tuple(dict(bounds).get(key, 0) for key in keys) if bounds else None
            for choice in open_now:
                if choice.target < 0:
                    continue
                totals = state[2]
                move = self._move(choice)
                if move is not None:
                    totals = tuple(t + m for t, m in zip(totals, move, strict=True))
                if step is not None:
                    totals = tuple(t + m for t, m in zip(totals, step, strict=True))
                flags = state[3]
                if scene_keys:
                    target_id = compiled.scene_ids[choice.target]
                    flags = tuple(
                        flag or s == target_id for s, flag in zip(scene_keys, flags, strict=True)
                    )
                successor = (
                    choice.target,
                    *self._reduce(choice.target, compiled.apply(choice, values), totals),
                    flags,
                )
                found = seen.get(successor)
                if found is None:
                    if len(self.states) >= limit:
                        return
                    found = seen[successor] = len(self.states)
                    self.states.append(successor)
                    self.edges.append([])
                    queue.append(found)
                self.edges[number].append((choice, found))
        self.complete = True

    def _move(self, choice: CompiledChoice) -> tuple[int, ...] | None:
        """What ``choice`` adds to each tracked total (None for nothing), worked out once."""
        key = id(choice)
        if key not in self._moves:
            moves = dict(choice.moves)
            move = tuple(moves.get(k, 0) for k in self.keys)
            self._moves[key] = move if any(move) else None
        return self._moves[key]

    def order(self) -> list[int] | None:
        """The states in topological order; None when they form a loop."""
        count = len(self.states)
        incoming = [0] * count
        for edges in self.edges:
            for _, target in edges:
                incoming[target] += 1
        ready = deque(n for n in range(count) if incoming[n] == 0)
        out = []
        while ready:
            node = ready.popleft()
            out.append(node)
            for _, target in self.edges[node]:
                incoming[target] -= 1
                if incoming[target] == 0:
                    ready.append(target)
        return out if len(out) == count else None

    def ending(self, number: int) -> str | None:
        state = self.states[number]
        values, nets, visited = self.context(state)
        return self.compiled.ending_for(state[0], values, nets, visited)

    def positional(self, last: bool) -> str | None:
        """The ending of always taking the first (or last) open choice; None if it never ends."""
        number = 0
        for _ in range(len(self.states) + 1):
            if self.compiled.scene_endings[self.states[number][0]] is not None:
                return self.ending(number)
            edges = self.edges[number]
            if not edges:
                return None
            number = edges[-1 if last else 0][1]
        return None


def _warning(code: str, path: tuple[str | int, ...], subject: str, message: str) -> Problem:
    """A balance warning (every balance finding is one)."""
    return Problem(code=code, severity="warning", parts=path, subject=subject, message=message)


def _skipped(scenario: Scenario, explorer: _Explorer, limit: int, what: str) -> Problem:
    reason = (
        f"more than {limit:,} states"
        if not explorer.complete
        else "its states form a loop (a run can come back to the same state), so exact "
        "probabilities need more than one pass"
    )
    return _warning(
        "exploration-skipped",
        (),
        scenario.id,
        f"{what} skipped: {reason}; bound integer variables with min and max, or break the loop",
    )


def balance(
    compiled: CompiledScenario, *, limit: int = BALANCE_STATE_LIMIT, report: bool = True
) -> tuple[BalanceReport | None, list[Problem]]:
    """The balance report (when ``report``) and the problems the exploration finds.

    Problems: ``unshown-variant`` always (when the scenario has variants); with
    ``report``, ``dominant-ending``, ``positional-bias``, ``length-bias`` and
    ``one-choice-aspect``; ``exploration-skipped`` when the state space is too large
    or has a loop.
    """
    scenario = compiled.scenario
    findings: list[Problem] = []
    if report:
        findings.extend(_static_balance(scenario, compiled.framework))
    has_variants = any(scene.variants for scene in scenario.scenes) or any(
        e.variants or (e.epilogue and e.epilogue.variants) for e in scenario.endings
    )
    if not report and not has_variants:
        return None, findings
    explorer = _Explorer(compiled, limit)
    if compiled.start < 0:
        return None, findings
    order = explorer.order() if explorer.complete else None
    if order is None:
        what = "the balance report and the check that every variant is shown were"
        if not report:
            what = "the check that every variant is shown was"
        elif not has_variants:
            what = "the balance report was"
        findings.append(_skipped(scenario, explorer, limit, what))
        return None, findings
    if has_variants:
        findings.extend(_variants(compiled, explorer))
    if not report:
        return None, findings
    result = _report(compiled, explorer, order)
    for chance in result.endings:
        if chance.probability > 0.6:
            findings.append(
                _warning(
                    "dominant-ending",
                    ("endings", chance.ending),
                    chance.ending,
                    f"{chance.probability:.0%} of random play ends with "
                    f"{chance.ending!r} (more than 60%): give other endings real routes, or "
                    "make this one harder to reach",
                )
            )
    return result, findings


def _report(compiled: CompiledScenario, explorer: _Explorer, order: list[int]) -> BalanceReport:
    count = len(explorer.states)
    probability = [0.0] * count
    probability[0] = 1.0
    names = [r.id for r in compiled.framework]
    low = [[math.inf] * len(names) for _ in range(count)]
    high = [[-math.inf] * len(names) for _ in range(count)]
    low[0] = [0.0] * len(names)
    high[0] = [0.0] * len(names)
    chances: dict[str, float] = {e.id: 0.0 for e in compiled.scenario.endings}
    ranges = [[math.inf, -math.inf] for _ in names]
    for node in order:
        edges = explorer.edges[node]
        if compiled.scene_endings[explorer.states[node][0]] is not None:
            ending = explorer.ending(node)
            if ending is not None:
                chances[ending] = chances.get(ending, 0.0) + probability[node]
            for k in range(len(names)):
                ranges[k][0] = min(ranges[k][0], low[node][k])
                ranges[k][1] = max(ranges[k][1], high[node][k])
            continue
        share = probability[node] / len(edges) if edges else 0.0
        for choice, target in edges:
            probability[target] += share
            for k, name in enumerate(names):
                step = choice.nets.get(name, 0)
                low[target][k] = min(low[target][k], low[node][k] + step)
                high[target][k] = max(high[target][k], high[node][k] + step)
    return BalanceReport(
        endings=tuple(EndingChance(ending=e, probability=p) for e, p in chances.items()),
        always_first=explorer.positional(last=False),
        always_last=explorer.positional(last=True),
        ranges=tuple(
            NetRange(responsibility=name, min=int(lo), max=int(hi))
            for name, (lo, hi) in zip(names, ranges, strict=True)
            if lo <= hi
        ),
        states=count,
    )


def _variants(compiled: CompiledScenario, explorer: _Explorer) -> Iterator[Problem]:
    """``unshown-variant`` for each variant no run is shown."""
    scenario = compiled.scenario
    shown: set[tuple[str, str, int]] = set()  # (where, id, variant number)
    for number, state in enumerate(explorer.states):
        scene = state[0]
        context = explorer.context(state)
        found, _ = compiled.pick(compiled.scene_variants[scene], "", context)
        if found is not None:
            shown.add(("scenes", compiled.scene_ids[scene], found))
        if compiled.scene_endings[scene] is not None:
            ending = explorer.ending(number)
            if ending is None or ending not in compiled.debrief_variants:
                continue
            found, _ = compiled.pick(compiled.debrief_variants[ending], "", context)
            if found is not None:
                shown.add(("endings", ending, found))
            found, _ = compiled.pick(compiled.epilogue_variants[ending], "", context)
            if found is not None:
                shown.add(("epilogue", ending, found))
    places: list[tuple[str, str, int, tuple[str | int, ...]]] = []
    for scene in scenario.scenes:
        places += [
            ("scenes", scene.id, n, ("scenes", scene.id, "variants", n))
            for n in range(len(scene.variants))
        ]
    for end in scenario.endings:
        places += [
            ("endings", end.id, n, ("endings", end.id, "variants", n))
            for n in range(len(end.variants))
        ]
        if end.epilogue is not None:
            places += [
                ("epilogue", end.id, n, ("endings", end.id, "epilogue", "variants", n))
                for n in range(len(end.epilogue.variants))
            ]
    for where, owner, n, path in places:
        if (where, owner, n) not in shown:
            yield _warning(
                "unshown-variant",
                path,
                owner,
                f"variant {n} of {owner!r} is never shown: on every way of playing, "
                "its condition is false where it is read, or an earlier variant holds first; "
                "fix its condition or move it up",
            )


def _decisions(scenario: Scenario, framework: Framework) -> list[tuple[int, list[int], int]]:
    """Per decision scene: (number of choices, indexes of the best-scoring, index of longest)."""
    owners = {a.id for a in framework.aspects}
    out = []
    for scene in scenario.scenes:
        if len(scene.choices) < 2:
            continue
        scores = [sum(m.net for m in c.effects.marks if m.aspect in owners) for c in scene.choices]
        if len(set(scores)) < 2:
            continue  # nothing to choose between
        top = max(scores)
        best = [n for n, score in enumerate(scores) if score == top]
        lengths = [len(c.text) for c in scene.choices]
        longest = lengths.index(max(lengths)) if lengths.count(max(lengths)) == 1 else -1
        out.append((len(scene.choices), best, longest))
    return out


def _static_balance(scenario: Scenario, framework: Framework) -> Iterator[Problem]:
    """``positional-bias``, ``length-bias`` and ``one-choice-aspect``: no playing needed."""
    decisions = _decisions(scenario, framework)
    half = len(decisions) / 2
    if scenario.order == "authored" and decisions:
        at: dict[str, int] = {}
        for count, best, _ in decisions:
            if len(best) != 1:
                continue
            position = best[0]
            at[f"number {position + 1}"] = at.get(f"number {position + 1}", 0) + 1
            if position == count - 1:
                at["last"] = at.get("last", 0) + 1
        for where, times in sorted(at.items()):
            if times > half:
                yield _warning(
                    "positional-bias",
                    ("order",),
                    scenario.id,
                    f"the best-scoring option is {where} in {times} of "
                    f"{len(decisions)} decision scenes (with 'order: authored' players learn "
                    "the pattern): vary where it sits, or use 'order: shuffled'",
                )
    if decisions:
        longest = sum(1 for _, best, long in decisions if long >= 0 and best == [long])
        if longest > half:
            yield _warning(
                "length-bias",
                ("scenes",),
                scenario.id,
                f"the best-scoring option is the longest in {longest} of "
                f"{len(decisions)} decision scenes: players learn to pick the longest; "
                "give tempting wrong options their full reasoning, and trim the best",
            )
    plus: dict[str, int] = {}
    minus: dict[str, int] = {}
    for scene in scenario.scenes:
        for choice in scene.choices:
            for mark in {(m.aspect, m.sign) for m in choice.effects.marks}:
                table = plus if mark[1] == "+" else minus
                table[mark[0]] = table.get(mark[0], 0) + 1
    for aspect in framework.aspects:
        for sign, table in (("+", plus), ("-", minus)):
            if table.get(aspect.id) == 1:
                yield _warning(
                    "one-choice-aspect",
                    ("scenes",),
                    aspect.id,
                    f"aspect {aspect.id!r} ({aspect.title}) is marked {sign} by a "
                    "single choice: one decision decides it; mark it in another scene too",
                )
