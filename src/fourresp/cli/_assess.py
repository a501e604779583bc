"""The ``assess`` and ``assess-batch`` commands: the self-assessment in a terminal."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import fourresp
from fourresp._csvsafe import neutralise
from fourresp._document._convert import shared_converter
from fourresp._files import check_writable, document_text, rescue, write_atomically
from fourresp.assessment import (
    BatchRow,
    Questionnaire,
    Reliability,
    ReliabilityAccumulator,
    Response,
    Result,
    Scale,
    Score,
    ScoreRow,
    load_questionnaire,
    result_chart,
    result_markdown,
    score,
    score_batch,
)
from fourresp.assessment._batch import TableRow, table_rows
from fourresp.assessment._models import assessment_hooks
from fourresp.cli._common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    add_command,
    read_line,
    terminal_text,
)
from fourresp.errors import StorageError

__all__ = ["add_commands", "render_reliability", "render_result"]


def add_commands(commands: Any) -> None:
    """Add ``assess`` and ``assess-batch`` to the ``fourresp`` subcommands."""
    assess = add_command(
        commands,
        "assess",
        help="take the self-assessment in the terminal, or score an answers file",
        description="With no --answers, asks each question in the terminal (Enter skips, b "
        "goes back, q finishes early) and prints your result. Prompts go to "
        "standard error, the result to standard output.",
        examples=(
            "fourresp assess",
            "fourresp assess --save my-answers.yaml",
            "fourresp assess --answers answers.yaml",
            "fourresp assess --answers answers.json --format json",
            "fourresp assess --answers answers.yaml --format markdown --chart scores.svg",
        ),
    )
    assess.add_argument("--answers", type=Path, help="a response document; omit to be asked")
    assess.add_argument("--questionnaire", type=Path, help="default: the built-in questionnaire")
    assess.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    assess.add_argument("--chart", type=Path, metavar="OUT.svg", help="also write an SVG chart")
    assess.add_argument(
        "--save", type=Path, metavar="FILE", help="when asked: save the answers as a document"
    )
    assess.add_argument("--respondent", help="when asked: an id to record with the answers")
    assess.set_defaults(handler=assess_command)

    batch = add_command(
        commands,
        "assess-batch",
        help="score a JSON Lines or CSV file of responses, one row per respondent",
        description="Scores each row as it is read (constant memory). Rows that do not fit are "
        "reported on standard error with their line, and the rest go on; the exit "
        "code is 1 when any row was refused.",
        examples=(
            "fourresp assess-batch responses.csv",
            "fourresp assess-batch responses.jsonl --format json > results.jsonl",
            "fourresp assess-batch responses.csv --reliability",
        ),
    )
    batch.add_argument("file", type=Path, metavar="FILE.jsonl|FILE.csv")
    batch.add_argument("--questionnaire", type=Path, help="default: the built-in questionnaire")
    batch.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="json: one JSON object per line; csv: one row per respondent",
    )
    batch.add_argument(
        "--reliability",
        action="store_true",
        help="also report Cronbach's alpha and item-total correlations "
        "(last line in json; on standard error with csv)",
    )
    batch.set_defaults(handler=assess_batch_command)


# -- one respondent --------------------------------------------------------------


def assess_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp assess``: score an answers file, or ask the questions."""
    questionnaire = load_questionnaire(args.questionnaire)
    status = EXIT_OK
    if args.answers is not None:
        response = fourresp.load(args.answers, kind="response")
    else:
        for path in (args.save, args.chart):  # before any question, not after the answers
            if path is not None:
                check_writable(path)
        asked = ask(questionnaire, sys.stdin, sys.stderr, respondent=args.respondent)
        if asked is None:
            print("Stopped; nothing was scored or saved.", file=sys.stderr)
            return EXIT_INTERRUPTED
        response = asked
        if args.save is not None and not _save_answers(args.save, response):
            status = EXIT_PROBLEMS
    try:
        result = score(questionnaire, response)
    except fourresp.DocumentError as exc:
        where = args.answers if args.answers is not None else "answers"
        for problem in exc.problems:
            print(terminal_text(f"{where}: {problem.message} ({problem.path})"), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.format == "json":
        json.dump(fourresp.to_document(result), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.format == "markdown":
        out.write(result_markdown(result, questionnaire=questionnaire))
    else:
        out.write(terminal_text(render_result(result)))
    if args.chart is not None:
        write_atomically(args.chart, result_chart(result))
        print(f"Chart written to {args.chart}.", file=sys.stderr)
    return status


def _save_answers(path: Path, response: Response) -> bool:
    """Save the answers just typed to ``path``; if that fails, somewhere they are kept.

    Says on standard error where they are (or prints them there); False on failure.
    """
    text = document_text(fourresp.to_document(response), path)
    try:
        write_atomically(path, text)
    except StorageError as exc:
        kept = rescue(text, prefix="fourresp-answers-", suffix=path.suffix or ".yaml")
        if kept is not None:
            print(f"fourresp: {exc}; your answers are kept in {kept}", file=sys.stderr)
        else:
            print(f"fourresp: {exc}; your answers:\n{text}", file=sys.stderr)
        return False
    print(f"Answers saved to {path}.", file=sys.stderr)
    return True


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(
        " ".join(text.split()), width=80, initial_indent=indent, subsequent_indent=indent
    )


def ask(
    questionnaire: Questionnaire,
    answers_in: TextIO,
    prompts: TextIO,
    *,
    respondent: str | None = None,
) -> Response | None:
    """Ask every item in turn; the response, or None when interrupted (Ctrl-C).

    Enter skips an item (or keeps the answer given before going back), ``b`` goes
    back one, ``q`` (or the end of input) finishes early with the items not reached
    left unanswered. A scale point may be typed as
    its number or its label.
    """
    from fourresp.content import load_framework

    owner = {a.id: r.title for r in load_framework() for a in r.aspects}
    _say(prompts, questionnaire.title)
    _say(prompts, _wrap(questionnaire.introduction, ""))
    _say(prompts)
    _say(prompts, _wrap(questionnaire.instructions, ""))
    _say(prompts, "Press Enter to skip a statement, b to go back, q to finish early.")
    try:
        answers = _ask_items(questionnaire, owner, answers_in, prompts)
    except KeyboardInterrupt:
        _say(prompts)
        return None
    items = questionnaire.items
    for item in items:
        answers.setdefault(item.id, None)
    given = sum(value is not None for value in answers.values())
    _say(prompts)
    _say(
        prompts,
        f"You answered {given} of {len(items)} statements"
        + (f" ({len(items) - given} skipped)." if given < len(items) else "."),
    )
    _say(prompts)
    return Response(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        answers=answers,
        respondent=respondent,
    )


def _say(prompts: TextIO, text: str = "") -> None:
    """One line to the person answering, made safe for a terminal."""
    prompts.write(terminal_text(text) + "\n")
    prompts.flush()


def _ask_items(
    questionnaire: Questionnaire, owner: dict[str, str], answers_in: TextIO, prompts: TextIO
) -> dict[str, float | None]:
    """The answers given, item by item, until the last item, ``q`` or the end of input.

    ``owner`` gives the title of the responsibility each aspect belongs to.
    """
    answers: dict[str, float | None] = {}
    items = questionnaire.items
    # Each item's screen is made once: input that keeps going back ("b" on the
    # first item, 400 KB of it) then costs a write per line, not a re-wrap.
    screens: dict[int, tuple[str, dict[str, float]]] = {}
    index = 0
    while index < len(items):
        item = items[index]
        scale = questionnaire.scale_of(item)
        if index not in screens:
            heading = f"[{index + 1}/{len(items)}] {owner.get(item.aspect, '')}".rstrip()
            screen = terminal_text(f"\n{heading}\n{_wrap(item.text)}\n  {_labels(scale)}\n")
            screens[index] = (screen, _choices(scale))
        screen, choices = screens[index]
        prompts.write(screen)
        _show_earlier(prompts, scale, answers.get(item.id))
        prompts.write("> ")
        prompts.flush()
        line = read_line(answers_in)
        if not line:  # end of input
            _say(prompts)
            break
        typed = line.strip().casefold()
        if typed == "q":
            break
        if typed == "b":
            index = max(0, index - 1)
            continue
        if typed == "":
            answers.setdefault(item.id, None)  # skipped, or an earlier answer kept
        elif typed in choices:
            answers[item.id] = choices[typed]
        else:
            _say(
                prompts,
                f"  Please type one of {', '.join(str(p) for p in scale.points)} "
                "(or Enter to skip, b to go back, q to finish).",
            )
            continue
        index += 1
    return answers


def _choices(scale: Scale) -> dict[str, float]:
    """What may be typed for each point of ``scale``: its number, or its label in any case."""
    choices: dict[str, float] = {str(p): p for p in scale.points}
    for point in scale.points:
        label = scale.label_for(point)
        if label:
            choices[label.casefold()] = point
    return choices


def _labels(scale: Scale) -> str:
    """The scale's points with their labels, on one line."""
    return "  ".join(
        f"{p} {scale.label_for(p)}" if scale.label_for(p) else str(p) for p in scale.points
    )


def _show_earlier(prompts: TextIO, scale: Scale, earlier: float | None) -> None:
    """The answer given before, if any."""
    if earlier is not None:
        label = scale.label_for(earlier)
        _say(prompts, f"  (your answer: {earlier}{f' {label}' if label else ''}; Enter keeps it)")


def _percent(value: float | None) -> str:
    return "not enough answers" if value is None else f"{value:5.1f}%"


def render_result(result: Result) -> str:
    """A questionnaire result as plain text for a terminal."""
    overall = result.overall
    band = f" ({overall.band.name})" if overall.band is not None else ""
    lines = [f"Overall: {_percent(overall.percent)}{band}"]
    for item in result.responsibilities:
        band = f"  {item.score.band.name}" if item.score.band is not None else ""
        lines.append(f"  {item.title:<32} {_percent(item.score.percent)}{band}")
    if result.strengths:
        lines += ["", "What you do well:"]
        lines += [f"  - {h.title} ({h.percent:.0f}%): {h.advice}" for h in result.strengths]
    if result.improvements:
        lines += ["", "Where you can improve:"]
        lines += [f"  - {h.title} ({h.percent:.0f}%): {h.advice}" for h in result.improvements]
    return "\n".join(lines) + "\n"


# -- a batch ---------------------------------------------------------------------


class _Progress:
    """A count on standard error, only when it is a terminal (silent in pipes and CI)."""

    def __init__(self, stream: TextIO, every: int = 500) -> None:
        self._stream = stream
        self._every = every
        self._on = stream.isatty()
        self._count = 0

    def tick(self) -> None:
        self._count += 1
        if self._on and self._count % self._every == 0:
            self._stream.write(f"\rscored {self._count:,} rows")
            self._stream.flush()

    def done(self) -> None:
        if self._on and self._count >= self._every:
            self._stream.write("\r" + " " * 30 + "\r")
            self._stream.flush()


def _row_json(row: BatchRow) -> dict[str, Any]:
    if row.result is None:
        return {
            "kind": "refused",
            "line": row.line,
            "respondent": row.respondent,
            "problems": [p.as_json() for p in row.problems],
        }
    return {"kind": "result", "line": row.line, "result": fourresp.to_document(row.result)}


def _csv_columns() -> list[str]:
    """The responsibilities with a percent and a band column each, in the framework's order."""
    from fourresp.content import load_framework

    return [responsibility.id for responsibility in load_framework()]


def _csv_header(columns: list[str]) -> list[str]:
    header = ["line", "respondent", "overall_percent", "overall_band"]
    for responsibility in columns:
        header += [f"{responsibility}_percent", f"{responsibility}_band"]
    return header


def _csv_cells(row: ScoreRow | TableRow, columns: list[str]) -> list[str]:
    """One CSV row. Text cells (respondent, band ids) are neutralised against formulas;
    numbers are written as they are."""
    assert row.overall is not None
    cells = [str(row.line), neutralise(row.respondent or "")]
    scores = {r.responsibility: r.score for r in row.responsibilities}
    for group in (row.overall, *map(scores.get, columns)):
        if group is None:
            cells += ("", "")
            continue
        percent, band = group.percent, group.band
        cells.append("" if percent is None else f"{percent:.2f}")
        cells.append("" if band is None else neutralise(band.id))
    return cells


def _figure(score: Score, digits: int) -> str:
    return "n/a" if score.percent is None else f"{score.percent:.{digits}f}%"


def _row_text(row: ScoreRow | TableRow) -> str:
    assert row.overall is not None
    who = terminal_text(row.respondent or "-")[:24]
    parts = [f"line {row.line:<6}", f"{who:<24}"]
    overall = row.overall
    band = overall.band.name if overall.band else ""
    parts.append(f"overall {_figure(overall, 1):>6} {band:<12}")
    for item in row.responsibilities:
        parts.append(f"{item.responsibility} {_figure(item.score, 0)}")
    return "  ".join(parts).rstrip()


def render_reliability(report: Reliability) -> str:
    """Reliability figures as plain text for a terminal."""

    def figure(value: float | None) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    plural = "" if report.responses == 1 else "s"
    lines = [f"Reliability of {report.responses} response{plural} (Cronbach's alpha)"]
    for group in report.groups:
        note = f"  ({group.note})" if group.note else ""
        lines.append(
            f"  {group.group:<10} alpha {figure(group.alpha)}  "
            f"{group.items} items, {group.respondents} complete responses{note}"
        )
    lines += ["", "Corrected item-total correlations (and alpha if the item is deleted)"]
    for group in report.groups[1:] or report.groups:
        for entry in group.item_total:
            note = f"  ({entry.note})" if entry.note else ""
            lines.append(
                f"  {group.group:<10} {entry.item:<24} r {figure(entry.correlation)}  "
                f"alpha without {figure(entry.alpha_if_deleted)}{note}"
            )
    return "\n".join(lines) + "\n"


def assess_batch_command(args: argparse.Namespace, out: TextIO) -> int:
    """``fourresp assess-batch``: score a file of responses row by row, writing as it goes."""
    questionnaire = load_questionnaire(args.questionnaire)
    accumulator = ReliabilityAccumulator(questionnaire) if args.reliability else None
    progress = _Progress(sys.stderr)
    try:
        if args.format == "json":
            rows = score_batch(args.file, questionnaire, reliability=accumulator)
            scored, refused = _write_json(rows, out, progress)
        else:
            light = table_rows(args.file, questionnaire, reliability=accumulator)
            scored, refused = _write_table(light, args.format == "csv", out, progress)
    finally:
        progress.done()
    if accumulator is not None:
        report = accumulator.report()
        if args.format == "json":
            body = {"kind": "reliability", **shared_converter(assessment_hooks).unstructure(report)}
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
        elif args.format == "csv":
            sys.stderr.write(render_reliability(report))
        else:
            out.write("\n" + render_reliability(report))
    print(f"{scored} scored, {refused} refused", file=sys.stderr)
    return EXIT_PROBLEMS if refused else EXIT_OK


def _report(problems: tuple[fourresp.Problem, ...]) -> None:
    for problem in problems:
        print(terminal_text(str(problem)), file=sys.stderr)


def _write_json(rows: Iterable[BatchRow], out: TextIO, progress: _Progress) -> tuple[int, int]:
    """JSON Lines, a full Result per row."""
    scored = refused = 0
    for row in rows:
        progress.tick()
        if row.result is None:
            refused += 1
            _report(row.problems)
        else:
            scored += 1
        out.write(json.dumps(_row_json(row), ensure_ascii=False) + "\n")
    return scored, refused


def _write_table(
    rows: Iterable[TableRow | ScoreRow], as_csv: bool, out: TextIO, progress: _Progress
) -> tuple[int, int]:
    """Text or CSV, from light rows: no full Result is built, nor a response for a row
    read the quick way."""
    scored = refused = 0
    columns = _csv_columns()
    writer = csv.writer(out, lineterminator="\n") if as_csv else None
    if writer is not None:
        writer.writerow(_csv_header(columns))
    for row in rows:
        progress.tick()
        if row.overall is None:
            refused += 1
            _report(row.problems)
        elif writer is not None:
            scored += 1
            writer.writerow(_csv_cells(row, columns))
        else:
            scored += 1
            out.write(_row_text(row) + "\n")
    return scored, refused
