"""Scenario models: scenes, choices, conditions, effects, endings.

In documents, ``scenes``, ``endings`` and ``variables`` are mappings keyed by id
(so a repeated id is a duplicate key, reported with both lines by the loader);
in the models they are tuples in document order, each item carrying its id.
Conditions are structured data, one of:

- ``{all: [...]}``, ``{any: [...]}``, ``{not: {...}}``;
- ``{var: NAME, op: OP, value: V}`` on a declared variable;
- ``{aspect: ID, op: OP, value: N}`` and ``{responsibility: ID, op: OP, value: N}``
  on the net marks so far;
- ``{percent: RESPONSIBILITY, op: OP, value: N}`` on a responsibility's percent of
  what was achievable on the path so far (as on the scorecard; 100 while no step
  has offered any difference for it);
- ``{visited: SCENE}``.

Scenes, ending debriefs and epilogues may carry ``variants``: the text of the first
variant whose condition holds is shown, and the plain ``text`` otherwise. Debriefs
and epilogues may name ``{strongest}`` and ``{weakest}``: the titles of the run's
strongest and weakest responsibility by percent of what was achievable.

``OP`` is one of ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``. Nothing is ever
evaluated as code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Union

import attrs

from fourresp._lookup import find

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "BY_RULES",
    "AllOf",
    "AnyOf",
    "AspectTotal",
    "Choice",
    "Condition",
    "Effects",
    "Ending",
    "EndingRule",
    "Epilogue",
    "Mark",
    "Not",
    "Op",
    "Order",
    "ResponsibilityPercent",
    "ResponsibilityTotal",
    "Scenario",
    "Scene",
    "Update",
    "Variable",
    "VariableIs",
    "Variant",
    "Visited",
    "scenario_hooks",
]

Op = Literal["==", "!=", "<", "<=", ">", ">="]
#: How a runner presents a scene's open choices: ``shuffled`` (an order derived from the
#: run's seed and the scene id) or ``authored`` (document order).
Order = Literal["shuffled", "authored"]
#: A scene whose ``ending`` is this is an ending chosen by the scenario's ``ending_rules``.
BY_RULES = "by-rules"


@attrs.frozen(kw_only=True)
class AllOf:
    """Holds when every condition holds."""

    all: tuple[Condition, ...]


@attrs.frozen(kw_only=True)
class AnyOf:
    """Holds when at least one condition holds."""

    any: tuple[Condition, ...]


@attrs.frozen(kw_only=True)
class Not:
    """Holds when its condition does not. ``not`` in documents."""

    not_: Condition


@attrs.frozen(kw_only=True)
class VariableIs:
    """Compares a declared variable with a value of its type."""

    var: str
    op: Op
    value: int | bool


@attrs.frozen(kw_only=True)
class AspectTotal:
    """Compares an aspect's net marks so far (+ weights minus - weights) with a number."""

    aspect: str
    op: Op
    value: int


@attrs.frozen(kw_only=True)
class ResponsibilityTotal:
    """Compares a responsibility's net marks so far (all its aspects) with a number."""

    responsibility: str
    op: Op
    value: int


@attrs.frozen(kw_only=True)
class ResponsibilityPercent:
    """Compares a responsibility's percent of what was achievable so far (0-100) with a number.

    The percent is the scorecard's: the run's net placed between the worst and the
    best the path allowed. While no step has offered any difference for the
    responsibility, it reads 100 (nothing achievable was missed).
    """

    percent: str
    op: Op
    value: int


@attrs.frozen(kw_only=True)
class Visited:
    """Holds when the run has been through the scene ``visited`` before."""

    visited: str


Condition = Union[  # noqa: UP007
    AllOf, AnyOf, Not, VariableIs, AspectTotal, ResponsibilityTotal, ResponsibilityPercent, Visited
]


@attrs.frozen(kw_only=True)
class Variant:
    """Text shown instead of the plain text when ``condition`` holds (the first that holds wins)."""

    condition: Condition
    text: str


@attrs.frozen(kw_only=True)
class Epilogue:
    """What happened afterwards ("three months later..."): the first variant that holds, or text."""

    text: str
    variants: tuple[Variant, ...] = ()


@attrs.frozen(kw_only=True)
class Mark:
    """A mark on an aspect: ``+`` (good practice) or ``-``, with a whole-number weight."""

    aspect: str
    sign: Literal["+", "-"]
    weight: int = 1

    @property
    def net(self) -> int:
        """The mark as a signed number: ``+weight`` or ``-weight``."""
        return self.weight if self.sign == "+" else -self.weight


@attrs.frozen(kw_only=True)
class Update:
    """A change to a variable: set it ``to`` a value, or ``add`` to an integer (clamped)."""

    var: str
    to: int | bool | None = None
    add: int | None = None


@attrs.frozen(kw_only=True)
class Effects:
    """What a choice does: marks on aspects and updates to variables (``set`` in documents)."""

    marks: tuple[Mark, ...] = ()
    set: tuple[Update, ...] = ()


@attrs.frozen(kw_only=True)
class Variable:
    """A declared variable: ``integer`` (optionally bounded by min/max) or ``boolean``."""

    name: str
    type: Literal["integer", "boolean"]
    initial: int | bool
    min: int | None = None
    max: int | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Choice:
    """One option in a scene: where it leads, what the mentor says, what it changes."""

    id: str
    text: str
    goto: str
    feedback: str | None = None
    condition: Condition | None = None
    effects: Effects = Effects()


