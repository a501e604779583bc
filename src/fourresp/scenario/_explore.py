"""The validator's second pass: every state a run can be in, within a budget.

A state is a flat tuple: the scene, then one slot per variable, per total some
condition compares (an aspect's or a responsibility's net marks) and per scene
some condition asks about (1 once visited). Only what conditions read is kept,
so states that would play alike merge. Two reductions keep them few and stay
exact: a slot nobody reads from a scene onwards is *dead* there and reset; in a
scenario without loops, a total beyond what any later choice could still change
about a comparison is clamped.

The exploration stops at ``limit`` states or ``budget`` bytes (estimated from
the states' width, so a wide state counts for what it costs) and says so;
:meth:`Exploration.ranges` then works out, for each ending, the range of each
responsibility's net marks over every way there, finding loops that move a
score with potentials and, where those disagree, Bellman-Ford with early
detection of a growing loop, within a work budget.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

from fourresp.scenario._compiled import CompiledChoice, CompiledScenario, best_key, worst_key
from fourresp.scenario._conditions import (
    Inexact,
    Key,
    StateTest,
    all_conditions,
    atoms,
    compile_condition,
    read_key,
    read_keys,
    tracked_scenes,
)
from fourresp.scenario._graphs import reachable, reverse, strongly_connected
from fourresp.scenario._models import BY_RULES

__all__ = ["DEFAULT_MEMORY_BUDGET", "DEFAULT_STATE_LIMIT", "Exploration"]

DEFAULT_STATE_LIMIT = 200_000
#: Bytes the exploration's states and edges may take, estimated as it goes.
DEFAULT_MEMORY_BUDGET = 96 * 2**20
_STATE_BYTES = 240  # a state's fixed cost: tuple header, dict entry, its lists
_SLOT_BYTES = 8  # each slot of a state's tuple
_EDGE_BYTES = 72  # an edge: a (target, weights) pair in a list
#: Edge relaxations spent, in all, finding which way loops of states move scores.
LOOP_WORK = 4_000_000

State = tuple[Any, ...]


class Exploration:
    """Every state a run can be in, its edges, and what conditions allowed there."""

    def __init__(self, compiled: CompiledScenario, limit: int, budget: int) -> None:
        self.compiled = compiled
        self.limit, self.budget = limit, budget
        self.responsibilities = tuple(r.id for r in compiled.framework)
        self.states: list[State] = []
        # the edges, state by state (a state's are targets[first[n]:first[n + 1]]), in flat
        # lists (of ints, and of each choice's weights): no container per edge for the
        # garbage collector to walk in its full passes
        self.first: list[int] = []
        self.targets: list[int] = []
        self.nets: list[tuple[int, ...]] = []  # per edge: net marks per responsibility
        self._adjacency: list[tuple[int, ...]] | None = None
        self.endings: dict[int, str | None] = {}  # terminal state -> ending (None: no rule)
        self.offered: set[tuple[int, int]] = set()  # (scene, choice number) ever offered
        self.stuck: set[int] = set()
        self.complete = False
        self.skipped: str | None = None  # why the exploration stopped, when it did
        self.inexact_condition: str | None = None  # a condition it could not evaluate
        self.inexact_loops: set[str] = set()  # responsibilities whose loops went unchecked
        self.bytes = 0
        conditions = all_conditions(compiled.scenario)
        self._slots(conditions)
        try:
            self.tests = [[self._test(c.choice.condition) for c in cs] for cs in compiled.choices]
            self.rule_tests = [
                self._test(rule.condition) for rule in compiled.scenario.ending_rules
            ]
        except Inexact as kind:
            self.inexact_condition = f"a {kind} condition cannot be evaluated exactly"
            return
        self.masks: dict[int, tuple[int, ...]] = {}
        self.weights = [[self._weights(c) for c in cs] for cs in compiled.choices]
        self.moves = [[self._moves(c) for c in cs] for cs in compiled.choices]
        self._reductions(conditions)
        self._run()

    def _test(self, condition: Any) -> StateTest | None:
        return None if condition is None else compile_condition(condition, self.slots)

    def _slots(self, conditions: list[Any]) -> None:
        """One slot per variable, then per total and per scene conditions read."""
        compiled = self.compiled
        keys: list[Key] = [Key("var", v.name) for v in compiled.variables]
        totals = {k for c in conditions for k in read_keys(c) if k.kind not in ("var", "seen")}
        # the scenes whose visits matter: found as the runner finds them
        seen = {Key("seen", s) for s in tracked_scenes(compiled.scenario)}
        # Key's own order, compared as plain tuples: attrs' generated comparison cost
        # about a tenth of checking a scenario of 20,000 scenes that read visits.
        read = sorted(
            totals | {k for k in seen if k.name in compiled.scene_index},
            key=lambda key: (key.kind, key.name),
        )
        keys += read
        self.keys = keys
        self.slots = {key: number + 1 for number, key in enumerate(keys)}
        self.width = len(keys) + 1
        self.default: list[Any] = [0, *compiled.initial, *(0 for _ in read)]
        # the slot a scene's visit sets (0: none)
        self.seen_slot = [self.slots.get(Key("seen", s), 0) for s in compiled.scene_ids]
        # percent comparisons read the path's best and worst sums, which every step
        # moves by what the choices open there offer (as the runner counts them)
        self.bound_slots: dict[str, int] = {}
        for name in compiled.percent_of:
            for key, slot_key in (
                (best_key(name), Key("best", name)),
                (worst_key(name), Key("worst", name)),
            ):
                if slot_key in self.slots:
                    self.bound_slots[key] = self.slots[slot_key]
        self.bound_mask = sum(1 << slot for slot in self.bound_slots.values())

    def _weights(self, choice: CompiledChoice) -> tuple[int, ...]:
        nets: dict[str, int] = choice.nets
        return tuple(nets.get(r, 0) for r in self.responsibilities)

    def _moves(self, choice: CompiledChoice) -> tuple[tuple[int, int], ...]:
        """What the choice adds to each tracked total's slot."""
        slots, owners = self.slots, self.compiled.owners
        gains: dict[int, int] = {}
        for aspect, net in choice.marks:
            for key in (Key("aspect", aspect), Key("responsibility", owners.get(aspect, ""))):
                slot = slots.get(key)
                if slot is not None:
                    gains[slot] = gains.get(slot, 0) + net
        return tuple((slot, gain) for slot, gain in gains.items() if gain)

    def _reductions(self, conditions: list[Any]) -> None:
        """Per scene: the slots dead there, and (without loops) the clamps of totals."""
        compiled = self.compiled
        count = len(compiled.scene_ids)
        adjacency = [[c.target for c in compiled.choices[s] if c.target >= 0] for s in range(count)]
        reads: list[set[int]] = [set() for _ in range(count)]
        rule_reads = {
            self.slots[k]
            for rule in compiled.scenario.ending_rules
            if rule.condition is not None
            for k in read_keys(rule.condition)
            if k in self.slots
        }
        for position, scene in enumerate(compiled.scenario.scenes):
            for choice in scene.choices:
                if choice.condition is not None:
                    reads[position].update(
                        self.slots[k] for k in read_keys(choice.condition) if k in self.slots
                    )
            if scene.ending == BY_RULES:
                reads[position].update(rule_reads)
        # a slot is alive at a scene when that scene or one after it reads it: one
        # pass over the loops' condensation, sinks first, with a bit per slot
        alive = [0] * count
        for component in strongly_connected(adjacency):
            mask = 0
            for node in component:
                for slot in reads[node]:
                    mask |= 1 << slot
                for target in adjacency[node]:
                    mask |= alive[target]
            for node in component:
                alive[node] = mask
        full = (1 << self.width) - 2
        self.dead_mask = [full & ~mask for mask in alive]
        self.resets = [
            [self._resets(s, c, m) for c, m in zip(compiled.choices[s], self.moves[s], strict=True)]
            for s in range(count)
        ]
        self.clamps: list[tuple[tuple[int, int, int], ...]] = [()] * count
        totals = [s for k, s in self.slots.items() if k.kind in ("aspect", "responsibility")]
        if not totals or compiled.start < 0 or self.bound_slots:
            return  # (a percent is a ratio of sums: no clamp keeps it exact)
        components = strongly_connected(adjacency, [compiled.start])
        if any(len(c) > 1 or c[0] in adjacency[c[0]] for c in components):
            return  # round a loop a total can go anywhere: no clamp is exact
        bounds: dict[int, tuple[int, int]] = {}
        for condition in conditions:
            for atom in atoms(condition):
                key = read_key(atom)
                found = self.slots.get(key) if key is not None else None
                if found is not None and found in totals:
                    slot, value = found, int(atom.value)  # type: ignore[union-attr]
                    low, high = bounds.get(slot, (value, value))
                    bounds[slot] = (min(low, value), max(high, value))
        up = [dict.fromkeys(bounds, 0) for _ in range(count)]
        down = [dict.fromkeys(bounds, 0) for _ in range(count)]
        for component in components:  # sinks first
            node = component[0]
            for option, moves in zip(compiled.choices[node], self.moves[node], strict=True):
                if option.target < 0:
                    continue
                gain = dict(moves)
                for slot in bounds:
                    step = gain.get(slot, 0)
                    up[node][slot] = max(up[node][slot], step + up[option.target][slot])
                    down[node][slot] = min(down[node][slot], step + down[option.target][slot])
        for node in range(count):
            self.clamps[node] = tuple(
                (slot, low - up[node][slot] - 1, high - down[node][slot] + 1)
                for slot, (low, high) in bounds.items()
            )

    def _resets(self, scene: int, choice: CompiledChoice, moves: Any) -> tuple[int, ...]:
        """The slots to reset on taking ``choice``: dead at its target, and alive before
        or written by the choice (a slot dead at a scene already holds its default)."""
        if choice.target < 0:
            return ()
        dead_there = self.dead_mask[choice.target]
        written = 1 << self.seen_slot[choice.target] | self.bound_mask
        for slot, _ in moves:
            written |= 1 << slot
        for index, *_ in choice.updates:
            written |= 1 << (index + 1)
        mask = dead_there & (~self.dead_mask[scene] | written)
        resets = self.masks.get(mask)
        if resets is None:
            # remembered: many choices share a mask (every choice into one scene, often);
            # 3,000 choices into one scene of 3,000 booleans went from 8 s to 0.6 s
            resets = self.masks[mask] = _bits(mask)
        return resets

    def _next(self, state: State, choice: CompiledChoice, moves: Any, resets: Any) -> State:
        values = list(state)
        target = choice.target
        values[0] = target
        for slot, gain in moves:
            values[slot] += gain
        if choice.updates:
            for index, kind, value, low, high in choice.updates:
                if index < 0:
                    continue
                new = values[index + 1] + value if kind == "add" else value
                if low is not None and new < low:
                    new = low
                if high is not None and new > high:
                    new = high
                values[index + 1] = new
        seen = self.seen_slot[target]
        if seen:
            values[seen] = 1
        default = self.default
        for slot in resets:
            values[slot] = default[slot]
        for slot, low, high in self.clamps[target]:
            values[slot] = min(max(values[slot], low), high)
        return tuple(values)

    def _run(self) -> None:
        compiled = self.compiled
        if compiled.start < 0:
            return
        start = list(self.default)
        start[0] = compiled.start
        if self.seen_slot[compiled.start]:
            start[self.seen_slot[compiled.start]] = 1
        if self.dead_mask[compiled.start] >> self.seen_slot[compiled.start] & 1:
            start[self.seen_slot[compiled.start]] = 0
        first = tuple(start)
        index = {first: 0}
        self.states.append(first)
        state_bytes = _STATE_BYTES + _SLOT_BYTES * self.width
        self.bytes = state_bytes
        queue = deque([0])
        while queue:
            number = queue.popleft()
            state = self.states[number]
            scene = state[0]
            self.first.append(len(self.targets))
            if compiled.scene_endings[scene] is not None:
                self.endings[number] = self._ending(scene, state)
                continue
            targets, nets = self.targets, self.nets
            offered_any = False
            options = zip(
                compiled.choices[scene],
                self.tests[scene],
                self.moves[scene],
                self.weights[scene],
                self.resets[scene],
                strict=True,
            )
            if self.bound_slots:
                state = self._bounded(scene, state)
            for choice_number, (choice, test, moves, weights, resets) in enumerate(options):
                if test is not None and not test(state):
                    continue
                offered_any = True
                self.offered.add((scene, choice_number))
                if choice.target < 0:
                    continue
                new = self._next(state, choice, moves, resets)
                found = index.get(new)
                if found is None:
                    if len(self.states) >= self.limit:
                        self.skipped = f"more than {self.limit:,} states"
                        return
                    if self.bytes + state_bytes > self.budget:
                        self.skipped = (
                            f"more than {self.budget // 2**20:,} MiB of states "
                            f"({len(self.states):,} states of {self.width:,} values each)"
                        )
                        return
                    found = len(self.states)
                    index[new] = found
                    self.states.append(new)
                    self.bytes += state_bytes
                    queue.append(found)
                targets.append(found)
                nets.append(weights)
                self.bytes += _EDGE_BYTES
            if not offered_any:
                self.stuck.add(number)
        self.first.append(len(self.targets))
        self.complete = True

    def _bounded(self, scene: int, state: State) -> State:
        """``state`` with the best and worst sums moved by this step's open choices."""
        open_now = [
            choice
            for choice, test in zip(self.compiled.choices[scene], self.tests[scene], strict=True)
            if test is None or test(state)
        ]
        values = list(state)
        for key, move in self.compiled.bound_moves(open_now):
            values[self.bound_slots[key]] += move
        return tuple(values)

    def _ending(self, scene: int, state: State) -> str | None:
        ending = self.compiled.scene_endings[scene]
        if ending != BY_RULES:
            return ending
        for (ending_id, _), test in zip(self.compiled.rules, self.rule_tests, strict=True):
            if test is None or test(state):
                return ending_id
        return None

    def adjacency(self) -> list[tuple[int, ...]]:
        """Each state's targets (made once; tuples, which the collector soon stops tracking)."""
        if self._adjacency is None:
            first, targets = self.first, self.targets
            self._adjacency = [
                tuple(targets[first[n] : first[n + 1]]) for n in range(len(self.states))
            ]
        return self._adjacency

    def can_end(self) -> bytearray:
        """A flag per state: 1 when some way on from it reaches an ending."""
        return reachable(reverse(self.adjacency()), list(self.endings))

    def ranges(self) -> dict[str, dict[str, tuple[float, float]]]:
        """Per ending, per responsibility: (min, max) of net marks over every way there."""
        return _Ranges(self).run()


