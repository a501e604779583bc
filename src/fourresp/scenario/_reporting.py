"""The validator's report: score ranges, and what only playing every way shows.

Result types first (:class:`ScoreRange`, :class:`EndingReport`, :class:`ScenarioReport`,
whose diagnostics are :class:`~fourresp.errors.Problem` values), then
:func:`dynamic_diagnostics`, which turns the facts the state exploration gathered
into located problems.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Protocol

import attrs

from fourresp._document._paths import PathPart
from fourresp.errors import Problem
from fourresp.scenario._balance import BalanceReport
from fourresp.scenario._explore import Exploration

__all__ = [
    "EndingReport",
    "ScenarioReport",
    "ScoreRange",
    "StructuralFacts",
    "choice_path",
    "condition_path",
    "dynamic_diagnostics",
    "ranges_report",
    "scene_path",
]


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
    ``balance`` the balance report, when asked for and worked out. Each diagnostic
    is a :class:`~fourresp.errors.Problem` with its ``code``, ``severity``,
    ``parts`` (and the JSON ``path`` made from them), ``subject`` and ``message``,
    and no line: the loader adds lines when it runs the validator on a file.
    """

    diagnostics: tuple[Problem, ...]
    endings: tuple[EndingReport, ...]
    longest_path: int | None
    states: int | None
    balance: BalanceReport | None = None

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The diagnostics of severity ``error``."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


def _error(code: str, path: tuple[PathPart, ...], subject: str, message: str) -> Problem:
    """An error the exploration found (every one this module reports is an error)."""
    return Problem(code=code, severity="error", parts=path, subject=subject, message=message)


def scene_path(scene: str) -> tuple[PathPart, ...]:
    return ("scenes", scene)


def choice_path(scene: str, index: int) -> tuple[PathPart, ...]:
    return ("scenes", scene, "choices", index)


def condition_path(scene: str | None, number: int) -> tuple[PathPart, ...]:
    if scene is None:
        return ("ending_rules", number, "condition")
    return (*choice_path(scene, number), "condition")


class StructuralFacts(Protocol):
    """What the first pass found that the second must not report again."""

    statically_unreachable: set[str]
    trapped: set[str]


def ranges_report(exploration: Exploration) -> tuple[EndingReport, ...]:
    """For each ending: reached or not, and each responsibility's range of net marks."""
    ranges = exploration.ranges()
    out = []
    for ending in exploration.compiled.scenario.endings:
        found = ranges.get(ending.id)
        out.append(
            EndingReport(
                ending=ending.id,
                reachable=found is not None,
                ranges=()
                if found is None
                else tuple(
                    ScoreRange(
                        responsibility=r,
                        min=None if found[r][0] == -math.inf else int(found[r][0]),
                        max=None if found[r][1] == math.inf else int(found[r][1]),
                    )
                    for r in exploration.responsibilities
                ),
            )
        )
    return tuple(out)


def dynamic_diagnostics(
    exploration: Exploration, earlier: Sequence[Problem], structural: StructuralFacts
) -> Iterator[Problem]:
    """What only playing every way shows, past what the ``earlier`` diagnostics said."""
    reported = {(d.code, d.subject) for d in earlier}
    yield from _never_reached(exploration, reported, structural)
    yield from _never_ending(exploration, reported, structural)


def _never_reached(
    exploration: Exploration, reported: set[tuple[str, str | None]], structural: StructuralFacts
) -> Iterator[Problem]:
    """Scenes no way of playing reaches, and choices never offered where they are."""
    scenario = exploration.compiled.scenario
    reached_scenes = {state[0] for state in exploration.states}
    for position, scene in enumerate(scenario.scenes):
        if position not in reached_scenes and scene.id not in structural.statically_unreachable:
            yield _error(
                "unreachable-scene",
                scene_path(scene.id),
                scene.id,
                f"no way of playing reaches scene {scene.id!r}: the conditions on the "
                "choices that lead there never all allow it",
            )
    for position, scene in enumerate(scenario.scenes):
        if position not in reached_scenes:
            continue
        for number, choice in enumerate(scene.choices):
            if choice.condition is not None and (position, number) not in exploration.offered:
                if ("impossible-condition", choice.id) in reported:
                    continue
                yield _error(
                    "impossible-condition",
                    (*choice_path(scene.id, number), "condition"),
                    choice.id,
                    f"choice {choice.id!r} is never offered: whenever a run is in "
                    f"scene {scene.id!r}, its condition is false; fix or remove the condition",
                )


def _never_ending(
    exploration: Exploration, reported: set[tuple[str, str | None]], structural: StructuralFacts
) -> Iterator[Problem]:
    """Runs that get stuck, find no rule, or can never end; endings nobody reaches."""
    compiled = exploration.compiled
    scenario = compiled.scenario
    stuck_scenes = sorted({compiled.scene_ids[exploration.states[s][0]] for s in exploration.stuck})
    for scene_id in stuck_scenes:
        yield _error(
            "stuck",
            scene_path(scene_id),
            scene_id,
            f"a run can reach scene {scene_id!r} with no choice available (every "
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
        yield _error(
            "no-rule-matches",
            ("ending_rules",),
            scene_id,
            f"a run can end at scene {scene_id!r} where no ending rule holds: add a "
            "last rule without a condition",
        )
    can_end = exploration.can_end()
    trapped = sorted(
        {
            compiled.scene_ids[state[0]]
            for number, state in enumerate(exploration.states)
            if not can_end[number]
        }
        - structural.trapped
        - set(stuck_scenes)
    )
    for scene_id in trapped:
        yield _error(
            "no-way-out",
            scene_path(scene_id),
            scene_id,
            f"some runs that reach scene {scene_id!r} can never end (the conditions "
            "close every way to an ending): open a way out",
        )
    reached_endings = {ending for ending in exploration.endings.values() if ending is not None}
    for ending in scenario.endings:
        if ending.id not in reached_endings and ("unreachable-ending", ending.id) not in reported:
            yield _error(
                "unreachable-ending",
                ("endings", ending.id),
                ending.id,
                f"no way of playing ends with {ending.id!r} (conditions or ending rules "
                "rule it out): check the rules and conditions that lead there",
            )
