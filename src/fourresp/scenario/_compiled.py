"""A scenario compiled for play and analysis: indexes, and conditions as closures.

Scenes, variables and aspects become small integers; each condition becomes a
function of the run's state (variable values, net marks per aspect, scenes
visited); each choice's effects become tuples. The runner and the validator's
state-space exploration both work on this form, so they agree by construction.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from fourresp.content import Framework
from fourresp.scenario._conditions import atoms, percent_of
from fourresp.scenario._models import (
    BY_RULES,
    AllOf,
    AnyOf,
    AspectTotal,
    Choice,
    Condition,
    Not,
    ResponsibilityPercent,
    ResponsibilityTotal,
    Scenario,
    Variable,
    VariableIs,
    Variant,
    Visited,
    scenario_hooks,
)

__all__ = [
    "PLACEHOLDERS",
    "CompiledChoice",
    "CompiledScenario",
    "Test",
    "atoms",
    "best_key",
    "choice_digest",
    "conditions",
    "fill_placeholders",
    "fingerprint",
    "presented_order",
    "responsibility_key",
    "worst_key",
]

#: The placeholders a debrief or an epilogue may name, filled from the run's scorecard.
PLACEHOLDERS = ("strongest", "weakest")

# A condition as a function of (variables, net marks, scenes visited). The net marks
# map each aspect id to its net, and "@" + a responsibility id to that responsibility's.
Test = Callable[[tuple[Any, ...], Mapping[str, int], frozenset[str]], bool]


def responsibility_key(responsibility: str) -> str:
    """The key of a responsibility's total among the net marks a test reads."""
    return "@" + responsibility


def best_key(responsibility: str) -> str:
    """The key of the sum, over the path, of the best net a step offered a responsibility."""
    return "+@" + responsibility


def worst_key(responsibility: str) -> str:
    """The key of the sum, over the path, of the worst net a step offered a responsibility."""
    return "-@" + responsibility


def _variant_places(
    variants: Iterable[Variant], base: tuple[str | int, ...]
) -> Iterator[tuple[Condition, tuple[str | int, ...]]]:
    for number, variant in enumerate(variants):
        yield variant.condition, (*base, number, "condition")


def conditions(scenario: Scenario) -> Iterator[tuple[Condition, tuple[str | int, ...]]]:
    """Every condition in ``scenario`` with its JSON path parts: choices, rules, variants."""
    for scene in scenario.scenes:
        for number, choice in enumerate(scene.choices):
            if choice.condition is not None:
                yield choice.condition, ("scenes", scene.id, "choices", number, "condition")
        yield from _variant_places(scene.variants, ("scenes", scene.id, "variants"))
    for number, rule in enumerate(scenario.ending_rules):
        if rule.condition is not None:
            yield rule.condition, ("ending_rules", number, "condition")
    for ending in scenario.endings:
        yield from _variant_places(ending.variants, ("endings", ending.id, "variants"))
        if ending.epilogue is not None:
            yield from _variant_places(
                ending.epilogue.variants, ("endings", ending.id, "epilogue", "variants")
            )


