"""Playing a scenario: runs as immutable values, choices, undo, save and resume.

A :class:`Run` is plain data: the scene it is in, the variables, the marks per
aspect, and a link to the run one step before (so undo is free and a run of any
length costs one small object per step). Saving records the scenario's id,
version and fingerprint and the path as author ids, each step with where its
choice led and a digest of its effects. Resuming replays that path: against the
same scenario it is exact; against an edited one it resumes only if every step
still exists and means the same, and otherwise names the first step that does not.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from fourresp._load import DocumentKind
from fourresp.content import Framework, load_framework
from fourresp.errors import ChoiceError, ResumeError
from fourresp.scenario._compiled import CompiledChoice, CompiledScenario
from fourresp.scenario._conditions import tracked_scenes
from fourresp.scenario._models import Choice, Ending, Scenario, Scene
from fourresp.scenario._scorecard import (
    AspectScore,
    FeedbackItem,
    ResponsibilityScore,
    Scorecard,
)

__all__ = ["RUN_KIND", "Run", "RunDocument", "Runner", "SavedStep", "Step"]


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
    """A saved run (``kind: run``): which scenario, and the path taken."""

    scenario: str
    version: str
    fingerprint: str
    steps: tuple[SavedStep, ...] = ()


class _Meta:
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
    ``steps`` is the path so far and ``previous`` the run one step back.
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
    )

    _choice: CompiledChoice | None
    _meta: _Meta
    _nets: dict[str, int]
    _scene: int
    _tracked: frozenset[str]
    _values: tuple[Any, ...]
    ending: str | None
    finished: bool
    length: int
    previous: Run | None

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


def _new_run(
    meta: _Meta,
    scene: int,
    values: tuple[Any, ...],
    nets: dict[str, int],
    tracked: frozenset[str],
    choice: CompiledChoice | None,
    previous: Run | None,
) -> Run:
    run = object.__new__(Run)
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


class Runner:
    """Plays one scenario: start, see the choices open now, choose, undo, save, resume.

    >>> from fourresp.scenario import Runner, load_scenario
    >>> runner = Runner(load_scenario())
    >>> run = runner.start()
    >>> first = runner.choices(run)[0]
    >>> run = runner.choose(run, first.id)
    >>> run.length
    1
    """

    def __init__(self, scenario: Scenario, *, framework: Framework | None = None) -> None:
        self.scenario = scenario
        self._compiled = CompiledScenario(scenario, framework or load_framework())
        self._meta = _Meta(self._compiled)
        self._scenes = {scene.id: scene for scene in scenario.scenes}
        # per scene: choice id -> compiled choice (the first, should ids repeat)
        self._by_id: list[dict[str, CompiledChoice]] = []
        for options in self._compiled.choices:
            table: dict[str, CompiledChoice] = {}
            for option in options:
                table.setdefault(option.id, option)
            self._by_id.append(table)
        self._tracked_scenes = tracked_scenes(scenario)

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the scenario this runner plays."""
        return self._compiled.fingerprint

    def start(self) -> Run:
        """A new run at the start scene."""
        compiled = self._compiled
        if compiled.start < 0:
            raise ChoiceError(f"scenario {self.scenario.id!r} has no start scene to begin at")
        tracked = frozenset({self.scenario.start} & self._tracked_scenes)
        return _new_run(self._meta, compiled.start, compiled.initial, {}, tracked, None, None)

    def scene(self, run: Run) -> Scene:
        """The scene ``run`` is in."""
        self._own(run)
        return self._scenes[run.scene]

    def ending(self, run: Run) -> Ending | None:
        """The ending ``run`` reached, or None while it goes on."""
        self._own(run)
        return self._compiled.endings.get(run.ending) if run.ending is not None else None

    def _own(self, run: Run) -> None:
        if run._meta is not self._meta and run._meta.fingerprint != self._meta.fingerprint:
            raise ChoiceError(
                f"this run belongs to scenario {run.scenario!r} version {run.version!r} "
                f"({run.fingerprint[:19]}...), not to the one this runner plays"
            )

    def _open(self, run: Run) -> Iterator[CompiledChoice]:
        values, nets, tracked = run._values, run._nets, run._tracked
        for choice in self._compiled.choices[run._scene]:
            if choice.test is None or choice.test(values, nets, tracked):
                yield choice

    def choices(self, run: Run) -> tuple[Choice, ...]:
        """The choices open in the run's scene now (conditions applied); () once finished."""
        self._own(run)
        if run.finished:
            return ()
        return tuple(choice.choice for choice in self._open(run))

    def choose(self, run: Run, choice_id: str) -> Run:
        """The run after taking ``choice_id``.

        Raises :class:`~fourresp.errors.ChoiceError` (the run is unchanged) for a
        choice that is not in the scene, is closed by its condition, or comes after
        the end.
        """
        if run._meta is not self._meta:
            self._own(run)
        if run.finished:
            raise ChoiceError(f"the run has ended ({run.ending!r}); undo to choose again")
        choice = self._by_id[run._scene].get(choice_id)
        if choice is None:
            open_now = ", ".join(c.id for c in self._open(run)) or "none"
            raise ChoiceError(
                f"scene {run.scene!r} has no choice {choice_id!r}; open now: {open_now}"
            )
        nets, values, tracked = run._nets, run._values, run._tracked
        if choice.test is not None and not choice.test(values, nets, tracked):
            raise ChoiceError(
                f"choice {choice_id!r} is not open in scene {run.scene!r} now (its condition "
                "is false)"
            )
        if choice.target < 0:
            raise ChoiceError(
                f"choice {choice_id!r} leads to {choice.choice.goto!r}, which is not a scene"
            )
        # Taking the choice, inlined: this is the hot path of every play-through.
        if choice.moves:
            nets = nets.copy()
            for key, move in choice.moves:
                nets[key] = nets.get(key, 0) + move
        if self._tracked_scenes:
            target_id = self._compiled.scene_ids[choice.target]
            if target_id in self._tracked_scenes and target_id not in tracked:
                tracked = tracked | {target_id}
        if choice.updates:
            values = self._compiled.apply(choice, values)
        new = object.__new__(Run)
        new._meta = meta = self._meta
        new._scene = scene = choice.target
        new._values = values
        new._nets = nets
        new._tracked = tracked
        new._choice = choice
        new.previous = run
        new.length = run.length + 1
        if meta.compiled.scene_endings[scene] is None:
            new.finished = False
            new.ending = None
        else:
            new.finished = True
            new.ending = meta.compiled.ending_for(scene, values, nets, tracked)
        return new

    @staticmethod
    def undo(run: Run) -> Run:
        """The run one step back. Raises :class:`~fourresp.errors.ChoiceError` at the start."""
        if run.previous is None:
            raise ChoiceError("nothing to undo: the run is at its start")
        return run.previous

    def scorecard(self, run: Run) -> Scorecard:
        """The run's scorecard: marks per aspect and responsibility, ending, feedback."""
        self._own(run)
        chain: list[Run] = []
        cursor: Run | None = run
        while cursor is not None:
            chain.append(cursor)
            cursor = cursor.previous
        chain.reverse()
        framework = self._compiled.framework
        best = {r.id: 0 for r in framework}
        worst = {r.id: 0 for r in framework}
        for earlier in chain[:-1]:
            open_now = list(self._open(earlier))
            for name in best:
                values = [choice.nets.get(name, 0) for choice in open_now] or [0]
                best[name] += max(values)
                worst[name] += min(values)
        marks = run.marks
        aspects = tuple(
            AspectScore(
                aspect=aspect.id,
                title=aspect.title,
                responsibility=responsibility.id,
                plus=marks.get(aspect.id, (0, 0, 0))[0],
                minus=marks.get(aspect.id, (0, 0, 0))[1],
                net=marks.get(aspect.id, (0, 0, 0))[2],
            )
            for responsibility in framework
            for aspect in responsibility.aspects
        )
        responsibilities = []
        for responsibility in framework:
            net = sum(a.net for a in aspects if a.responsibility == responsibility.id)
            high, low = best[responsibility.id], worst[responsibility.id]
            responsibilities.append(
                ResponsibilityScore(
                    responsibility=responsibility.id,
                    title=responsibility.title,
                    net=net,
                    best=high,
                    worst=low,
                    percent=None if high == low else 100 * (net - low) / (high - low),
                )
            )
        steps = run.steps
        scenes = self._scenes
        feedback = tuple(
            FeedbackItem(
                step=number,
                scene=step.scene,
                choice=step.choice,
                text=scenes[step.scene].choice(step.choice).text,
                feedback=step.feedback,
            )
            for number, step in enumerate(steps, start=1)
        )
        return Scorecard(
            scenario=run.scenario,
            version=run.version,
            title=self.scenario.title,
            finished=run.finished,
            ending=self.ending(run),
            steps=len(steps),
            aspects=aspects,
            responsibilities=tuple(responsibilities),
            feedback=feedback,
        )

    # -- save and resume -----------------------------------------------------------

    def save(self, run: Run) -> dict[str, Any]:
        """The run as a document (``kind: run``), valid against ``run.schema.json``."""
        self._own(run)
        from fourresp._load import to_document

        document = RunDocument(
            scenario=run.scenario,
            version=run.version,
            fingerprint=run.fingerprint,
            steps=tuple(
                SavedStep(scene=s.scene, choice=s.choice, goto=s.goto, digest=s.digest)
                for s in run.steps
            ),
        )
        return to_document(document)

    def resume(self, saved: Mapping[str, Any] | str | os.PathLike[str] | RunDocument) -> Run:
        """The run a save describes, replayed on this runner's scenario.

        ``saved`` is a document, a path to one, or a :class:`RunDocument`. A
        corrupted or foreign save raises :class:`~fourresp.errors.DocumentError`;
        one for another scenario, or whose path no longer fits (a scene renamed, a
        choice gone or closed, a target or effect changed), raises
        :class:`~fourresp.errors.ResumeError` naming the first step that does not fit.
        """
        from fourresp._load import load

        if isinstance(saved, RunDocument):
            document = saved
        else:
            try:
                document = load(saved, kind="run")
            except TypeError as exc:
                raise ResumeError(f"a save is a document or a path, not {saved!r}") from exc
        if document.scenario != self.scenario.id:
            raise ResumeError(
                f"this save is for scenario {document.scenario!r}, not {self.scenario.id!r}"
            )
        run = self.start()
        for number, saved_step in enumerate(document.steps):
            where = f"step {number + 1} (scene {saved_step.scene!r}, choice {saved_step.choice!r})"
            if run.finished:
                raise ResumeError(f"{where}: the run had already ended here", step=number)
            if saved_step.scene != run.scene:
                raise ResumeError(
                    f"{where}: the run is now in scene {run.scene!r} at this point", step=number
                )
            scene = self._scenes.get(run.scene)
            choice = next(
                (
                    c
                    for c in self._compiled.choices[self._compiled.scene_index[run.scene]]
                    if c.id == saved_step.choice
                ),
                None,
            )
            if scene is None or choice is None:
                raise ResumeError(f"{where}: that choice no longer exists", step=number)
            if choice.choice.goto != saved_step.goto:
                raise ResumeError(
                    f"{where}: the choice now leads to {choice.choice.goto!r}, not "
                    f"{saved_step.goto!r}",
                    step=number,
                )
            if choice.digest != saved_step.digest:
                raise ResumeError(f"{where}: the choice's effects have changed", step=number)
            if choice not in tuple(self._open(run)):
                raise ResumeError(f"{where}: the choice is no longer open there", step=number)
            try:
                run = self.choose(run, choice.id)
            except ChoiceError as exc:  # such as a choice whose scene has gone
                raise ResumeError(f"{where}: {exc}", step=number) from None
        return run


RUN_KIND = DocumentKind(
    name="run",
    schema="run",
    model=RunDocument,
    summary="a saved play-through of a scenario: the scenario's id, version, fingerprint "
    "and the path taken",
)
