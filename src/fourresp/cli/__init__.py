"""The ``fourresp`` command: a thin layer over the library.

Exit codes, the same for every subcommand: 0 success, 1 the input has problems,
2 the command was used wrongly. Results go to standard output, errors and
progress to standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

import fourresp
from fourresp.cli._common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    add_command,
    argv_problem,
    terminal_text,
)
from fourresp.errors import DocumentError, FourrespError, Problem

__all__ = ["main", "run"]


_EPILOG = """\
examples:
  fourresp info                      the four responsibilities and their aspects
  fourresp info --format json        the same, as the framework document
  fourresp validate my-pack.yaml     check a document; one line per problem
  fourresp schema framework          print a JSON Schema
  fourresp assess                    take the self-assessment in the terminal
  fourresp assess-batch answers.csv  score a file of responses, one row each
  fourresp badge emblem -o me.svg    the Four Responsibilities emblem
  fourresp play                      a day in the life of an L&D specialist
  fourresp graph --format mermaid    the scenario's graph, for authors
  fourresp serve                     the site on http://127.0.0.1:8000/

files: every file is written whole or not at all, with the mode the umask allows (a
replaced file keeps its mode; a hard-linked one becomes a new file, the other links
keep the old content). An existing file is replaced only with --force, except a
play save named with --save or resumed from, and a folder holding an earlier demo.
A missing or unwritable folder is a one-line error (exit 1); answers typed in
assess and a game played in play are then kept in the temporary folder, and the
message says where.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code is already 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fourresp",
        description="The Four Responsibilities of the Learning Professional.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fourresp {fourresp.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    _add_info(commands)
    _add_schema(commands)
    _add_validate(commands)

    from fourresp.cli._assess import add_commands as add_assessment_commands

    add_assessment_commands(commands)

    from fourresp.cli._badges import add_commands as add_badge_commands

    add_badge_commands(commands)

    from fourresp.cli._scenario import add_commands as add_scenario_commands

    add_scenario_commands(commands)

    from fourresp.cli._supporters import add_commands as add_supporter_commands

    add_supporter_commands(commands)

    from fourresp.cli._exchange import add_commands as add_exchange_commands

    add_exchange_commands(commands)

    from fourresp.cli._site import add_commands as add_site_commands

    add_site_commands(commands)

    _add_demo(commands)
    _add_force(commands)
    return parser