def presented_order(seed: int, scene_id: str, count: int) -> tuple[int, ...]:
    """A permutation of ``range(count)`` derived from ``seed`` and ``scene_id`` alone.

    The same seed and scene always give the same order (string seeds of
    :class:`random.Random` are hashed with SHA-512, so not per process).
    """
    import random  # (hashlib below too) imported when first needed, not with the package

    order = list(range(count))
    random.Random(f"{seed}/{scene_id}").shuffle(order)
    return tuple(order)


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` of :data:`PLACEHOLDERS` replaced; other text untouched."""
    for name in PLACEHOLDERS:
        if name in values:
            text = text.replace("{" + name + "}", values[name])
    return text


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def fingerprint(scenario: Scenario) -> str:
    """``sha256:`` and the hex digest of the scenario's canonical JSON document."""
    import hashlib

    from fourresp._load import to_document

    text = json.dumps(to_document(scenario), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def choice_digest(choice: Choice) -> str:
    """A short digest of what a choice means: its target and its effects."""
    import hashlib

    # The scenario kind's own converter (built once, shared with the loader), so
    # the digest reads the effects exactly as a saved scenario document spells them.
    from fourresp._document._convert import shared_converter

    effects = shared_converter(scenario_hooks).unstructure(choice.effects)
    meaning = {"goto": choice.goto, "effects": effects}
    text = json.dumps(meaning, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class CompiledChoice:
    """A choice ready to play: target index, test, marks and updates as tuples."""

    __slots__ = (
        "_digest",
        "choice",
        "id",
        "marks",
        "moves",
        "nets",
        "target",
        "test",
        "updates",
    )

    def __init__(
        self,
        choice: Choice,
        target: int,
        test: Test | None,
        updates: tuple[tuple[int, str, Any, int | None, int | None], ...],
        owners: Mapping[str, str],
    ) -> None:
        self.choice = choice
        self.id = choice.id
        self.target = target  # -1 when the target scene does not exist
        self.test = test
        self.marks = tuple((mark.aspect, mark.net) for mark in choice.effects.marks)
        self.updates = updates
        self._digest: str | None = None
        nets: dict[str, int] = {}
        for aspect, net in self.marks:
            owner = owners.get(aspect)
            if owner is not None:
                nets[owner] = nets.get(owner, 0) + net
        self.nets = nets  # net marks per responsibility
        # what the choice adds to the net marks a test reads: aspects and "@" + responsibility
        moves: dict[str, int] = {}
        for aspect, net in self.marks:
            moves[aspect] = moves.get(aspect, 0) + net
        for owner, net in nets.items():
            moves["@" + owner] = net
        self.moves = tuple(moves.items())

    @property
    def digest(self) -> str:
        """:func:`choice_digest` of the choice, worked out when a run first needs it.

        Only runs record and compare digests; working them out for every choice of
        a scenario took about a tenth of validating a 10 MB one.
        """
        if self._digest is None:
            self._digest = choice_digest(self.choice)
        return self._digest


class CompiledScenario:
    """The scenario with everything the runner and the validator look up made direct."""

    def __init__(self, scenario: Scenario, framework: Framework) -> None:
        self.scenario = scenario
        self.framework = framework
        self.scene_ids = [scene.id for scene in scenario.scenes]
        self.scene_index = {scene_id: index for index, scene_id in enumerate(self.scene_ids)}
        self.owners = {a.id: r.id for r in framework for a in r.aspects}
        self.aspects_of = {r.id: tuple(a.id for a in r.aspects) for r in framework}
        self.variables: tuple[Variable, ...] = scenario.variables
        self.var_index = {variable.name: index for index, variable in enumerate(self.variables)}
        self.initial = tuple(variable.initial for variable in self.variables)
        self.endings = {ending.id: ending for ending in scenario.endings}
        self.choices: list[tuple[CompiledChoice, ...]] = [
            tuple(self._choice(choice) for choice in scene.choices) for scene in scenario.scenes
        ]
        self.scene_endings: list[str | None] = [scene.ending for scene in scenario.scenes]
        self.rules: tuple[tuple[str, Test | None], ...] = tuple(
            (rule.ending, self.test(rule.condition)) for rule in scenario.ending_rules
        )
        self.start = self.scene_index.get(scenario.start, -1)
        self._fingerprint: str | None = None
        every = [condition for condition, _ in conditions(scenario)]
        #: the responsibilities whose percent some condition reads: for them, runs carry
        #: the best and worst sums (keys ``+@`` and ``-@``) beside the net
        self.percent_of: tuple[str, ...] = tuple(
            sorted(
                {
                    atom.percent
                    for condition in every
                    for atom in atoms(condition)
                    if isinstance(atom, ResponsibilityPercent)
                }
            )
        )
        #: the scenes some condition asks about (a run tracks only those)
        self.tracked_scenes = frozenset(
            atom.visited
            for condition in every
            for atom in atoms(condition)
            if isinstance(atom, Visited)
        )
        self.scene_variants: list[tuple[tuple[Test, str], ...]] = [
            self._variants(scene.variants) for scene in scenario.scenes
        ]
        self.debrief_variants = {e.id: self._variants(e.variants) for e in scenario.endings}
        self.epilogue_variants = {
            e.id: self._variants(e.epilogue.variants if e.epilogue else ())
            for e in scenario.endings
        }

    def _variants(self, variants: tuple[Variant, ...]) -> tuple[tuple[Test, str], ...]:
        return tuple((self._compile(v.condition), v.text) for v in variants)

    @staticmethod
    def pick(
        variants: tuple[tuple[Test, str], ...],
        plain: str,
        state: tuple[tuple[Any, ...], Mapping[str, int], frozenset[str]],
    ) -> tuple[int | None, str]:
        """(index of the first variant that holds or None, its text or ``plain``)."""
        for number, (test, text) in enumerate(variants):
            if test(*state):
                return number, text
        return None, plain

    def bound_moves(self, open_now: Iterable[CompiledChoice]) -> tuple[tuple[str, int], ...]:
        """What a step adds to the best and worst sums of the responsibilities in
        :attr:`percent_of`, given the choices open at it (as the scorecard counts)."""
        if not self.percent_of:
            return ()
        options = list(open_now)
        moves = []
        for name in self.percent_of:
            values = [choice.nets.get(name, 0) for choice in options] or [0]
            moves.append((best_key(name), max(values)))
            moves.append((worst_key(name), min(values)))
        return tuple(moves)

    @property
    def fingerprint(self) -> str:
        """The scenario's fingerprint (worked out once)."""
        if self._fingerprint is None:
            self._fingerprint = fingerprint(self.scenario)
        return self._fingerprint

    def _choice(self, choice: Choice) -> CompiledChoice:
        updates: list[tuple[int, str, Any, int | None, int | None]] = []
        for update in choice.effects.set:
            index = self.var_index.get(update.var, -1)
            variable = self.variables[index] if index >= 0 else None
            low = variable.min if variable is not None else None
            high = variable.max if variable is not None else None
            if update.add is not None:
                updates.append((index, "add", update.add, low, high))
            else:
                updates.append((index, "to", update.to, low, high))
        return CompiledChoice(
            choice,
            self.scene_index.get(choice.goto, -1),
            self.test(choice.condition),
            tuple(updates),
            self.owners,
        )

    def test(self, condition: Condition | None) -> Test | None:
        """``condition`` as a function of the state; None for "always"."""
        if condition is None:
            return None
        return self._compile(condition)

    def _compile(self, condition: Condition) -> Test:
        if isinstance(condition, AllOf):
            parts = tuple(self._compile(c) for c in condition.all)
            return lambda v, n, s: all(part(v, n, s) for part in parts)
        if isinstance(condition, AnyOf):
            parts = tuple(self._compile(c) for c in condition.any)
            return lambda v, n, s: any(part(v, n, s) for part in parts)
        if isinstance(condition, Not):
            inner = self._compile(condition.not_)
            return lambda v, n, s: not inner(v, n, s)
        if isinstance(condition, VariableIs):
            compare, value = _OPS[condition.op], condition.value
            index = self.var_index.get(condition.var)
            if index is None:  # undeclared: the validator says so; it never holds
                return lambda v, n, s: False
            return lambda v, n, s: compare(v[index], value)
        if isinstance(condition, AspectTotal):
            compare, value, aspect = _OPS[condition.op], condition.value, condition.aspect
            return lambda v, n, s: compare(n.get(aspect, 0), value)
        if isinstance(condition, ResponsibilityTotal):
            compare, value = _OPS[condition.op], condition.value
            key = responsibility_key(condition.responsibility)
            return lambda v, n, s: compare(n.get(key, 0), value)
        if isinstance(condition, ResponsibilityPercent):
            compare, value = _OPS[condition.op], condition.value
            net_key = responsibility_key(condition.percent)
            high_key, low_key = best_key(condition.percent), worst_key(condition.percent)

            def percent(_v: tuple[Any, ...], n: Mapping[str, int], _s: frozenset[str]) -> bool:
                found = percent_of(n.get(net_key, 0), n.get(high_key, 0), n.get(low_key, 0))
                return compare(100.0 if found is None else found, value)

            return percent
        if isinstance(condition, Visited):
            scene = condition.visited
            return lambda v, n, s: scene in s
        raise TypeError(f"not a condition: {condition!r}")

    def apply(self, choice: CompiledChoice, variables: tuple[Any, ...]) -> tuple[Any, ...]:
        """The variables after ``choice``'s updates (integers clamped to their bounds)."""
        if not choice.updates:
            return variables
        values = list(variables)
        for index, kind, value, low, high in choice.updates:
            if index < 0:
                continue
            new = values[index] + value if kind == "add" else value
            if low is not None and new < low:
                new = low
            if high is not None and new > high:
                new = high
            values[index] = new
        return tuple(values)

    def ending_for(
        self,
        scene: int,
        variables: tuple[Any, ...],
        nets: Mapping[str, int],
        visited: frozenset[str],
    ) -> str | None:
        """The ending a run gets at ``scene``: its own, the first rule that holds, or None."""
        ending = self.scene_endings[scene]
        if ending is None or ending != BY_RULES:
            return ending
        for ending_id, test in self.rules:
            if test is None or test(variables, nets, visited):
                return ending_id
        return None
