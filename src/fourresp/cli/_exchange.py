"""The ``xapi``, ``export`` and ``import`` commands: statements, SurveyJS and Twine."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import attrs

import fourresp
from fourresp._files import document_text
from fourresp.cli._common import EXIT_OK, EXIT_USAGE, add_command, emit, resume_from

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    """Add ``xapi``, ``export`` and ``import`` to the ``fourresp`` subcommands."""
    _add_xapi(commands)
    _add_export(commands)
    _add_import(commands)


def _add_xapi(commands: Any) -> None:
    """``xapi``: the xAPI statements of a questionnaire attempt or a scenario run."""
    xapi = add_command(
        commands,
        "xapi",
        help="print xAPI statements for a questionnaire attempt or a scenario run",
        description="Print the xAPI 1.0.3 statements of one attempt as a JSON array, for the "
        "app to send to its LRS. Activity ids are made under --activity-base, an "
        "IRI the app owns. With --namespace, ids are deterministic (UUID 5 of the "
        "namespace, the actor, the registration and the statement's place) and a "
        "resend is byte-identical; timestamps then come from the answers' "
        "completed_at or --timestamp.",
        examples=(
            "fourresp xapi questionnaire --answers answers.yaml --actor-mbox ada@example.org "
            "--activity-base https://lms.example.org/xapi",
            "fourresp xapi scenario --run run.json --actor-account https://lms.example.org ada "
            "--activity-base https://lms.example.org/xapi --namespace "
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8 --timestamp 2026-11-29T09:30:00Z",
        ),
    )
    xapi.add_argument("what", choices=("questionnaire", "scenario"))
    xapi.add_argument("--answers", type=Path, help="questionnaire: a response document")
    xapi.add_argument("--questionnaire", type=Path, help="default: the built-in one")
    xapi.add_argument("--scenario", type=Path, help="default: the built-in one")
    played = xapi.add_mutually_exclusive_group()
    played.add_argument("--choices", help="scenario: comma-separated choice ids")
    played.add_argument(
        "--run", type=Path, metavar="FILE", help="scenario: a saved run (from fourresp play)"
    )
    who = xapi.add_mutually_exclusive_group(required=True)
    who.add_argument("--actor-mbox", metavar="EMAIL", help="the learner's e-mail address")
    who.add_argument(
        "--actor-account",
        nargs=2,
        metavar=("HOMEPAGE", "NAME"),
        help="the learner's account: the system's home page IRI and the account name",
    )
    xapi.add_argument("--actor-name", help="the learner's name")
    xapi.add_argument(
        "--activity-base",
        required=True,
        metavar="IRI",
        help="the IRI (the app's own) under which activity and extension ids are made",
    )
    xapi.add_argument(
        "--namespace", metavar="UUID", help="statement ids become deterministic (UUID 5)"
    )
    xapi.add_argument(
        "--registration", metavar="UUID", help="the attempt's registration (default: derived)"
    )
    xapi.add_argument(
        "--timestamp",
        metavar="ISO8601",
        help="when the attempt happened, with a timezone (default: the answers' "
        "completed_at, else now; with --namespace a time is needed)",
    )
    xapi.set_defaults(handler=xapi_command)


def _add_export(commands: Any) -> None:
    """``export``: a questionnaire as SurveyJS JSON or a scenario as Twee."""
    export = add_command(
        commands,
        "export",
        help="a questionnaire as SurveyJS JSON, or a scenario as Twine (Twee 3)",
        examples=(
            "fourresp export surveyjs > survey.json",
            "fourresp export twee my-scenario.yaml -o my-scenario.twee",
        ),
    )
    export.add_argument("format", choices=("surveyjs", "twee"))
    export.add_argument("file", nargs="?", type=Path, help="default: the built-in document")
    export.add_argument("-o", "--output", type=Path, help="write to FILE (default: stdout)")
    export.set_defaults(handler=export_command)


def _add_import(commands: Any) -> None:
    """``import``: a Twee story as a scenario, or SurveyJS results scored."""
    importing = add_command(
        commands,
        "import",
        help="a Twine (Twee 3) story back as a scenario document, checked; or SurveyJS "
        "results, scored",
        examples=(
            "fourresp import twee story.twee -o scenario.yaml",
            "fourresp import surveyjs survey-data.json --format json",
        ),
    )
    importing.add_argument("format", choices=("twee", "surveyjs"))
    importing.add_argument("file", type=Path)
    importing.add_argument("-o", "--output", type=Path, help="write to FILE (.json or YAML)")
    importing.add_argument(
        "--questionnaire", type=Path, help="surveyjs: the questionnaire (default: the built-in)"
    )
    importing.add_argument("--respondent", help="surveyjs: an id to record with the answers")
    importing.add_argument(
        "--format",
        dest="result_format",
        choices=("text", "json", "markdown"),
        default="text",
        help="surveyjs: how to print the result (default: text)",
    )
    importing.set_defaults(handler=import_command)


def _when(text: str | None) -> datetime | None:
    from fourresp.errors import ArgumentError

    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ArgumentError(f"--timestamp {text!r} is not an ISO 8601 date and time") from None
    if value.tzinfo is None:
        raise ArgumentError(f"--timestamp {text!r} needs a timezone (such as Z or +01:00)")
    return value


def xapi_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp xapi``."""
    from fourresp.xapi import Timestamp, agent, questionnaire_statements, scenario_statements

    if args.actor_account is not None:
        home_page, account_name = args.actor_account
        actor = agent(account_home_page=home_page, account_name=account_name, name=args.actor_name)
    else:
        actor = agent(mbox=args.actor_mbox, name=args.actor_name)
    fixed = _when(args.timestamp)
    clock = lambda: datetime.now(UTC)  # noqa: E731 - the CLI is the app: it has a clock
    when: Timestamp | None = fixed if fixed is not None or args.namespace else clock
    if args.what == "questionnaire":
        from fourresp.assessment import load_questionnaire, score

        if args.answers is None:
            print("fourresp xapi questionnaire: --answers FILE is needed", file=sys.stderr)
            return EXIT_USAGE
        questionnaire = load_questionnaire(args.questionnaire)
        response = fourresp.load(args.answers, kind="response")
        if fixed is None and (response.completed_at or response.started_at):
            when = None  # the answers' own time
        elif when is None:
            print(
                "fourresp xapi questionnaire: --namespace needs --timestamp, or completed_at "
                "in the answers",
                file=sys.stderr,
            )
            return EXIT_USAGE
        statements_of = partial(
            questionnaire_statements, questionnaire, response, score(questionnaire, response)
        )
    else:
        from fourresp.scenario import Runner, load_scenario

        scenario = load_scenario(args.scenario)
        runner = Runner(scenario)
        if args.run is not None:
            run = resume_from(runner, args.run)
        else:
            run = runner.start()
            for choice in (c.strip() for c in (args.choices or "").split(",") if c.strip()):
                run = runner.choose(run, choice)
        if when is None:
            print(
                "fourresp xapi scenario: --namespace needs --timestamp (a run has no time "
                "of its own)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        statements_of = partial(scenario_statements, scenario, run)
    statements = statements_of(
        actor=actor,
        activity_base=args.activity_base,
        timestamp=when,
        namespace=args.namespace,
        registration=args.registration,
    )
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


def import_surveyjs(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp import surveyjs``: score SurveyJS results (``survey.data`` as JSON)."""
    from fourresp._load import read_data
    from fourresp.assessment import load_questionnaire, result_markdown, score
    from fourresp.cli._assess import render_result
    from fourresp.errors import DocumentError
    from fourresp.exchange import from_surveyjs

    questionnaire = load_questionnaire(args.questionnaire)
    data = read_data(args.file, format="json")
    try:
        imported = from_surveyjs(questionnaire, data, respondent=args.respondent)
        result = score(questionnaire, imported.response)
    except DocumentError as exc:  # about the data read from the file: name it
        named = [
            attrs.evolve(p, source=str(args.file)) if p.source is None else p for p in exc.problems
        ]
        raise DocumentError(named, source=str(args.file)) from None
    if imported.ignored:
        print(
            f"{args.file}: ignored {len(imported.ignored)} key(s) that are not items: "
            + ", ".join(repr(key) for key in imported.ignored[:10])
            + (", ..." if len(imported.ignored) > 10 else ""),
            file=sys.stderr,
        )
    if args.result_format == "json":
        text = json.dumps(fourresp.to_document(result), indent=2, ensure_ascii=False)
    elif args.result_format == "markdown":
        text = result_markdown(result, questionnaire=questionnaire)
    else:
        text = render_result(result)
    emit(text, args.output, out)
    return EXIT_OK


def import_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp import twee`` and ``fourresp import surveyjs``."""
    if args.format == "surveyjs":
        return import_surveyjs(args, out)
    scenario = read_twee_file(args.file)
    document = fourresp.to_document(scenario)
    emit(document_text(document, args.output or "scenario.yaml"), args.output, out)
    return EXIT_OK


def read_twee_file(path: Path) -> Any:
    """The scenario in a ``.twee`` file, read within its byte budget; warnings go to stderr."""
    from fourresp._document._inputs import read_input
    from fourresp.errors import DocumentError, Problem
    from fourresp.exchange import from_twee
    from fourresp.exchange._twee import MAX_TWEE_BYTES

    def refuse(message: str) -> DocumentError:
        return DocumentError([Problem(code="unreadable", message=message, source=str(path))])

    try:
        data = read_input(path, MAX_TWEE_BYTES)
    except OSError as exc:
        raise refuse(f"cannot read the file: {exc.strerror}") from None
    if data is None:
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
