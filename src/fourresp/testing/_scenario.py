"""Strategies for scenarios, their documents and random play-throughs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from fourresp.testing._args import check_at_least, check_size_range
from fourresp.testing._content import identifiers, texts, versions

if TYPE_CHECKING:
    from fourresp.scenario import (
        Choice,
        Condition,
        Ending,
        Mark,
        Run,
        Scenario,
        Scene,
        Update,
        Variable,
        Variant,
    )
    from fourresp.scenario._models import Op

# What a scenario reads as a placeholder ("{strongest}"); generated prose has none.
_BRACED = re.compile(r"\{[^{}\s]{1,40}\}")


def _prose(*, max_size: int = 80) -> st.SearchStrategy[str]:
    """:func:`texts` without anything a scenario would read as a placeholder."""
    return texts(max_size=max_size).filter(lambda text: _BRACED.search(text) is None)


class _Draft:
    """A scenario being drawn: the ids and strategies its parts share, and the choices so far."""

    def __init__(self, draw: st.DrawFn, count: int, with_variants: bool) -> None:
        from fourresp.content import load_framework
        from fourresp.scenario import Mark

        self.draw = draw
        self.count = count
        self.with_variants = with_variants
        self.scene_ids = [f"scene-{number}" for number in range(count)]
        self.choices: list[list[Choice]] = [[] for _ in range(count)]
        self.responsibility_ids = [r.id for r in load_framework()]
        aspect_ids = [aspect.id for aspect in load_framework().aspects]
        self.ops: st.SearchStrategy[Op] = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
        self.marks: st.SearchStrategy[list[Mark]] = st.lists(
            st.builds(
                lambda aspect, sign, weight: Mark(aspect=aspect, sign=sign, weight=weight),
                st.sampled_from(aspect_ids),
                st.sampled_from(["+", "-"]),
                st.integers(1, 3),
            ),
            max_size=2,
        )

    def variants(self, end: bool = False) -> tuple[Variant, ...]:
        """Up to two variants (none without ``variants``); an ending's may name placeholders."""
        from fourresp.scenario import Variant

        if not self.with_variants:
            return ()
        draw = self.draw
        found = []
        for _ in range(draw(st.integers(0, 2))):
            condition = self.variant_condition()
            text = draw(_prose(max_size=30))
            if end and draw(st.booleans()):
                text += " {strongest} / {weakest}"
            found.append(Variant(condition=condition, text=text))
        return tuple(found)

    def variant_condition(self) -> Condition:
        """A visit, a responsibility's net marks or its percent, compared with a value."""
        from fourresp.scenario import ResponsibilityPercent, ResponsibilityTotal, Visited

        draw = self.draw
        kind = draw(st.sampled_from(["visited", "total", "percent"]))
        if kind == "visited":
            return Visited(visited=self.scene_ids[draw(st.integers(0, self.count - 1))])
        if kind == "total":
            return ResponsibilityTotal(
                responsibility=draw(st.sampled_from(self.responsibility_ids)),
                op=draw(self.ops),
                value=draw(st.integers(-3, 3)),
            )
        return ResponsibilityPercent(
            percent=draw(st.sampled_from(self.responsibility_ids)),
            op=draw(self.ops),
            value=draw(st.integers(0, 100)),
        )

    def add_choice(
        self,
        source: int,
        target: int,
        *,
        condition: Condition | None = None,
        updates: tuple[Update, ...] = (),
    ) -> None:
        """Give scene ``source`` a choice leading to scene ``target``."""
        from fourresp.scenario import Choice, Effects

        draw = self.draw
        number = len(self.choices[source])
        self.choices[source].append(
            Choice(
                id=f"choice-{number}",
                text=draw(_prose(max_size=40)),
                goto=self.scene_ids[target],
                feedback=draw(st.none() | _prose(max_size=40)),
                effects=Effects(marks=tuple(draw(self.marks)), set=updates),
                condition=condition,
            )
        )


def _add_ways_in(draft: _Draft, last_open: int) -> None:
    """Give every scene but the first a way in from an earlier scene that offers choices."""
    for scene in range(1, draft.count):
        source = draft.draw(st.integers(0, min(scene - 1, last_open)))
        draft.add_choice(source, scene)


def _add_ways_on(draft: _Draft, last_open: int, with_flag: bool, with_loops: bool) -> None:
    """Give each open scene an unconditional way on, maybe more choices, maybe a loop back."""
    from fourresp.scenario import AnyOf, Update, VariableIs, Visited

    draw = draft.draw
    for scene in range(last_open + 1):
        if not draft.choices[scene]:  # an unconditional way on
            draft.add_choice(scene, draw(st.integers(scene + 1, draft.count - 1)))
        for _ in range(draw(st.integers(0, 2))):
            target = draw(st.integers(scene + 1, draft.count - 1))
            updates: tuple[Update, ...] = ()
            condition: Condition | None = None
            if with_flag and draw(st.booleans()):
                updates = (Update(var="flag", to=draw(st.booleans())),)
            if with_flag and draw(st.booleans()):
                # holds at least on the first visit: the scene itself counts as visited
                condition = AnyOf(
                    any=(
                        VariableIs(var="flag", op="==", value=draw(st.booleans())),
                        Visited(visited=draft.scene_ids[scene]),
                    )
                )
            draft.add_choice(scene, target, condition=condition, updates=updates)
        if with_loops and scene > 0 and draw(st.booleans()):
            draft.add_choice(
                scene,
                draw(st.integers(0, scene)),
                condition=VariableIs(var="laps", op="<", value=2),
                updates=(Update(var="laps", add=1),),
            )