@attrs.frozen(kw_only=True)
class Scene:
    """A moment of the story: text, then choices, or an ending (an id or ``by-rules``)."""

    id: str
    text: str
    act: str | None = None
    speaker: str | None = None
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    variants: tuple[Variant, ...] = ()

    def choice(self, choice_id: str) -> Choice:
        """The choice with ``choice_id``; :class:`~fourresp.errors.NotFoundError` if absent."""
        return find(
            self.choices, choice_id, lambda: f"scene {self.id!r} has no choice {choice_id!r}"
        )


@attrs.frozen(kw_only=True)
class Ending:
    """How a run ends: a title, the verdict ("recognised as a true professional"), a debrief.

    ``passed`` says whether the verdict is a success (for badges and records).
    ``variants`` replace the debrief (the first whose condition holds at the end of
    the run); ``epilogue`` says what happened afterwards.
    """

    id: str
    title: str
    verdict: str
    debrief: str
    passed: bool | None = None
    variants: tuple[Variant, ...] = ()
    epilogue: Epilogue | None = None


@attrs.frozen(kw_only=True)
class EndingRule:
    """Picks ``ending`` at a ``by-rules`` scene when ``condition`` holds (always, without one)."""

    ending: str
    condition: Condition | None = None


@attrs.frozen(kw_only=True)
class Scenario:
    """A branching practice scenario on a framework's aspects."""

    id: str
    version: str
    title: str
    introduction: str
    start: str
    scenes: tuple[Scene, ...]
    endings: tuple[Ending, ...]
    framework: str = "four-responsibilities"
    variables: tuple[Variable, ...] = ()
    ending_rules: tuple[EndingRule, ...] = ()
    order: Order = "shuffled"

    def scene(self, scene_id: str) -> Scene:
        """The scene with ``scene_id``; :class:`~fourresp.errors.NotFoundError` if absent."""
        return find(
            self.scenes, scene_id, lambda: f"scenario {self.id!r} has no scene {scene_id!r}"
        )

    def ending(self, ending_id: str) -> Ending:
        """The ending with ``ending_id``; :class:`~fourresp.errors.NotFoundError` if absent."""
        return find(
            self.endings, ending_id, lambda: f"scenario {self.id!r} has no ending {ending_id!r}"
        )


_CONDITION_KEYS: dict[str, type[Any]] = {
    "all": AllOf,
    "any": AnyOf,
    "not": Not,
    "var": VariableIs,
    "aspect": AspectTotal,
    "responsibility": ResponsibilityTotal,
    "percent": ResponsibilityPercent,
    "visited": Visited,
}


def scenario_hooks(converter: cattrs.Converter) -> None:
    """The hooks the scenario models need on ``converter`` (a hook set for ``make_converter``).

    A condition is structured by its key; ``not`` is the ``not_`` field; scenes,
    endings and variables are mappings keyed by id (or name) in documents.
    """
    from cattrs.errors import IterableValidationError, IterableValidationNote
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    def structure_condition(data: Any, _: Any) -> Condition:
        if not isinstance(data, dict):
            raise TypeError(f"a condition is a mapping, found {type(data).__name__}")
        for key, cls in _CONDITION_KEYS.items():
            if key in data:
                structured: Condition = converter.structure(data, cls)
                return structured
        raise ValueError(
            "a condition has one of the keys "
            + ", ".join(_CONDITION_KEYS)
            + "; found "
            + (", ".join(sorted(map(str, data))) or "none")
        )

    def structure_optional(data: Any, _: Any) -> Condition | None:
        return None if data is None else structure_condition(data, Condition)

    optional = Union[Condition, None]  # noqa: UP007
    converter.register_structure_hook_func(lambda t: t == Condition, structure_condition)
    converter.register_structure_hook_func(lambda t: t == optional, structure_optional)

    def unstructure_condition(value: Condition | None) -> Any:
        return None if value is None else converter.unstructure(value, type(value))

    converter.register_unstructure_hook_func(
        lambda t: t in (Condition, optional), unstructure_condition
    )
    converter.register_structure_hook(
        Not, make_dict_structure_fn(Not, converter, not_=override(rename="not"))
    )
    converter.register_unstructure_hook(
        Not, make_dict_unstructure_fn(Not, converter, not_=override(rename="not"))
    )

    def keyed(cls: type[Any], key: str) -> None:
        many = tuple[cls, ...]  # type: ignore[valid-type]

        def structure_many(data: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(data, dict):
                raise TypeError(f"expected a mapping by {key}, found {type(data).__name__}")
            items = []
            errors: list[Exception] = []
            for name, body in data.items():
                try:
                    if not isinstance(body, dict):
                        raise TypeError(f"expected a mapping, found {type(body).__name__}")
                    items.append(converter.structure({key: name, **body}, cls))
                except Exception as exc:  # gathered, each placed under its key
                    exc.add_note(IterableValidationNote(f"{key} {name}", name, cls))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"while structuring {cls.__name__}s", errors, many)
            return tuple(items)

        def unstructure_many(items: tuple[Any, ...]) -> dict[str, Any]:
            out = {}
            for item in items:
                body = converter.unstructure(item, cls)
                out[body.pop(key)] = body
            return out

        converter.register_structure_hook_func(lambda t: t == many, structure_many)
        converter.register_unstructure_hook_func(lambda t: t == many, unstructure_many)

    keyed(Scene, "id")
    keyed(Ending, "id")
    keyed(Variable, "name")