def _bits(mask: int) -> tuple[int, ...]:
    """The positions of the bits set in ``mask``, in time linear in its width."""
    if mask.bit_count() < 32:
        found = []
        while mask:
            low = mask & -mask
            found.append(low.bit_length() - 1)
            mask ^= low
        return tuple(found)
    digits = bin(mask)[:1:-1]  # bit n is character n
    return tuple(n for n, digit in enumerate(digits) if digit == "1")


class _Ranges:
    """Longest and shortest ways to each state, component by component in topological order.

    Edges are numbered as in the exploration; ``inside[e]`` says whether edge ``e``
    stays in its component, and ``weight[e]`` is its net for the responsibility
    being worked out (one flat list per responsibility, made once).
    """

    def __init__(self, exploration: Exploration) -> None:
        self.exploration = exploration
        self.first, self.targets = exploration.first, exploration.targets
        count = len(exploration.states)
        self.components = strongly_connected(exploration.adjacency(), [0] if count else [])
        member = [0] * count
        for number, component in enumerate(self.components):
            for node in component:
                member[node] = number
        self.member = member
        first, targets = self.first, self.targets
        inside = bytearray(len(targets))
        for node in range(count):
            for edge in range(first[node], first[node + 1]):
                if member[targets[edge]] == member[node]:
                    inside[edge] = 1
        self.inside = inside
        # a component loops when it has an inner edge (more than one state, or a self-loop)
        self.loops = [
            any(inside[e] for n in c for e in range(first[n], first[n + 1]))
            for c in self.components
        ]
        self.weight: list[int] = []
        self.work = 0

    def run(self) -> dict[str, dict[str, tuple[float, float]]]:
        """Per ending, per responsibility: (min, max) of net marks over every way there."""
        exploration = self.exploration
        out: dict[str, dict[str, tuple[float, float]]] = {}
        for k, responsibility in enumerate(exploration.responsibilities):
            self.weight = [nets[k] for nets in exploration.nets]
            potentials = [
                _potentials(c, self) if looped else None
                for c, looped in zip(self.components, self.loops, strict=True)
            ]
            highest = self._extremes(potentials, 1, responsibility)
            lowest = self._extremes(potentials, -1, responsibility)
            for state, ending in exploration.endings.items():
                if ending is None:
                    continue
                low, high = out.setdefault(ending, {}).get(responsibility, (math.inf, -math.inf))
                out[ending][responsibility] = (min(low, -lowest[state]), max(high, highest[state]))
        return out

    def _extremes(
        self, potentials: list[dict[int, int] | None], sign: int, responsibility: str
    ) -> list[float]:
        """The most ``sign`` * the score any way to each state can have."""
        first, targets, inside, weight = self.first, self.targets, self.inside, self.weight
        count = len(self.member)
        best = [-math.inf] * count
        entry = [-math.inf] * count
        if count:
            entry[0] = 0
        for number in range(len(self.components) - 1, -1, -1):  # topological order
            component, potential = self.components[number], potentials[number]
            if not self.loops[number]:
                best[component[0]] = entry[component[0]]
            elif potential is not None:  # every loop here leaves the score as it was
                top = max(entry[node] - sign * potential[node] for node in component)
                for node in component:
                    best[node] = top + sign * potential[node]
            else:
                grows, used = _longest(component, self, entry, best, sign, LOOP_WORK - self.work)
                self.work += used
                if grows is None:  # out of work: say unbounded, and that it was not checked
                    self.exploration.inexact_loops.add(responsibility)
                if grows is not False:
                    for node in component:
                        best[node] = math.inf
            for node in component:
                value = best[node]
                for edge in range(first[node], first[node + 1]):
                    if not inside[edge]:
                        target = targets[edge]
                        if value + sign * weight[edge] > entry[target]:
                            entry[target] = value + sign * weight[edge]
        return best


