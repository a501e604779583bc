"""What conditions read, what they can be, and how they hold over an explored state.

One typed :class:`Key` names everything a condition can read: a responsibility's
or an aspect's net marks, a variable, whether a scene was visited. The structural
pass reasons about keys' domains (:class:`Domains`); the state exploration keeps
one slot per tracked key and evaluates conditions with :func:`compile_condition`,
the one place that says how each condition kind holds over a state.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping
from typing import Literal

import attrs

from fourresp.scenario._models import (
    AllOf,
    AnyOf,
    AspectTotal,
    Condition,
    Not,
    ResponsibilityPercent,
    ResponsibilityTotal,
    Scenario,
    Variable,
    VariableIs,
    Visited,
)

__all__ = [
    "CONDITION_WORDING",
    "VARIANT_WORDING",
    "Domains",
    "Inexact",
    "Interval",
    "Key",
    "References",
    "StateTest",
    "Wording",
    "all_conditions",
    "atoms",
    "compile_condition",
    "condition_findings",
    "percent_keys",
    "percent_of",
    "read_key",
    "read_keys",
    "tracked_scenes",
]

KeyKind = Literal["responsibility", "aspect", "var", "seen", "best", "worst"]


@attrs.frozen(order=True)
class Key:
    """What a condition reads: net marks (``responsibility``, ``aspect``), ``var``, ``seen``.

    ``best`` and ``worst`` are the sums, over the path, of the best and the worst net
    each step offered a responsibility: what a percent comparison reads beside the net.
    """

    kind: KeyKind
    name: str


Interval = tuple[float, float]
# A condition over an explored state: a flat tuple, one slot per tracked key.
StateTest = Callable[[tuple[int, ...]], bool]


class Inexact(Exception):
    """A condition the exploration cannot evaluate exactly (a kind it does not know)."""


def atoms(condition: Condition) -> Iterator[Condition]:
    """The leaves of ``condition`` (everything but ``all``, ``any`` and ``not``)."""
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


def read_key(atom: Condition) -> Key | None:
    """The key a leaf condition reads (None for a kind that reads no single key)."""
    if isinstance(atom, VariableIs):
        return Key("var", atom.var)
    if isinstance(atom, AspectTotal):
        return Key("aspect", atom.aspect)
    if isinstance(atom, ResponsibilityTotal):
        return Key("responsibility", atom.responsibility)
    if isinstance(atom, Visited):
        return Key("seen", atom.visited)
    return None


def read_keys(condition: Condition) -> Iterator[Key]:
    """Every key ``condition`` reads (a percent reads three: the net, the best and worst)."""
    for atom in atoms(condition):
        if isinstance(atom, ResponsibilityPercent):
            yield from percent_keys(atom.percent)
            continue
        key = read_key(atom)
        if key is not None:
            yield key


def percent_keys(responsibility: str) -> tuple[Key, Key, Key]:
    """What a percent comparison reads: the net, and the path's best and worst sums."""
    return (
        Key("responsibility", responsibility),
        Key("best", responsibility),
        Key("worst", responsibility),
    )


def percent_of(net: int, best: int, worst: int) -> float | None:
    """The scorecard's percent: ``net`` placed between ``worst`` (0) and ``best`` (100)."""
    return None if best == worst else 100 * (net - worst) / (best - worst)


def all_conditions(scenario: Scenario) -> list[Condition]:
    """Every condition in the scenario: on choices, then on ending rules."""
    found = [
        choice.condition
        for scene in scenario.scenes
        for choice in scene.choices
        if choice.condition is not None
    ]
    found += [rule.condition for rule in scenario.ending_rules if rule.condition is not None]
    return found


def tracked_scenes(scenario: Scenario) -> frozenset[str]:
    """The scenes some condition asks about (``visited``): the only visits worth keeping."""
    return frozenset(
        key.name
        for condition in all_conditions(scenario)
        for key in read_keys(condition)
        if key.kind == "seen"
    )


@attrs.frozen
class Wording:
    """How reference and type problems are worded where a condition stands.

    Each is a :meth:`str.format` template over ``var``, ``op``, ``value``, ``aspect``,
    ``framework``, ``responsibility``, ``known`` and ``scene``.
    """

    undeclared: str
    boolean: str
    integer: str
    aspect: str
    responsibility: str
    scene: str


