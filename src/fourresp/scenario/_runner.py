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
from pathlib import Path
from typing import Any, cast

from fourresp._load import DocumentKind
from fourresp.content import Framework, load_framework
from fourresp.errors import ChoiceError, ResumeError
from fourresp.scenario._compiled import (
    CompiledChoice,
    CompiledScenario,
    fill_placeholders,
    presented_order,
)
from fourresp.scenario._models import Choice, Ending, Scenario, Scene, scenario_hooks
from fourresp.scenario._run import Run, RunDocument, RunMeta, SavedStep, Step, new_run
from fourresp.scenario._scorecard import (
    AspectScore,
    FeedbackItem,
    ResponsibilityScore,
    Scorecard,
)

__all__ = ["RUN_KIND", "Run", "RunDocument", "Runner", "SavedStep", "Step"]


class Runner:
    """Plays one scenario: start, see the choices open now, choose, undo, save, resume.

    With ``order: shuffled`` (the default), :meth:`choices` presents a scene's open
    choices in an order derived from the run's seed and the scene id: the same for
    a given seed, after undo and after resume. ``seed`` fixes the seed of every run
    this runner starts; without it each :meth:`start` draws a new one.

    >>> from fourresp.scenario import Runner, load_scenario
    >>> runner = Runner(load_scenario(), seed=7)
    >>> run = runner.start()
    >>> first = runner.choices(run)[0]
    >>> run = runner.choose(run, first.id)
    >>> run.length, run.seed
    (1, 7)
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int | None = None,
        framework: Framework | None = None,
    ) -> None:
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64
        ):
            from fourresp.errors import ArgumentError

            raise ArgumentError(f"a seed is a whole number from 0 to 2**64 - 1, not {seed!r}")
        if not isinstance(cast(object, scenario), Scenario):  # typed, yet checked
            from fourresp.errors import ArgumentError

            raise ArgumentError(f"a Runner plays a Scenario, not {type(scenario).__name__}")
        self.seed = seed
        self.scenario = scenario
        self._compiled = CompiledScenario(scenario, framework or load_framework())
        self._meta = RunMeta(self._compiled)
        self._scenes = {scene.id: scene for scene in scenario.scenes}
        # per scene: choice id -> compiled choice (the first, should ids repeat)
        self._by_id: list[dict[str, CompiledChoice]] = []
        for options in self._compiled.choices:
            table: dict[str, CompiledChoice] = {}
            for option in options:
                table.setdefault(option.id, option)
            self._by_id.append(table)
        self._tracked_scenes = self._compiled.tracked_scenes
        self._shuffled = scenario.order == "shuffled"

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the scenario this runner plays."""
        return self._compiled.fingerprint

    def start(self, *, seed: int | None = None) -> Run:
        """A new run at the start scene, with ``seed``, the runner's seed, or a new one."""
        compiled = self._compiled
        if compiled.start < 0:
            raise ChoiceError(f"scenario {self.scenario.id!r} has no start scene to begin at")
        tracked = frozenset({self.scenario.start} & self._tracked_scenes)
        if seed is None:
            import secrets  # imported for the first unseeded run, not with the package

            seed = self.seed if self.seed is not None else secrets.randbelow(2**32)
        return new_run(self._meta, compiled.start, compiled.initial, {}, tracked, None, None, seed)

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
        """The choices open in the run's scene now (conditions applied); () once finished.

        In document order with ``order: authored``; otherwise in the order the run's
        seed and the scene id give (every choice of the scene is placed, then those
        closed now are left out, so opening or closing one never moves the others).
        """
        self._own(run)
        if run.finished:
            return ()
        open_now = [choice.choice for choice in self._open(run)]
        if not self._shuffled or len(open_now) < 2:
            return tuple(open_now)
        every = self._compiled.choices[run._scene]
        order = presented_order(run.seed, run.scene, len(every))
        rank = {every[position].id: place for place, position in enumerate(order)}
        return tuple(sorted(open_now, key=lambda choice: rank[choice.id]))

    def _state(self, run: Run) -> tuple[tuple[Any, ...], Mapping[str, int], frozenset[str]]:
        return run._values, run._nets, run._tracked

    def text(self, run: Run) -> str:
        """The text of the run's scene as this run reads it: the first variant that holds."""
        self._own(run)
        scene = self._compiled.scenario.scenes[run._scene]
        variants = self._compiled.scene_variants[run._scene]
        return self._compiled.pick(variants, scene.text, self._state(run))[1]

    def debrief(self, run: Run) -> str | None:
        """The ending's debrief for this run (variant chosen, placeholders filled); or None."""
        ending = self.ending(run)
        if ending is None:
            return None
        variants = self._compiled.debrief_variants[ending.id]
        text = self._compiled.pick(variants, ending.debrief, self._state(run))[1]
        return fill_placeholders(text, self._placeholders(run))

    def epilogue(self, run: Run) -> str | None:
        """The ending's epilogue for this run (variant chosen, placeholders filled); or None."""
        ending = self.ending(run)
        if ending is None or ending.epilogue is None:
            return None
        variants = self._compiled.epilogue_variants[ending.id]
        text = self._compiled.pick(variants, ending.epilogue.text, self._state(run))[1]
        return fill_placeholders(text, self._placeholders(run))

    def _placeholders(self, run: Run) -> dict[str, str]:
        card = self._card(run)
        rated = [r for r in card if r.percent is not None] or card
        if not rated:
            return {}
        key = (lambda r: r.percent) if rated is not card else (lambda r: r.net)
        strongest = max(rated, key=key)  # the first in framework order on a tie
        weakest = min(rated, key=key)
        return {"strongest": strongest.title, "weakest": weakest.title}

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
        compiled = self._compiled
        if compiled.percent_of:  # percent conditions read the path's best and worst sums
            nets = nets.copy()
            for key, move in compiled.bound_moves(self._open(run)):
                nets[key] = nets.get(key, 0) + move
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
        new.seed = run.seed
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

    def _card(self, run: Run) -> list[ResponsibilityScore]:
        """Per responsibility: the net, the best and worst the path allowed, the percent."""
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
        responsibilities = []
        for responsibility in framework:
            net = sum(marks.get(aspect.id, (0, 0, 0))[2] for aspect in responsibility.aspects)
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
        return responsibilities

    def scorecard(self, run: Run) -> Scorecard:
        """The run's scorecard: marks per aspect and responsibility, ending, debrief, feedback."""
        self._own(run)
        framework = self._compiled.framework
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
        responsibilities = self._card(run)
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
            debrief=self.debrief(run),
            epilogue=self.epilogue(run),
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
            seed=run.seed,
            steps=tuple(
                SavedStep(scene=s.scene, choice=s.choice, goto=s.goto, digest=s.digest)
                for s in run.steps
            ),
        )
        return to_document(document)

    def resume(self, saved: Mapping[str, Any] | str | os.PathLike[str] | RunDocument) -> Run:
        """The run a save describes, replayed on this runner's scenario.

        ``saved`` is a mapping (used as is), a path (:class:`os.PathLike`, or a
        one-line ``str`` naming a file or ending in ``.json``, ``.yaml`` or ``.yml``),
        document text (any other ``str``), or a :class:`RunDocument`. The run keeps
        the save's seed (a save without one gets the runner's, or a new one). A
        corrupted or foreign save raises :class:`~fourresp.errors.DocumentError`;
        one for another scenario, or whose path no longer fits (a scene renamed, a
        choice gone or closed, a target or effect changed), raises
        :class:`~fourresp.errors.ResumeError` naming the first step that does not fit.
        """
        from fourresp._load import load

        if isinstance(saved, RunDocument):
            document = saved
        else:
            source: Any = saved
            if isinstance(saved, str) and _names_a_file(saved):
                source = Path(saved)
            try:
                document = load(source, kind="run")
            except TypeError as exc:
                raise ResumeError(f"a save is a document or a path, not {saved!r}") from exc
        if document.scenario != self.scenario.id:
            raise ResumeError(
                f"this save is for scenario {document.scenario!r}, not {self.scenario.id!r}"
            )
        run = self.start(seed=document.seed)
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


def _names_a_file(text: str) -> bool:
    """Whether a ``str`` given to :meth:`Runner.resume` is a path rather than document text."""
    if not text or "\n" in text or text.lstrip().startswith(("{", "[")):
        return False
    if text.lower().endswith((".json", ".yaml", ".yml")):
        return True
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name too long or with a NUL byte is not a file
        return False


RUN_KIND = DocumentKind(
    name="run",
    schema="run",
    model=RunDocument,
    summary="a saved play-through of a scenario: the scenario's id, version, fingerprint "
    "and the path taken",
    hooks=(scenario_hooks,),
)