def _endings(draft: _Draft, ending_count: int) -> list[Ending]:
    """The endings, one for each of the last scenes; with variants, maybe an epilogue."""
    from fourresp.scenario import Ending, Epilogue

    draw = draft.draw
    return [
        Ending(
            id=f"ending-{number}",
            title=draw(_prose(max_size=30)),
            verdict=draw(_prose(max_size=30)),
            debrief=draw(_prose(max_size=60)),
            passed=draw(st.none() | st.booleans()),
            variants=draft.variants(end=True),
            epilogue=Epilogue(text=draw(_prose(max_size=40)), variants=draft.variants(True))
            if draft.with_variants and draw(st.booleans())
            else None,
        )
        for number in range(ending_count)
    ]


def _scenes(draft: _Draft, endings: list[Ending]) -> list[Scene]:
    """The scenes with their choices; the last ``len(endings)`` each end the run."""
    from fourresp.scenario import Scene

    draw = draft.draw
    first_terminal = draft.count - len(endings)
    return [
        Scene(
            id=draft.scene_ids[number],
            text=draw(_prose(max_size=60)),
            act=draw(st.none() | _prose(max_size=20)),
            speaker=draw(st.none() | _prose(max_size=20)),
            choices=tuple(draft.choices[number]),
            ending=endings[number - first_terminal].id if number >= first_terminal else None,
            variants=draft.variants(),
        )
        for number in range(draft.count)
    ]


def _declared(scenes: list[Scene], with_flag: bool) -> tuple[Variable, ...]:
    """The variables the scenes set or read."""
    from fourresp.scenario import Variable

    declared = []
    updated = {u.var for s in scenes for c in s.choices for u in c.effects.set}
    read = any(c.condition is not None for s in scenes for c in s.choices)
    if with_flag and ("flag" in updated or read):
        declared.append(Variable(name="flag", type="boolean", initial=False))
    if "laps" in updated:  # set and read by the same looping choices
        declared.append(Variable(name="laps", type="integer", initial=0, min=0, max=2))
    return tuple(declared)


def scenarios(
    *,
    min_scenes: int = 2,
    max_scenes: int = 12,
    loops: bool = True,
    variables: bool = True,
    variants: bool = False,
) -> st.SearchStrategy[Scenario]:
    """Valid scenarios on the default framework's aspects: the validator finds no error.

    Scenes are laid out in order; every non-ending scene has an unconditional
    choice to a later scene (so every run can end), every scene has a way in, and
    the last scenes end the run, one ending each (so every ending is reachable).
    With ``variables``, a boolean is set by some choices and read by conditions,
    and with ``loops``, some scenes get a way back to an earlier scene, guarded by
    a bounded counter, so every loop has an exit. Choices mark random aspects + or -.
    With ``variants``, some scenes, debriefs and epilogues get variants on what
    was visited and on responsibilities' net marks and percents (which may or may not
    ever be shown: the validator may warn), and the order is shuffled or authored.
    Needs ``2 <= min_scenes <= max_scenes`` (a scene to start and one to end):
    ``InvalidArgument`` otherwise.
    """
    from fourresp.scenario import Scenario

    check_size_range("min_scenes", min_scenes, "max_scenes", max_scenes, floor=2)

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        count = draw(st.integers(min_scenes, max_scenes))
        ending_count = draw(st.integers(1, min(3, count - 1)))
        with_flag = variables and draw(st.booleans())
        with_loops = loops and draw(st.booleans())
        draft = _Draft(draw, count, with_variants=variants and draw(st.booleans()))
        last_open = count - ending_count - 1  # the last scene that offers choices
        _add_ways_in(draft, last_open)
        _add_ways_on(draft, last_open, with_flag, with_loops)
        endings = _endings(draft, ending_count)
        scenes = _scenes(draft, endings)
        return Scenario(
            id=draw(identifiers()),
            version=draw(versions()),
            title=draw(_prose(max_size=40)),
            introduction=draw(_prose(max_size=80)),
            start=draft.scene_ids[0],
            scenes=tuple(scenes),
            endings=tuple(endings),
            variables=_declared(scenes, with_flag),
            order=draw(st.sampled_from(["shuffled", "authored"]))
            if draft.with_variants
            else "shuffled",
        )

    return build()


def scenario_documents(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Scenario documents as plain mappings (``kind: scenario`` included), ready to dump."""
    from fourresp import to_document

    return scenarios(**kwargs).map(to_document)


def runs(scenario: Scenario, *, max_steps: int = 50) -> st.SearchStrategy[Run]:
    """Runs of ``scenario``: random play-throughs of up to ``max_steps`` open choices.

    Each value is a :class:`~fourresp.scenario.Run`; it may or may not be finished.
    Runs have seed 0, so a shuffled scenario presents its choices in the same
    order every time and Hypothesis can replay and shrink what it drew.
    ``max_steps`` must be at least 0 (``InvalidArgument`` otherwise).
    """
    from fourresp.scenario import Runner

    check_at_least("max_steps", max_steps, 0)
    runner = Runner(scenario, seed=0)

    @st.composite
    def play(draw: st.DrawFn) -> Run:
        run = runner.start()
        for _ in range(draw(st.integers(0, max_steps))):
            options = runner.choices(run)
            if not options:
                break
            run = runner.choose(run, draw(st.sampled_from(options)).id)
        return run

    return play()
