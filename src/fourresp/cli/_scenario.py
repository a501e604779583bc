"""The ``play`` and ``graph`` commands: practice scenarios in a terminal."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any, TextIO

from fourresp._document._convert import shared_converter
from fourresp._files import check_writable, document_text, rescue, write_atomically
from fourresp.cli._common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    add_command,
    read_line,
    resume_from,
    terminal_text,
)
from fourresp.errors import ChoiceError, StorageError
from fourresp.scenario import (
    Run,
    Runner,
    Scorecard,
    load_scenario,
    scorecard_chart,
    scorecard_markdown,
    to_dot,
    to_mermaid,
)
from fourresp.scenario._models import scenario_hooks

__all__ = ["add_commands", "render_scorecard"]


def add_commands(commands: Any) -> None:
    """Add ``play`` and ``graph`` to the ``fourresp`` subcommands."""
    play = add_command(
        commands,
        "play",
        help="play a practice scenario in the terminal, or replay a list of choices",
        description="Plays SCENARIO (default: the built-in day in the life of an L&D "
        "specialist). Type a choice's number; 'u' undoes the last choice, 's' "
        "saves and quits, 'q' quits. With --choices, plays without asking and "
        "prints the scorecard. A shuffled scenario presents each scene's choices "
        "in an order derived from the run's seed (--seed, or a new one each run; a "
        "resumed run keeps its own).",
        examples=(
            "fourresp play",
            "fourresp play my-scenario.yaml --seed 42",
            "fourresp play --resume run.json",
            "fourresp play --choices ask-about-results,ask-what-changes --format json",
            "fourresp play --choices ... --format markdown --chart scorecard.svg",
        ),
    )
    play.add_argument("scenario", nargs="?", type=Path, help="a scenario document")
    play.add_argument("--resume", type=Path, metavar="FILE", help="carry on from a saved run")
    play.add_argument("--choices", help="comma-separated choice ids to play without asking")
    play.add_argument(
        "--seed",
        type=_seed,
        metavar="N",
        help="the run's seed (0 to 2**64 - 1): the same seed presents choices in the same order",
    )
    play.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    play.add_argument(
        "--chart", type=Path, metavar="OUT.svg", help="also write the scorecard chart"
    )
    play.add_argument(
        "--save", type=Path, metavar="FILE", help="where 's' saves (default: fourresp-run.json)"
    )
    play.set_defaults(handler=play_command)

    graph = add_command(
        commands,
        "graph",
        help="print a scenario's graph as Graphviz DOT or a Mermaid flowchart",
        examples=(
            "fourresp graph --format mermaid",
            "fourresp graph my-scenario.yaml --format dot | dot -Tsvg > graph.svg",
        ),
    )
    graph.add_argument("scenario", nargs="?", type=Path, help="a scenario document")
    graph.add_argument("--format", choices=("dot", "mermaid"), default="mermaid")
    graph.set_defaults(handler=graph_command)


def _seed(text: str) -> int:
    """A ``--seed`` value: a whole number from 0 to 2**64 - 1."""
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value < 2**64:
        raise argparse.ArgumentTypeError(f"out of range 0 to 2**64 - 1: {text}")
    return value


def graph_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp graph``."""
    scenario = load_scenario(args.scenario)
    out.write(to_dot(scenario) if args.format == "dot" else to_mermaid(scenario))
    return EXIT_OK


def _wrap(text: str, first: str = "", rest: str | None = None) -> str:
    """``text`` wrapped at 80 columns, the first line after ``first``, the others indented."""
    return terminal_text(
        textwrap.fill(
            " ".join(text.split()),
            width=80,
            initial_indent=first,
            subsequent_indent=" " * len(first) if rest is None else rest,
        )
    )


def render_scorecard(card: Scorecard) -> str:
    """A scorecard as plain text for a terminal."""
    lines = []
    if card.ending is not None:
        lines += [
            f"{card.ending.title}: {card.ending.verdict}.",
            _wrap(card.debrief or card.ending.debrief),
            "",
        ]
        if card.epilogue:
            lines += [_wrap(card.epilogue), ""]
    else:
        steps = f"{card.steps} step{'' if card.steps == 1 else 's'}"
        lines += [f"In progress after {steps}.", ""]
    for item in card.responsibilities:
        percent = "   -" if item.percent is None else f"{item.percent:3.0f}%"
        lines.append(f"  {item.title:<32} net {item.net:+3d}   {percent} of what was achievable")
    marked = [a for a in card.aspects if a.plus or a.minus]
    if marked:
        lines += ["", "  Aspects marked (+ / -):"]
        lines += [f"    {a.title:<40} {a.plus} / {a.minus}" for a in marked]
    return "\n".join(lines) + "\n"


