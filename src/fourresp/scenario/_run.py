"""A run of a scenario and what it records: the steps taken, and a saved run's document.

A :class:`Run` is plain data: the scene it is in, the variables, the marks per
aspect, and a link to the run one step before (so undo is free and a run of any
length costs one small object per step). The :class:`~fourresp.scenario.Runner`
makes runs; this module only holds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from fourresp.scenario._compiled import CompiledChoice, CompiledScenario

__all__ = ["Run", "RunDocument", "RunMeta", "SavedStep", "Step", "new_run"]


@attrs.frozen(kw_only=True)
class Step:
    """One step taken: the scene, the choice made there, where it led, what the mentor said."""

    scene: str
    choice: str
    goto: str
    digest: str
    feedback: str | None = None


@attrs.frozen(kw_only=True)
class SavedStep:
    """A step as saved: scene and choice ids, the target, and the digest of the effects."""

    scene: str
    choice: str
    goto: str
    digest: str


@attrs.frozen(kw_only=True)
class RunDocument:
    """A saved run (``kind: run``): which scenario, the run's seed, and the path taken."""

    scenario: str
    version: str
    fingerprint: str
    seed: int | None = None
    steps: tuple[SavedStep, ...] = ()


class RunMeta:
    """What every run of one runner shares: the scenario's identity and lookups."""

    __slots__ = ("compiled", "fingerprint", "scenario", "version")

    def __init__(self, compiled: CompiledScenario) -> None:
        self.compiled = compiled
        self.scenario = compiled.scenario.id
        self.version = compiled.scenario.version
        self.fingerprint = compiled.fingerprint


class Run:
    """The state of one play-through. Immutable: :meth:`Runner.choose` returns a new run.

    ``scene`` is the current scene id; ``finished`` is true once it is a last scene,
    and ``ending`` then names the ending (None only if no ending rule matched, which
    the validator reports). ``variables`` and ``marks`` are read-only mappings;
    ``steps`` is the path so far and ``previous`` the run one step back. ``seed``
    decides the order in which a shuffled scenario presents each scene's choices;
    it is not part of equality (two runs at the same place by the same path are
    equal, however their choices were shown).
    """

    __slots__ = (
        "_choice",
        "_meta",
        "_nets",
        "_scene",
        "_tracked",
        "_values",
        "ending",
        "finished",
        "length",
        "previous",
        "seed",
    )

    _choice: CompiledChoice | None
    _meta: RunMeta
    _nets: dict[str, int]
    _scene: int
    _tracked: frozenset[str]
    _values: tuple[Any, ...]
    ending: str | None
    finished: bool
    length: int
    previous: Run | None
    seed: int

    @property
    def scenario(self) -> str:
        """The id of the scenario played."""
        return self._meta.scenario

    @property
    def version(self) -> str:
        """The version of the scenario played."""
        return self._meta.version

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the scenario played."""
        return self._meta.fingerprint

    @property
    def scene(self) -> str:
        """The id of the scene the run is in."""
        return self._meta.compiled.scene_ids[self._scene]

    @property
    def step(self) -> Step | None:
        """The step that led here (None at the start)."""
        choice, previous = self._choice, self.previous
        if choice is None or previous is None:
            return None
        return Step(
            scene=previous.scene,
            choice=choice.id,
            goto=self.scene,
            digest=choice.digest,
            feedback=choice.choice.feedback,
        )

    @property
    def variables(self) -> Mapping[str, Any]:
        """The variables' current values by name."""
        names = (v.name for v in self._meta.compiled.variables)
        return MappingProxyType(dict(zip(names, self._values, strict=True)))

    @property
    def marks(self) -> Mapping[str, tuple[int, int, int]]:
        """Per aspect marked so far: (number of + marks, number of - marks, net)."""
        counts: dict[str, tuple[int, int, int]] = {}
        run: Run | None = self
        while run is not None and run._choice is not None:
            for aspect, net in run._choice.marks:
                plus, minus, total = counts.get(aspect, (0, 0, 0))
                counts[aspect] = (plus + (net > 0), minus + (net < 0), total + net)
            run = run.previous
        return MappingProxyType(dict(sorted(counts.items())))

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step from the start, in order."""
        found = []
        run: Run | None = self
        while run is not None:
            step = run.step
            if step is None:
                break
            found.append(step)
            run = run.previous
        return tuple(reversed(found))

    @property
    def visited(self) -> tuple[str, ...]:
        """The scenes the run has been through, in order, the current one last."""
        return (*(step.scene for step in self.steps), self.scene)

    def _key(self) -> tuple[Any, ...]:
        return (
            self.fingerprint,
            self.steps,
            self._scene,
            self._values,
            tuple(sorted(self._nets.items())),
            self.ending,
            self.finished,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Run):
            return NotImplemented
        return self is other or self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        state = f"ending={self.ending!r}" if self.finished else f"scene={self.scene!r}"
        return f"Run(scenario={self.scenario!r}, {state}, steps={self.length})"


def new_run(
    meta: RunMeta,
    scene: int,
    values: tuple[Any, ...],
    nets: dict[str, int],
    tracked: frozenset[str],
    choice: CompiledChoice | None,
    previous: Run | None,
    seed: int,
) -> Run:
    """A run at ``scene``, one step on from ``previous`` by ``choice``, its ending worked out."""
    run = object.__new__(Run)
    run.seed = seed
    run._meta = meta
    run._scene = scene
    run._values = values
    run._nets = nets
    run._tracked = tracked
    run._choice = choice
    run.previous = previous
    run.length = 0 if previous is None else previous.length + 1
    compiled = meta.compiled
    if compiled.scene_endings[scene] is None:
        run.finished, run.ending = False, None
    else:
        run.finished = True
        run.ending = compiled.ending_for(scene, values, nets, tracked)
    return run