#: The wording for a choice's or an ending rule's condition.
CONDITION_WORDING = Wording(
    undeclared="the condition reads {var!r}, which is not declared: add it under "
    "'variables' with its type and initial value",
    boolean="{var!r} is a boolean: compare it with == or != to true or false, not {op} {value!r}",
    integer="{var!r} is an integer: compare it with a whole number, not {value!r}",
    aspect="the condition reads aspect {aspect!r}, which is not an aspect of {framework!r}",
    responsibility="the condition reads responsibility {responsibility!r}; known: {known}",
    scene="the condition asks whether {scene!r} was visited, but there is no such scene",
)

_COMPARE_BY_TYPE = (
    "the variant compares it {op} {value!r}; compare a boolean with == or != to true or "
    "false, an integer with a whole number"
)

#: The wording for a variant's condition (of a scene, a debrief or an epilogue).
VARIANT_WORDING = Wording(
    undeclared="the variant reads {var!r}, which is not declared: add it under 'variables'",
    boolean="{var!r} is a boolean: " + _COMPARE_BY_TYPE,
    integer="{var!r} is an integer: " + _COMPARE_BY_TYPE,
    aspect="the variant reads aspect {aspect!r}, which is not an aspect of {framework!r}",
    responsibility="the variant reads responsibility {responsibility!r}; known: {known}",
    scene="the variant asks whether {scene!r} was visited, but there is no such scene",
)


@attrs.frozen
class References:
    """What a scenario's conditions may name: for the reference and type checks."""

    variables: Mapping[str, Variable]
    aspects: Container[str]
    responsibilities: Collection[str]
    scenes: Container[str]
    framework: str

    def finding(self, atom: Condition, wording: Wording) -> tuple[str, str, str] | None:
        """(code, subject, message) for a leaf condition naming what does not exist or
        comparing a variable against its type; None when it is sound."""
        if isinstance(atom, VariableIs):
            variable = self.variables.get(atom.var)
            if variable is None:
                template, code = wording.undeclared, "undeclared-variable"
            elif variable.type == "boolean" and (
                not isinstance(atom.value, bool) or atom.op not in ("==", "!=")
            ):
                template, code = wording.boolean, "type-mismatch"
            elif variable.type == "integer" and isinstance(atom.value, bool):
                template, code = wording.integer, "type-mismatch"
            else:
                return None
            return code, atom.var, template.format(var=atom.var, op=atom.op, value=atom.value)
        if isinstance(atom, AspectTotal) and atom.aspect not in self.aspects:
            message = wording.aspect.format(aspect=atom.aspect, framework=self.framework)
            return "unknown-aspect", atom.aspect, message
        if (
            isinstance(atom, ResponsibilityTotal)
            and atom.responsibility not in self.responsibilities
        ):
            message = wording.responsibility.format(
                responsibility=atom.responsibility, known=", ".join(sorted(self.responsibilities))
            )
            return "unknown-responsibility", atom.responsibility, message
        if isinstance(atom, Visited) and atom.visited not in self.scenes:
            return "unknown-scene", atom.visited, wording.scene.format(scene=atom.visited)
        return None


def condition_findings(
    condition: Condition, references: References, used: set[str]
) -> list[tuple[str, str, str]]:
    """(code, subject, message) for every reference or type problem in ``condition``.

    The variables it reads are added to ``used``.
    """
    found = []
    for atom in atoms(condition):
        if isinstance(atom, VariableIs):
            used.add(atom.var)
        problem = references.finding(atom, CONDITION_WORDING)
        if problem is not None:
            found.append(problem)
    return found


def _interval(op: str, value: int) -> Interval | None:
    """The values satisfying ``x op value`` as an interval (None for ``!=``)."""
    return {
        "==": (value, value),
        "<": (-math.inf, value - 1),
        "<=": (-math.inf, value),
        ">": (value + 1, math.inf),
        ">=": (value, math.inf),
    }.get(op)


def _compared(atom: Condition) -> tuple[str, int] | None:
    """(op, value as a number) of a comparison leaf."""
    if isinstance(atom, VariableIs | AspectTotal | ResponsibilityTotal):
        return atom.op, int(atom.value)
    return None


