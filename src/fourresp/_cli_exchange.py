"""The ``xapi``, ``export`` and ``import`` commands: statements, SurveyJS and Twine."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import fourresp
from fourresp._cli_common import EXIT_OK, emit
from fourresp._files import document_text

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    """Add ``xapi``, ``export`` and ``import`` to the ``fourresp`` subcommands."""
    xapi = commands.add_parser(
        "xapi",
        help="print xAPI statements for a questionnaire attempt or a scenario run",
        epilog="examples:\n"
        "  fourresp xapi questionnaire --answers answers.yaml --actor-mbox ada@example.org\n"
        "  fourresp xapi scenario --choices ask-about-results,look-before-deciding "
        "--actor-mbox ada@example.org --namespace 6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    xapi.add_argument("what", choices=("questionnaire", "scenario"))
    xapi.add_argument("--answers", type=Path, help="questionnaire: a response document")
    xapi.add_argument("--questionnaire", type=Path, help="default: the built-in one")
    xapi.add_argument("--scenario", type=Path, help="default: the built-in one")
    xapi.add_argument("--choices", help="scenario: comma-separated choice ids")
    xapi.add_argument("--actor-mbox", required=True, help="the learner's e-mail address")
    xapi.add_argument("--actor-name", help="the learner's name")
    xapi.add_argument(
        "--activity-base",
        default="https://fourresp.dev/xapi",
        help="the IRI under which activity ids are made (default: https://fourresp.dev/xapi)",
    )
    xapi.add_argument("--namespace", help="a UUID: statement ids become deterministic (UUID 5)")
    xapi.set_defaults(handler=xapi_command)

    export = commands.add_parser(
        "export",
        help="a questionnaire as SurveyJS JSON, or a scenario as Twine (Twee 3)",
        epilog="examples:\n  fourresp export surveyjs > survey.json\n"
        "  fourresp export twee my-scenario.yaml -o my-scenario.twee",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("format", choices=("surveyjs", "twee"))
    export.add_argument("file", nargs="?", type=Path, help="default: the built-in document")
    export.add_argument("-o", "--output", type=Path, help="write to FILE (default: stdout)")
    export.set_defaults(handler=export_command)

    importing = commands.add_parser(
        "import",
        help="a Twine (Twee 3) story back as a scenario document, checked",
        epilog="examples:\n  fourresp import twee story.twee -o scenario.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    importing.add_argument("format", choices=("twee",))
    importing.add_argument("file", type=Path)
    importing.add_argument("-o", "--output", type=Path, help="write to FILE (.json or YAML)")
    importing.set_defaults(handler=import_command)


def xapi_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp xapi``."""
    from fourresp.xapi import agent, questionnaire_statements, scenario_statements

    actor = agent(mbox=args.actor_mbox, name=args.actor_name)
    clock = lambda: datetime.now(UTC)  # noqa: E731 - the CLI is the app: it has a clock
    common = {
        "actor": actor,
        "activity_base": args.activity_base,
        "timestamp": clock,
        "namespace": args.namespace,
    }
    if args.what == "questionnaire":
        from fourresp.assessment import load_questionnaire, score

        if args.answers is None:
            print("fourresp xapi questionnaire: --answers FILE is needed", file=sys.stderr)
            return 2
        questionnaire = load_questionnaire(args.questionnaire)
        response = fourresp.load(args.answers, kind="response")
        result = score(questionnaire, response)
        statements = questionnaire_statements(questionnaire, response, result, **common)
    else:
        from fourresp.scenario import Runner, load_scenario

        scenario = load_scenario(args.scenario)
        runner = Runner(scenario)
        run = runner.start()
        for choice in (c.strip() for c in (args.choices or "").split(",") if c.strip()):
            run = runner.choose(run, choice)
        statements = scenario_statements(scenario, run, **common)
    json.dump(statements, out, indent=2, ensure_ascii=False)
    out.write("\n")
    return EXIT_OK


def export_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp export``."""
    from fourresp.exchange import to_surveyjs, to_twee

    if args.format == "surveyjs":
        from fourresp.assessment import load_questionnaire

        survey = to_surveyjs(load_questionnaire(args.file))
        emit(json.dumps(survey, indent=2, ensure_ascii=False), args.output, out)
    else:
        from fourresp.scenario import load_scenario

        emit(to_twee(load_scenario(args.file)), args.output, out)
    return EXIT_OK


def import_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp import twee``."""
    scenario = read_twee_file(args.file)
    document = fourresp.to_document(scenario)
    emit(document_text(document, args.output or "scenario.yaml"), args.output, out)
    return EXIT_OK


def read_twee_file(path: Path) -> Any:
    """The scenario in a ``.twee`` file, read within its byte budget; warnings go to stderr."""
    from fourresp.errors import DocumentError, Problem
    from fourresp.exchange import from_twee
    from fourresp.exchange._twee import MAX_TWEE_BYTES

    def refuse(message: str) -> DocumentError:
        return DocumentError([Problem(code="unreadable", message=message, source=str(path))])

    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_TWEE_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_TWEE_BYTES:
        raise refuse(f"the story is larger than {MAX_TWEE_BYTES} bytes")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 text (byte {exc.start})") from None
    warnings: list[Problem] = []
    scenario = from_twee(source, filename=str(path), warnings=warnings)
    for warning in warnings:
        print(f"fourresp import: {warning}", file=sys.stderr)
    return scenario