def _emit_result(args: argparse.Namespace, runner: Runner, run: Run, out: TextIO) -> None:
    card = runner.scorecard(run)
    if args.format == "json":
        document = {
            "scorecard": shared_converter(scenario_hooks).unstructure(card),
            "run": runner.save(run),
        }
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.format == "markdown":
        out.write(scorecard_markdown(card))
    else:
        out.write(render_scorecard(card))
    if args.chart is not None:
        write_atomically(args.chart, scorecard_chart(card))
        print(f"Chart written to {args.chart}.", file=sys.stderr)


def play_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp play``."""
    scenario = load_scenario(args.scenario)
    runner = Runner(scenario, seed=args.seed)
    run = resume_from(runner, args.resume) if args.resume is not None else runner.start()
    args.resumed = runner.save(run) if args.resume is not None else None
    if args.choices is not None:
        wanted = [part.strip() for part in args.choices.split(",") if part.strip()]
        for number, choice_id in enumerate(wanted, start=1):
            try:
                run = runner.choose(run, choice_id)
            except ChoiceError as exc:
                message = f"fourresp play: choice {number} ({choice_id!r}): {exc}"
                print(terminal_text(message), file=sys.stderr)
                return EXIT_PROBLEMS
        _emit_result(args, runner, run, out)
        return EXIT_OK
    if args.chart is not None:  # before the game, not after it
        check_writable(args.chart)
    if args.save is not None:  # the user's own file: its folder, not its absence, matters
        check_writable(args.save, replace=True)
    return _interactive(args, runner, run, out)


def _show_scene(runner: Runner, run: Run, out: TextIO) -> None:
    scene = runner.scene(run)
    out.write("\n")
    if scene.act:
        out.write(terminal_text(f"== {scene.act} ==") + "\n")
    if scene.speaker:
        out.write(terminal_text(scene.speaker) + "\n")
    out.write(_wrap(runner.text(run)) + "\n")


def _interactive(args: argparse.Namespace, runner: Runner, run: Run, out: TextIO) -> int:
    scenario = runner.scenario
    out.write(f"{terminal_text(scenario.title)}\n{_wrap(scenario.introduction)}\n")
    out.write("Type a number to choose; u undoes, s saves and quits, q quits.\n")
    try:
        while not run.finished:
            _show_scene(runner, run, out)
            options = runner.choices(run)
            for number, choice in enumerate(options, start=1):
                out.write(_wrap(choice.text, f"  {number}. ") + "\n")
            out.write("> ")
            out.flush()
            line = read_line(sys.stdin)
            if not line:
                out.write("\n")
                return _save_and_quit(args, runner, run)
            typed = line.strip().lower()
            if typed == "q":
                out.write("Left without saving.\n")
                return EXIT_OK
            if typed == "s":
                return _save_and_quit(args, runner, run)
            if typed == "u":
                try:
                    run = runner.undo(run)
                    out.write("(undone)\n")
                except ChoiceError as exc:
                    out.write(f"{exc}\n")
                continue
            if not typed.isdigit() or not 1 <= int(typed) <= len(options):
                out.write(f"Type a number from 1 to {len(options)}, or u, s or q.\n")
                continue
            run = runner.choose(run, options[int(typed) - 1].id)
            step = run.step
            if step is not None and step.feedback:
                out.write("\n" + _wrap(step.feedback, "  Mentor: ") + "\n")
    except KeyboardInterrupt:
        out.write("\n")
        return _save_and_quit(args, runner, run, interrupted=True)
    _show_scene(runner, run, out)
    out.write("\n")
    _emit_result(args, runner, run, out)
    return EXIT_OK


def _save_and_quit(
    args: argparse.Namespace, runner: Runner, run: Run, *, interrupted: bool = False
) -> int:
    """Save the run and say where; never an empty run over a save, never a run lost.

    A path named with ``--save`` (or the save resumed from) is the user's own and is
    replaced (the documented exception to ``--force``); the default
    ``fourresp-run.json`` is not: when it exists, the run goes to the first free
    ``fourresp-run-N.json``. If the file cannot be written, the run is
    kept in the temporary folder (or printed) and the exit code is 1.
    """
    done = EXIT_INTERRUPTED if interrupted else EXIT_OK
    resumed = args.resume is not None
    if run.length == 0:
        print("No choice made, so nothing saved.", file=sys.stderr)
        return done
    path: Path = args.save or args.resume or Path("fourresp-run.json")
    own = args.save is not None or (resumed and path == args.resume)
    if resumed and path == args.resume and runner.save(run) == getattr(args, "resumed", None):
        print(f"Nothing new since {path}; it is left as it was.", file=sys.stderr)
        return done
    if not own:
        path = _free_name(path)
    text = document_text(runner.save(run), path)
    try:
        write_atomically(path, text, replace=own or None)
    except StorageError as exc:
        kept = rescue(text, prefix="fourresp-run-", suffix=path.suffix or ".json")
        if kept is None:
            print(f"fourresp: {exc}; the run:\n{text}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(
            f"fourresp: {exc}; the run is kept in {kept}: fourresp play --resume {kept}",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    steps = f"{run.length} step{'' if run.length == 1 else 's'}"
    print(
        f"Saved after {steps} to {path}; carry on with: fourresp play --resume {path}",
        file=sys.stderr,
    )
    return done


def _free_name(path: Path) -> Path:
    """``path``, or when it exists the first ``stem-N.suffix`` beside it that does not."""
    if not path.exists():
        return path
    number = 2
    while (candidate := path.with_name(f"{path.stem}-{number}{path.suffix}")).exists():
        number += 1
    return candidate


# -- validate --balance ------------------------------------------------------------------


def balance_summary(
    path: Path, reported: tuple[Any, ...] = ()
) -> tuple[list[Any], dict[str, Any] | None]:
    """For ``fourresp validate --balance``: the balance diagnostics, located, and the report.

    The diagnostics are those not already among ``reported`` (the plain
    validation's problems); the report is a JSON-ready mapping, or None when the
    file is not a valid scenario or the report could not be worked out.
    """
    from fourresp._load import _Collector, read
    from fourresp.scenario import Scenario, check_scenario

    if any(p.severity == "error" for p in reported):
        return [], None  # the plain validation said what is wrong
    try:
        source = read(path)
        data = source.data
        if not isinstance(data, dict) or data.get("kind", "scenario") != "scenario":
            return [], None
        # already checked: structure it without running the validator a second time
        body = {key: value for key, value in data.items() if key not in ("kind", "$schema")}
        scenario = shared_converter(scenario_hooks).structure(body, Scenario)
    except Exception:  # not a scenario after all: nothing to add
        return [], None
    report = check_scenario(scenario, balance=True)
    plain = {(p.code, p.path) for p in reported}
    collector = _Collector(source)  # places each diagnostic at its line, as the loader does
    for diagnostic in report.diagnostics:
        collector.add_problem(diagnostic)
    problems = [p for p in collector.problems() if (p.code, p.path) not in plain]
    if report.balance is None:
        return problems, None
    found = report.balance
    return problems, {
        "states": found.states,
        "endings": {e.ending: e.probability for e in found.endings},
        "always_first": found.always_first,
        "always_last": found.always_last,
        "ranges": {r.responsibility: [r.min, r.max] for r in found.ranges},
    }


def balance_text(summary: dict[str, Any]) -> str:
    """A balance report as plain text for a terminal."""
    lines = [f"Balance ({summary['states']:,} states, uniform random play):"]
    for ending, chance in sorted(summary["endings"].items(), key=lambda item: -item[1]):
        lines.append(f"  {ending:<32} {100 * chance:8.4f}%")
    lines.append(f"  always the first option: {summary['always_first'] or 'never ends'}")
    lines.append(f"  always the last option:  {summary['always_last'] or 'never ends'}")
    lines.append("  reachable net marks at the end:")
    for name, (low, high) in summary["ranges"].items():
        lines.append(f"    {name:<12} {low:+d} to {high:+d}")
    return "\n".join(lines) + "\n"
