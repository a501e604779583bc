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
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

import fourresp
from fourresp._cli_common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    argv_problem,
    terminal_text,
)
from fourresp.errors import DocumentError, FourrespError, Problem

__all__ = ["main"]


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

    info = commands.add_parser(
        "info",
        help="show the framework: responsibilities, aspects and resources",
        epilog="examples:\n  fourresp info\n  fourresp info --pack ./my-pack --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    info.add_argument("--format", choices=("text", "json"), default="text")
    info.add_argument(
        "--pack", type=Path, help="a content pack (file or folder); default: built in"
    )
    info.set_defaults(handler=_info)

    schema = commands.add_parser(
        "schema",
        help="print one of the library's JSON Schemas, or list them",
        epilog="examples:\n  fourresp schema\n  fourresp schema framework > framework.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    schema.add_argument("name", nargs="?", help="schema name; omit to list the names")
    schema.set_defaults(handler=_schema)

    validate = commands.add_parser(
        "validate",
        help="check documents against their schema and rules (exit 1 on any problem)",
        epilog="examples:\n  fourresp validate pack/framework.yaml\n"
        "  fourresp validate --kind framework --format json a.json b.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
        "--max-problems",
        type=_positive_int,
        default=fourresp.DEFAULT_LIMITS.max_problems,
        metavar="N",
        help="list at most N problems per file, then 'and K more' (default: %(default)s)",
    )
    validate.set_defaults(handler=_validate)

    from fourresp._cli_assess import add_commands as add_assessment_commands

    add_assessment_commands(commands)

    from fourresp._cli_badges import add_commands as add_badge_commands

    add_badge_commands(commands)

    from fourresp._cli_scenario import add_commands as add_scenario_commands

    add_scenario_commands(commands)

    from fourresp._cli_supporters import add_commands as add_supporter_commands

    add_supporter_commands(commands)

    from fourresp._cli_exchange import add_commands as add_exchange_commands

    add_exchange_commands(commands)

    demo = commands.add_parser(
        "demo",
        help="write the library's work on its built-in content to a folder, with an index.html",
        epilog="examples:\n  fourresp demo\n  fourresp demo --out /tmp/fourresp-demo",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument(
        "--out", default="fourresp-demo", metavar="DIR", help="default: ./fourresp-demo"
    )
    demo.set_defaults(handler=_demo)
    return parser


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


# -- info ------------------------------------------------------------------------


def _info(args: argparse.Namespace, out: TextIO) -> int:
    from fourresp.content import load_framework

    framework = load_framework(args.pack)
    if args.format == "json":
        json.dump(fourresp.to_document(framework), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    out.write(render_framework(framework))
    return EXIT_OK


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(
        " ".join(text.split()), width=88, initial_indent=indent, subsequent_indent=indent
    )


def render_framework(framework: Any) -> str:
    """The framework as plain text for a terminal."""
    lines = [framework.title + (f" {framework.subtitle}" if framework.subtitle else "")]
    lines.append(
        f"version {framework.version}, {framework.locale}, {len(framework.aspects)} aspects"
    )
    for number, item in enumerate(framework.responsibilities, start=1):
        lines += ["", f"{number}. {item.heading}", _wrap(item.statement, "   "), ""]
        for aspect in item.aspects:
            lines.append(f"   - {aspect.title} [{aspect.id}]")
            lines.append(_wrap(aspect.description, "       "))
    resources = framework.resources
    lines += ["", "Resources"]
    for intro in (resources.questionnaire, resources.scenario):
        lines.append(f"  {intro.title}: {intro.call_to_action}")
    lines.append(f"  {resources.book.call_to_action}: {resources.book.title}")
    lines.append(f"  {resources.pledge.title}: {resources.pledge.badge_call_to_action}")
    lines.append(f"  {resources.share.title}: {resources.share.hashtag}")
    lines += ["", _wrap(resources.licence.attribution, "")]
    return "\n".join(lines) + "\n"


# -- schema ----------------------------------------------------------------------


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    if args.name is None:
        out.write("\n".join(fourresp.schema_names()) + "\n")
        return EXIT_OK
    try:
        body = fourresp.schema(args.name)
    except fourresp.SchemaNotFoundError as exc:
        print(f"fourresp schema: {exc}", file=sys.stderr)
        return EXIT_USAGE
    json.dump(body, out, indent=2, ensure_ascii=False)
    out.write("\n")
    return EXIT_OK


# -- validate --------------------------------------------------------------------


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    results: list[tuple[Path, tuple[Problem, ...]]] = []
    progress = sys.stderr.isatty()  # on a terminal only: pipes and CI stay quiet
    for number, path in enumerate(args.files, start=1):
        if progress:
            sys.stderr.write(f"\rchecking {number}/{len(args.files)}: {str(path)[-50:]:<50}")
            sys.stderr.flush()
        limits = attrs.evolve(fourresp.DEFAULT_LIMITS, max_problems=args.max_problems)
        results.append((path, fourresp.validate(path, kind=args.kind, limits=limits)))
    if progress:
        sys.stderr.write("\r" + " " * 72 + "\r")
    failing = ("error",) if args.allow_warnings else ("error", "warning")
    has_errors = any(p.severity in failing for _, problems in results for p in problems)
    if args.format == "json":
        report = [
            {
                "file": str(path),
                "ok": not any(p.severity == "error" for p in problems),
                "problems": [p.as_json() for p in problems],
            }
            for path, problems in results
        ]
        json.dump(report, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for _, problems in results:
            for problem in problems:
                out.write(terminal_text(f"{problem}") + "\n")
        count = sum(len(problems) for _, problems in results)
        print(
            f"{len(results)} file{'s' if len(results) != 1 else ''} checked, "
            f"{count} problem{'s' if count != 1 else ''}",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if has_errors else EXIT_OK


# -- demo ------------------------------------------------------------------------


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from fourresp._demo import build_demo

    folder = Path(args.out)
    print(f"Writing the demo to {folder}/", file=out)
    try:
        written = build_demo(folder, progress=lambda path: print(f"  {path}", file=out))
    except (FourrespError, OSError) as exc:
        print(f"fourresp demo: could not finish: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    index = folder / "index.html"
    print(
        f"\n{len(written)} files written. Open {index} in a browser to see them all on one page.",
        file=out,
    )
    return EXIT_OK
