"""Batches: read responses from JSON Lines or CSV and score them one at a time.

Everything streams: a row is read, checked, scored and handed on before the
next one is read, so memory does not grow with the size of the file. A row that
cannot be read or does not fit the questionnaire becomes a :class:`BatchRow`
with its problems (file, line and JSON path), and the rows after it go on.

JSON Lines: one JSON object per line, a response document (``questionnaire``,
``version``, ``answers``, optional ``respondent``, ``started_at``,
``completed_at``); ``questionnaire`` and ``version`` default to the
questionnaire's own. Blank lines are skipped.

CSV: a header row, then one row per respondent. Columns ``respondent``,
``questionnaire``, ``version``, ``started_at`` and ``completed_at`` are optional;
every other column is an item id. An empty cell is a skipped item. A UTF-8 byte
order mark (as spreadsheet programs write) is accepted.
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Iterator
from typing import IO, Any, Literal

import attrs

from fourresp._limits import DEFAULT_LIMITS, Limits
from fourresp._load import load
from fourresp._paths import format_path
from fourresp.assessment._engine import score
from fourresp.assessment._models import Questionnaire, Response, Result
from fourresp.assessment._reliability import ReliabilityAccumulator
from fourresp.assessment._scorers import ScorerRegistry
from fourresp.content import Framework
from fourresp.errors import ArgumentError, DocumentError, Problem

__all__ = ["BatchFormat", "BatchRow", "ResponseRow", "read_responses", "score_batch"]

BatchFormat = Literal["jsonl", "csv"]
_SUFFIXES: dict[str, BatchFormat] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
_CSV_FIELDS = ("respondent", "questionnaire", "version", "started_at", "completed_at")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CSV_FIELD_LIMIT = 1 << 20


@attrs.frozen(kw_only=True)
class ResponseRow:
    """One row of a batch file: the response read from it, or why it could not be read."""

    line: int
    response: Response | None
    problems: tuple[Problem, ...] = ()


@attrs.frozen(kw_only=True)
class BatchRow:
    """One scored row: its result, or the problems that kept it from being scored."""

    line: int
    respondent: str | None
    result: Result | None
    problems: tuple[Problem, ...] = ()


def _at(problems: tuple[Problem, ...], source: str | None, line: int) -> tuple[Problem, ...]:
    """The problems of one row, placed at its line in the file."""
    return tuple(
        attrs.evolve(problem, source=source, line=line, column=problem.column)
        for problem in problems
    )


def _format_of(name: str | None, requested: BatchFormat | None) -> BatchFormat:
    if requested is not None:
        if requested not in ("jsonl", "csv"):
            raise ArgumentError(f"a batch is 'jsonl' or 'csv', not {requested!r}")
        return requested
    suffix = os.path.splitext(name or "")[1].lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise ArgumentError(
        f"cannot tell the format of {name or 'the batch'!r} from its name: "
        "use a .jsonl or .csv file, or say format='jsonl' or format='csv'"
    )


def _response(
    document: Any, questionnaire: Questionnaire, limits: Limits
) -> Response | tuple[Problem, ...]:
    if not isinstance(document, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(document), "a number"
        )
        return (
            Problem(
                code="not-a-mapping",
                message=f"a response is a JSON object with 'answers', not {kind}",
            ),
        )
    document.setdefault("questionnaire", questionnaire.id)
    document.setdefault("version", questionnaire.version)
    try:
        response: Response = load(document, kind="response", limits=limits)
    except DocumentError as exc:
        return exc.problems
    return response


def _jsonl_rows(
    stream: IO[str], source: str | None, questionnaire: Questionnaire, limits: Limits
) -> Iterator[ResponseRow]:
    from fourresp._json import read_json

    line = 0
    while True:
        text = stream.readline(limits.max_bytes + 1)
        if not text:
            return
        line += 1
        if line == 1:  # a stream opened without utf-8-sig keeps the byte-order mark
            text = text.removeprefix("\ufeff")
        if len(text) > limits.max_bytes and not text.endswith("\n"):
            while text and not text.endswith("\n"):  # skip the rest of the long line
                text = stream.readline(limits.max_bytes + 1)
            problem = Problem(
                code="too-large",
                message=f"the line is longer than {limits.max_bytes} characters",
            )
            yield ResponseRow(line=line, response=None, problems=_at((problem,), source, line))
            continue
        if not text.strip():
            continue
        try:
            document = read_json(text, limits=limits, source=source)
        except DocumentError as exc:
            yield ResponseRow(line=line, response=None, problems=_at(exc.problems, source, line))
            continue
        found = _response(document, questionnaire, limits)
        if isinstance(found, Response):
            yield ResponseRow(line=line, response=found)
        else:
            yield ResponseRow(line=line, response=None, problems=_at(found, source, line))


def _number(text: str) -> float | int | None:
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return value
    return None


def _csv_header(header: list[str], questionnaire: Questionnaire, source: str | None) -> list[str]:
    # a stream opened without utf-8-sig keeps the byte-order mark (Excel writes one)
    names = [
        cell.removeprefix("\ufeff").strip() if column == 0 else cell.strip()
        for column, cell in enumerate(header)
    ]
    known = {item.id for item in questionnaire.items}
    problems = []
    seen: set[str] = set()
    for column, name in enumerate(names, start=1):
        where = f"column {column}"
        if not name:
            problems.append(
                Problem(code="csv-header", message=f"{where} has no name", source=source, line=1)
            )
        elif name in seen:
            problems.append(
                Problem(
                    code="csv-header",
                    message=f"{where}: {name!r} is already a column",
                    source=source,
                    line=1,
                )
            )
        elif name not in known and name not in _CSV_FIELDS:
            problems.append(
                Problem(
                    code="unknown-item",
                    message=f"{where}: {name!r} is not an item of questionnaire "
                    f"{questionnaire.id!r} (nor one of {', '.join(_CSV_FIELDS)})",
                    source=source,
                    line=1,
                )
            )
        seen.add(name)
    if problems:
        raise DocumentError(problems, source=source)
    return names


def _csv_rows(
    stream: IO[str], source: str | None, questionnaire: Questionnaire, limits: Limits
) -> Iterator[ResponseRow]:
    field_limit = csv.field_size_limit()
    csv.field_size_limit(min(_CSV_FIELD_LIMIT, limits.max_bytes))
    try:
        reader = csv.reader(stream, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise DocumentError(
                [Problem(code="csv-syntax", message=f"not valid CSV: {exc}", source=source, line=1)]
            ) from None
        if header is None:
            return
        names = _csv_header(header, questionnaire, source)
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                problem = Problem(code="csv-syntax", message=f"not valid CSV: {exc}")
                yield ResponseRow(
                    line=start, response=None, problems=_at((problem,), source, start)
                )
                return  # the reader cannot find the next row reliably after this
            if cells is None:
                return
            if not any(cell.strip() for cell in cells):
                continue
            yield _csv_row(cells, names, start, source, questionnaire, limits)
    finally:
        csv.field_size_limit(field_limit)


def _csv_row(
    cells: list[str],
    names: list[str],
    line: int,
    source: str | None,
    questionnaire: Questionnaire,
    limits: Limits,
) -> ResponseRow:
    if len(cells) != len(names):
        problem = Problem(
            code="csv-shape",
            message=f"the row has {len(cells)} cells; the header has {len(names)} columns",
        )
        return ResponseRow(line=line, response=None, problems=_at((problem,), source, line))
    document: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    problems = []
    for name, raw in zip(names, cells, strict=True):
        cell = raw.strip()
        if name in _CSV_FIELDS:
            if cell:
                document[name] = cell
            continue
        if not cell:
            answers[name] = None
            continue
        value = _number(cell)
        if value is None:
            problems.append(
                Problem(
                    code="not-a-number",
                    message=f"item {name!r}: expected a number on the scale, found {cell[:40]!r}",
                    path=format_path(("answers", name)),
                )
            )
        answers[name] = value
    if problems:
        return ResponseRow(line=line, response=None, problems=_at(tuple(problems), source, line))
    document["answers"] = answers
    found = _response(document, questionnaire, limits)
    if isinstance(found, Response):
        return ResponseRow(line=line, response=found)
    return ResponseRow(line=line, response=None, problems=_at(found, source, line))


def read_responses(
    source: str | os.PathLike[str] | IO[str],
    questionnaire: Questionnaire,
    *,
    format: BatchFormat | None = None,
    limits: Limits | None = None,
) -> Iterator[ResponseRow]:
    """Read the responses of a JSON Lines or CSV batch, one row at a time.

    ``source`` is a path or an open text file; the format comes from ``format`` or
    the file's suffix (``.jsonl``, ``.ndjson``, ``.csv``). Each row is checked
    against the response schema; one that fails carries its problems (file, line,
    JSON path) instead of a response, and reading goes on. A CSV header that names
    unknown columns, or a file that cannot be decoded, raises
    :class:`~fourresp.errors.DocumentError`. ``limits.max_bytes`` bounds each line.
    """
    limits = limits if limits is not None else DEFAULT_LIMITS
    name = _source_name(source)
    if isinstance(source, str | os.PathLike):
        assert name is not None
        chosen = _format_of(name, format)
        try:
            stream: IO[str] = open(name, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise DocumentError(
                [
                    Problem(
                        code="unreadable",
                        message=f"cannot read the file: {exc.strerror}",
                        source=name,
                    )
                ],
                source=name,
            ) from None
        with stream:
            yield from _decoded(_rows(stream, name, chosen, questionnaire, limits), name)
        return
    chosen = _format_of(name, format)
    yield from _decoded(_rows(source, name, chosen, questionnaire, limits), name)


def _source_name(source: str | os.PathLike[str] | IO[str]) -> str | None:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def _rows(
    stream: IO[str],
    name: str | None,
    chosen: BatchFormat,
    questionnaire: Questionnaire,
    limits: Limits,
) -> Iterator[ResponseRow]:
    if chosen == "csv":
        return _csv_rows(stream, name, questionnaire, limits)
    return _jsonl_rows(stream, name, questionnaire, limits)


def _decoded(rows: Iterator[ResponseRow], name: str | None) -> Iterator[ResponseRow]:
    last = 0
    try:
        for row in rows:
            last = row.line
            yield row
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [
                Problem(
                    code="encoding",
                    message=f"the file is not UTF-8 (after line {last}): {exc.reason}",
                    source=name,
                    line=last + 1,
                )
            ],
            source=name,
        ) from None


def score_batch(
    source: str | os.PathLike[str] | IO[str],
    questionnaire: Questionnaire,
    *,
    format: BatchFormat | None = None,
    framework: Framework | None = None,
    scorers: ScorerRegistry | None = None,
    scorer: str | None = None,
    reliability: ReliabilityAccumulator | None = None,
    limits: Limits | None = None,
) -> Iterator[BatchRow]:
    """Read and score a batch one row at a time (see :func:`read_responses`).

    Each row comes out as a :class:`BatchRow`: its :class:`Result`, or the
    problems that kept it from being scored (a value off the scale, an unknown
    item...), placed at the row's line. With ``reliability``, every scored
    response is also added to that accumulator.

    >>> import io
    >>> from fourresp.assessment import load_questionnaire, score_batch
    >>> questionnaire = load_questionnaire()
    >>> header = ",".join(["respondent", *(item.id for item in questionnaire.items)])
    >>> rows = [header, ",".join(["ada", *["4"] * len(questionnaire.items)])]
    >>> [row.result.overall.band.name for row in score_batch(
    ...     io.StringIO("\\n".join(rows)), questionnaire, format="csv")]
    ['Frequent practice']
    """
    for row in read_responses(source, questionnaire, format=format, limits=limits):
        response = row.response
        if response is None:
            yield BatchRow(line=row.line, respondent=None, result=None, problems=row.problems)
            continue
        try:
            result = score(
                questionnaire, response, framework=framework, scorers=scorers, scorer=scorer
            )
        except DocumentError as exc:
            yield BatchRow(
                line=row.line,
                respondent=response.respondent,
                result=None,
                problems=_at(exc.problems, _source_name(source), row.line),
            )
            continue
        if reliability is not None:
            reliability.add(response)
        yield BatchRow(line=row.line, respondent=response.respondent, result=result)