class Domains:
    """What values each key can take, over-approximated, so that "impossible" is a proof."""

    def __init__(
        self, variables: Iterable[Variable], totals: Mapping[Key, Interval], reached: set[str]
    ) -> None:
        self.variables = {v.name: v for v in variables}
        self.totals = totals
        self.reached = reached

    def of(self, key: Key) -> Interval | None:
        """The values ``key`` can take (None: unknown, so anything)."""
        if key.kind == "var":
            variable = self.variables.get(key.name)
            if variable is None:
                return None
            if variable.type == "boolean":
                return (0, 1)
            low = -math.inf if variable.min is None else variable.min
            high = math.inf if variable.max is None else variable.max
            return (low, high)
        if key.kind in ("aspect", "responsibility"):
            return self.totals.get(key, (0, 0))
        return None

    def constraint(self, atom: Condition) -> tuple[Key, Interval] | None:
        """The atom as (key, interval of values that satisfy it), when it is one interval."""
        key, compared = read_key(atom), _compared(atom)
        if key is None or compared is None or self.of(key) is None:
            return None
        interval = _interval(*compared)
        return None if interval is None else (key, interval)

    def possible(self, condition: Condition) -> bool:
        """False only when ``condition`` can hold in no state at all."""
        if isinstance(condition, AllOf):
            if not all(self.possible(c) for c in condition.all):
                return False
            bounds: dict[Key, Interval] = {}
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
        return self._leaf(condition, possible=True)

    def always(self, condition: Condition) -> bool:
        """True only when ``condition`` holds in every state."""
        if isinstance(condition, AllOf):
            return all(self.always(c) for c in condition.all)
        if isinstance(condition, AnyOf):
            return any(self.always(c) for c in condition.any)
        if isinstance(condition, Not):
            return not self.possible(condition.not_)
        if isinstance(condition, Visited):
            return False
        return self._leaf(condition, possible=False)

    def _leaf(self, atom: Condition, *, possible: bool) -> bool:
        key, compared = read_key(atom), _compared(atom)
        domain = None if key is None else self.of(key)
        if domain is None or compared is None:  # unknown: anything may happen
            return possible
        low, high = domain
        op, value = compared
        need = _interval(op, value)
        if need is None:  # !=
            if possible:
                return not (low == high == value)
            return not (low <= value <= high)
        if possible:
            return max(low, need[0]) <= min(high, need[1])
        return need[0] <= low and high <= need[1]


_OPS: dict[str, Callable[[float, float], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compile_condition(condition: Condition, slots: Mapping[Key, int]) -> StateTest:
    """``condition`` as a test of an explored state (a tuple with a slot per tracked key).

    A key with no slot is one the scenario does not declare (an undeclared variable,
    an unknown scene): such a leaf never holds, as in the runner. A condition kind
    this function does not know raises :class:`Inexact`, and the exploration is
    skipped with a warning rather than guessed.
    """
    if isinstance(condition, AllOf):
        parts = tuple(compile_condition(c, slots) for c in condition.all)
        return lambda state: all(part(state) for part in parts)
    if isinstance(condition, AnyOf):
        parts = tuple(compile_condition(c, slots) for c in condition.any)
        return lambda state: any(part(state) for part in parts)
    if isinstance(condition, Not):
        inner = compile_condition(condition.not_, slots)
        return lambda state: not inner(state)
    if isinstance(condition, ResponsibilityPercent):
        return _percent_test(condition, slots)
    key = read_key(condition)
    if key is None:
        raise Inexact(type(condition).__name__)
    slot = slots.get(key)
    if isinstance(condition, Visited):
        if slot is None:
            return _never
        return lambda state: state[slot] == 1
    compared = _compared(condition)
    if compared is None:
        raise Inexact(type(condition).__name__)
    compare, value = _OPS[compared[0]], compared[1]
    if slot is None:
        if key.kind == "var" or not compare(0, value):
            return _never
        return _always
    return lambda state: compare(state[slot], value)


def _percent_test(condition: ResponsibilityPercent, slots: Mapping[Key, int]) -> StateTest:
    """A percent comparison, as the runner makes it (nothing at stake reads 100)."""
    found = [slots.get(key) for key in percent_keys(condition.percent)]
    if any(slot is None for slot in found):
        raise Inexact("percent")  # the exploration tracks all three, or none
    net, best, worst = (slot for slot in found if slot is not None)
    compare, value = _OPS[condition.op], condition.value

    def test(state: tuple[int, ...]) -> bool:
        percent = percent_of(state[net], state[best], state[worst])
        return compare(100.0 if percent is None else percent, value)

    return test


def _never(state: tuple[int, ...]) -> bool:
    del state
    return False


def _always(state: tuple[int, ...]) -> bool:
    del state
    return True