def _potentials(component: list[int], ranges: _Ranges) -> dict[int, int] | None:
    """A potential per state with every inner edge's weight its difference; None if none."""
    first, targets, inside, weight = ranges.first, ranges.targets, ranges.inside, ranges.weight
    potential = {component[0]: 0}
    queue = deque([component[0]])
    while queue:
        node = queue.popleft()
        here = potential[node]
        for edge in range(first[node], first[node + 1]):
            if not inside[edge]:
                continue
            target, expected = targets[edge], here + weight[edge]
            found = potential.get(target)
            if found is None:
                potential[target] = expected
                queue.append(target)
            elif found != expected:
                return None
    return potential


def _longest(
    component: list[int],
    ranges: _Ranges,
    entry: list[float],
    best: list[float],
    sign: int,
    work: int,
) -> tuple[bool | None, int]:
    """Bellman-Ford for the longest ways in from the entries, into ``best``.

    True when a loop of positive total can be reached (the score grows without
    bound), False when the longest ways were found, None when ``work`` edge
    relaxations did not settle it; with the relaxations spent. A cycle among the
    parent links is a loop of positive total, so it is looked for after every
    round: growing loops are found in a few rounds, not after one per state.
    """
    first, targets, inside, weight = ranges.first, ranges.targets, ranges.inside, ranges.weight
    for node in component:
        best[node] = entry[node]
    parent: dict[int, int] = {}
    changed = [node for node in component if entry[node] > -math.inf]
    rounds = spent = checked = 0
    while changed:
        rounds += 1
        if rounds > len(component):
            return True, spent
        following: dict[int, None] = {}
        for node in changed:
            value = best[node]
            spent += first[node + 1] - first[node]
            for edge in range(first[node], first[node + 1]):
                if not inside[edge]:
                    continue
                target = targets[edge]
                reached = value + sign * weight[edge]
                if reached > best[target]:
                    best[target] = reached
                    parent[target] = node
                    following[target] = None
        if spent > work:
            return None, spent
        # the check costs a walk over the parents: made once per that many relaxations
        if following and spent - checked >= len(parent):
            checked = spent = spent + len(parent)
            if _parent_cycle(parent):
                return True, spent
        changed = list(following)
    return False, spent


def _parent_cycle(parent: dict[int, int]) -> bool:
    """True when following parent links from some node comes back round."""
    mark: dict[int, int] = {}
    for start in parent:
        if start in mark:
            continue
        node: int | None = start
        while node is not None and node not in mark:
            mark[node] = start
            node = parent.get(node)
        if node is not None and mark[node] == start:
            return True
    return False
