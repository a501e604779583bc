"""The ``play`` and ``graph`` commands: practice scenarios in a terminal."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any, TextIO

from fourresp._cli_common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    read_line,
    terminal_text,
)
from fourresp._convert import unstructure
from fourresp._files import document_text, write_atomically
from fourresp.errors import ChoiceError
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

__all__ = ["add_commands", "render_scorecard"]


def add_commands(commands: Any) -> None:
    """Add ``play`` and ``graph`` to the ``fourresp`` subcommands."""
    play = commands.add_parser(
        "play",
        help="play a practice scenario in the terminal, or replay a list of choices",
        description="Plays SCENARIO (default: the built-in day in the life of an L&D "
        "specialist). Type a choice's number; 'u' undoes the last choice, 's' saves and "
        "quits, 'q' quits. With --choices, plays without asking and prints the scorecard.",
        epilog="examples:\n  fourresp play\n  fourresp play my-scenario.yaml\n"
        "  fourresp play --resume run.json\n"
        "  fourresp play --choices ask-about-results,look-before-deciding --format json\n"
        "  fourresp play --choices ... --format markdown --chart scorecard.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    play.add_argument("scenario", nargs="?", type=Path, help="a scenario document")
    play.add_argument("--resume", type=Path, metavar="FILE", help="carry on from a saved run")
    play.add_argument("--choices", help="comma-separated choice ids to play without asking")
    play.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    play.add_argument(
        "--chart", type=Path, metavar="OUT.svg", help="also write the scorecard chart"
    )
    play.add_argument(
        "--save", type=Path, metavar="FILE", help="where 's' saves (default: fourresp-run.json)"
    )
    play.set_defaults(handler=play_command)

    graph = commands.add_parser(
        "graph",
        help="print a scenario's graph as Graphviz DOT or a Mermaid flowchart",
        epilog="examples:\n  fourresp graph --format mermaid\n"
        "  fourresp graph my-scenario.yaml --format dot | dot -Tsvg > graph.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    graph.add_argument("scenario", nargs="?", type=Path, help="a scenario document")
    graph.add_argument("--format", choices=("dot", "mermaid"), default="mermaid")
    graph.set_defaults(handler=graph_command)


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
            _wrap(card.ending.debrief),
            "",
        ]
    else:
        lines += [f"In progress after {card.steps} steps.", ""]
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
            "scorecard": unstructure(card),
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
    runner = Runner(scenario)
    run = runner.resume(args.resume) if args.resume is not None else runner.start()
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
    return _interactive(args, runner, run, out)


def _show_scene(runner: Runner, run: Run, out: TextIO) -> None:
    scene = runner.scene(run)
    out.write("\n")
    if scene.act:
        out.write(terminal_text(f"== {scene.act} ==") + "\n")
    if scene.speaker:
        out.write(terminal_text(scene.speaker) + "\n")
    out.write(_wrap(scene.text) + "\n")


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
    path = args.save or Path("fourresp-run.json")
    write_atomically(path, document_text(runner.save(run), path))
    print(
        f"Saved after {run.length} steps to {path}; carry on with: fourresp play --resume {path}",
        file=sys.stderr,
    )
    return EXIT_INTERRUPTED if interrupted else EXIT_OK