def _add_info(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``info`` command: the framework as text or JSON."""
    info = add_command(
        commands,
        "info",
        help="show the framework: responsibilities, aspects and resources",
        examples=(
            "fourresp info",
            "fourresp info --pack ./my-pack --format json",
        ),
    )
    info.add_argument("--format", choices=("text", "json"), default="text")
    info.add_argument(
        "--pack", type=Path, help="a content pack (file or folder); default: built in"
    )
    info.set_defaults(handler=_info)


def _add_schema(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``schema`` command: list the JSON Schemas or print one."""
    schema = add_command(
        commands,
        "schema",
        help="print one of the library's JSON Schemas, or list them",
        description="Prints the schema bundled: the definitions it uses from the library's "
        "other schemas are copied into its $defs, so editors and validators "
        "resolve it offline, on its own.",
        examples=(
            "fourresp schema",
            "fourresp schema framework > framework.schema.json",
        ),
    )
    schema.add_argument("name", nargs="?", help="schema name; omit to list the names")
    schema.set_defaults(handler=_schema)


def _add_validate(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``validate`` command: documents checked against their schema and rules."""
    validate = add_command(
        commands,
        "validate",
        help="check documents against their schema and rules (exit 1 on any problem)",
        description="Text output: one line per problem, FILE:LINE:COLUMN: SEVERITY CODE: "
        "MESSAGE (JSON PATH), errors first; a warning repeated with the same code "
        "in a file is shown once, then '... and N more like this'. The codes are "
        "stable.",
        examples=(
            "fourresp validate pack/framework.yaml",
            "fourresp validate --errors-only my-scenario.yaml",
            "fourresp validate --kind framework --format json a.json b.yaml",
        ),
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument(
        "--kind",
        choices=fourresp.document_kinds(),
        help="the kind of every file (default: each document's own 'kind' key)",
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--allow-warnings",
        action="store_true",
        help="exit 0 when there are warnings but no errors (by default any problem exits 1)",
    )
    validate.add_argument(
        "--balance",
        action="store_true",
        help="for scenarios, also the balance report: each ending's probability under random "
        "play, the endings of always taking the first or last option, net ranges, and "
        "balance warnings",
    )
    validate.add_argument(
        "--errors-only",
        action="store_true",
        help="show only errors, and exit 1 only for them (implies --allow-warnings)",
    )
    validate.add_argument(
        "--max-problems",
        type=_positive_int,
        default=fourresp.DEFAULT_LIMITS.max_problems,
        metavar="N",
        help="list at most N problems per file, then 'and K more' (default: %(default)s)",
    )
    validate.set_defaults(handler=_validate)


def _add_demo(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``demo`` command: the library's work on its built-in content."""
    demo = add_command(
        commands,
        "demo",
        help="write the library's work on its built-in content to a folder, with an index.html",
        examples=(
            "fourresp demo",
            "fourresp demo --out /tmp/fourresp-demo",
        ),
    )
    demo.add_argument(
        "--out", default="fourresp-demo", metavar="DIR", help="default: ./fourresp-demo"
    )
    demo.set_defaults(handler=_demo_command)


_OUTPUTS = ("-o", "--output", "--chart", "--save", "--out")


def _add_force(commands: Any) -> None:
    """``--force`` on every command that writes files: without it, none is replaced."""
    for sub in commands.choices.values():
        if any(option in sub._option_string_actions for option in _OUTPUTS):
            sub.add_argument(
                "--force",
                action="store_true",
                help="replace files that exist (by default an existing file is never replaced)",
            )
        for action in sub._actions:  # commands with actions of their own
            if isinstance(action, argparse._SubParsersAction):
                _add_force(action)


def _positive_int(text: str) -> int:
    if not text.isdigit() or len(text) > 9 or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number from 1, not {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    refused = argv_problem(arguments)
    if refused is not None:
        print(f"fourresp: {refused}", file=sys.stderr)
        return EXIT_USAGE
    parser = _build_parser()
    args = parser.parse_args(arguments)
    handler: Callable[[argparse.Namespace, TextIO], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from fourresp._files import replacing

    token = replacing.set(bool(getattr(args, "force", False)))
    try:
        return handler(args, sys.stdout)
    except DocumentError as exc:
        # One line per problem, each naming the file and line: what editors and
        # people both read.
        for problem in exc.problems:
            print(terminal_text(f"fourresp: {problem}"), file=sys.stderr)
        return EXIT_PROBLEMS
    except FourrespError as exc:
        print(terminal_text(f"fourresp: {exc}"), file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:  # e.g. `fourresp info | head`
        return EXIT_OK
    except KeyboardInterrupt:
        print("fourresp: stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # a file that cannot be read or written
        where = f"{exc.filename}: " if exc.filename is not None else ""
        print(terminal_text(f"fourresp: {where}{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_PROBLEMS
    except (RecursionError, MemoryError) as exc:
        print(
            f"fourresp: the input is too large or too deep ({type(exc).__name__})", file=sys.stderr
        )
        return EXIT_PROBLEMS
    except Exception as exc:
        # The last line of defence: a person sees one line, never a traceback. Any
        # such line is a bug (the tests fail on it); FOURRESP_DEBUG=1 shows the trace.
        if os.environ.get("FOURRESP_DEBUG"):
            raise
        message = " ".join(str(exc).split())[:300]
        print(
            terminal_text(
                f"fourresp: internal error ({type(exc).__name__}: {message}); "
                "please report it (FOURRESP_DEBUG=1 shows the details)"
            ),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    finally:
        replacing.reset(token)


# -- info ------------------------------------------------------------------------


def _info(args: argparse.Namespace, out: TextIO) -> int:
    from fourresp.content import framework_text, load_framework

    framework = load_framework(args.pack)
    if args.format == "json":
        json.dump(fourresp.to_document(framework), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    out.write(framework_text(framework))
    return EXIT_OK


# -- schema ----------------------------------------------------------------------


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    if args.name is None:
        out.write("\n".join(fourresp.schema_names()) + "\n")
        return EXIT_OK
    try:
        body = fourresp.schema(args.name, bundle=True)
    except fourresp.SchemaNotFoundError as exc:
        print(f"fourresp schema: {exc}", file=sys.stderr)
        return EXIT_USAGE
    json.dump(body, out, indent=2, ensure_ascii=False)
    out.write("\n")
    return EXIT_OK


# -- validate --------------------------------------------------------------------


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    results: list[tuple[Path, tuple[Problem, ...]]] = []
    balances: dict[Path, dict[str, Any] | None] = {}
    progress = sys.stderr.isatty()  # on a terminal only: pipes and CI stay quiet
    for number, path in enumerate(args.files, start=1):
        if progress:
            sys.stderr.write(f"\rchecking {number}/{len(args.files)}: {str(path)[-50:]:<50}")
            sys.stderr.flush()
        limits = attrs.evolve(fourresp.DEFAULT_LIMITS, max_problems=args.max_problems)
        problems = fourresp.validate(path, kind=args.kind, limits=limits)
        if args.balance:
            from fourresp.cli._scenario import balance_summary

            extra, summary = balance_summary(path, problems)
            problems += tuple(extra)
            balances[path] = summary
        if args.errors_only:
            problems = tuple(p for p in problems if p.severity == "error")
        results.append((path, problems))
    if progress:
        sys.stderr.write("\r" + " " * 72 + "\r")
    failing = ("error",) if args.allow_warnings or args.errors_only else ("error", "warning")
    has_errors = any(p.severity in failing for _, problems in results for p in problems)
    if args.format == "json":
        report = [
            {
                "file": str(path),
                "ok": not any(p.severity == "error" for p in problems),
                "problems": [p.as_json() for p in problems],
                **({"balance": balances.get(path)} if args.balance else {}),
            }
            for path, problems in results
        ]
        json.dump(report, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for line in problem_lines(problems for _, problems in results):
            out.write(terminal_text(line) + "\n")
        for path, summary in balances.items():
            if summary is not None:
                from fourresp.cli._scenario import balance_text

                out.write(terminal_text(f"{path}: {balance_text(summary)}"))
        errors = sum(p.severity == "error" for _, problems in results for p in problems)
        warnings = sum(p.severity == "warning" for _, problems in results for p in problems)
        print(
            f"{_count(len(results), 'file')} checked, {_count(errors, 'error')}"
            + ("" if args.errors_only else f", {_count(warnings, 'warning')}"),
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if has_errors else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def problem_line(problem: Problem) -> str:
    """One problem as a linter shows it: ``file:line:column: severity code: message (path)``."""
    return (
        f"{problem.location}: {problem.severity} {problem.code}: {problem.message} ({problem.path})"
    )


def problem_lines(groups: Iterable[Iterable[Problem]]) -> Iterator[str]:
    """The lines for each file's problems: every error first (files in order), then the
    warnings, a warning whose code repeats in a file shown once and then counted."""
    files = [tuple(problems) for problems in groups]
    for problems in files:
        for problem in problems:
            if problem.severity == "error":
                yield problem_line(problem)
    for problems in files:
        warnings = [p for p in problems if p.severity != "error"]
        repeats = Counter(p.code for p in warnings)
        shown: set[str] = set()
        for problem in warnings:
            if problem.code in shown:
                continue
            shown.add(problem.code)
            yield problem_line(problem)
            more = repeats[problem.code] - 1
            if more:
                where = problem.source if problem.source is not None else "<document>"
                yield f"{where}: ... and {more} more like this ({problem.code})"


# -- demo ------------------------------------------------------------------------


def _demo_command(args: argparse.Namespace, out: TextIO) -> int:
    from fourresp.cli._demo import build_demo

    folder = Path(args.out)
    print(f"Writing the demo to {folder}/", file=out)
    try:
        written = build_demo(
            folder, progress=lambda path: print(f"  {path}", file=out), replace=args.force
        )
    except FourrespError as exc:
        print(f"fourresp demo: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"fourresp demo: could not finish: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    index = folder / "index.html"
    print(
        f"\n{len(written)} files written. Open {index} in a browser to see them all on one page.",
        file=out,
    )
    return EXIT_OK


# The command owns its process, so it may tune what a library call must leave alone:
# a command reads one document (or a stream of rows) and keeps what it builds to
# the end, so the collector's youngest generation is examined every 50,000
# allocations instead of every 700. Playing a 10.7 MB scenario of 30,000 booleans
# takes 6.2 s of CPU instead of 8.3 s (the 10 s bound for any 10 MB input), with
# the same peak memory; the older generations keep their thresholds.
_COMMAND_GC_THRESHOLD = 50_000


def run() -> None:
    """The ``fourresp`` command (and ``python -m fourresp``): :func:`main` in a process
    of its own, exiting with its code.

    Apps that call :func:`main` in their own process keep their collector settings;
    only this entry point tunes them for the command's one-document work.
    """
    import gc

    gc.set_threshold(_COMMAND_GC_THRESHOLD, *gc.get_threshold()[1:])
    sys.exit(main())
