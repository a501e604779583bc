"""Reading batches: responses from JSON Lines or CSV, one row at a time.

Everything streams: a row is read and checked before the next one is read, so
memory does not grow with the size of the file. Each row is read within a budget
of at most 1 MiB (or ``limits.max_bytes`` when smaller); anything that makes a
row unreadable, however large or strange, is that row's problem: it becomes a
:class:`ResponseRow` with its problems (file, line and JSON path), and the rows
after it go on.

A row that is plainly well formed is taken as it is (see
:mod:`fourresp.assessment._quick`), and the engine's own answer checks follow
when it is scored; the full schema validator runs only on a row that is not, to
explain what is wrong with it.

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

import io
import math
import os
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO, Any, Generic, Literal, Protocol, TypeVar, cast

import attrs

from fourresp._document._inputs import open_input
from fourresp._document._limits import DEFAULT_LIMITS, Limits
from fourresp._document._lines import (
    BoundedLines,
    RowTooLarge,
    csv_rows,
    jsonl_lines,
    undecodable,
)
from fourresp._load import load
from fourresp.assessment._jsonrow import parsed
from fourresp.assessment._models import Questionnaire, Response
from fourresp.assessment._quick import MAX_ANSWERS, quick_response
from fourresp.errors import ArgumentError, DocumentError, Problem

__all__ = [
    "BatchFormat",
    "Quick",
    "ResponseRow",
    "at",
    "read_responses",
    "read_rows",
    "source_name",
]

BatchFormat = Literal["jsonl", "csv"]
_SUFFIXES: dict[str, BatchFormat] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
_CSV_FIELDS = ("respondent", "questionnaire", "version", "started_at", "completed_at")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_ROW_BUDGET = 1 << 20  # characters in one row: a response is a few kilobytes at most
_LONGEST_NUMBER = 64  # characters in a CSV cell read as a number
# What reading one row can raise, however hostile the row: each becomes its problem.
_ROW_FAILURES = (ValueError, OverflowError, RecursionError, TypeError, MemoryError)


class _Lined(Protocol):
    @property
    def line(self) -> int: ...


R = TypeVar("R", bound=_Lined)
L = TypeVar("L", bound=_Lined)
#: Takes a row's document (line, document) on a quick way, or leaves it (None).
Quick = Callable[[int, dict[str, Any]], R | None]


@attrs.frozen
class _Batch(Generic[R]):
    """What every row of one batch is read against."""

    source: str | None
    questionnaire: Questionnaire
    limits: Limits
    quick: Quick[R] | None

    @property
    def budget(self) -> int:
        """The characters one row may take."""
        return min(self.limits.max_bytes, _ROW_BUDGET)


@attrs.frozen(kw_only=True)
class ResponseRow:
    """One row of a batch file: the response read from it, or why it could not be read."""

    line: int
    response: Response | None
    problems: tuple[Problem, ...] = ()


def at(problems: tuple[Problem, ...], source: str | None, line: int) -> tuple[Problem, ...]:
    """The problems of one row, placed at its line in the file."""
    # Made directly rather than with attrs.evolve, which looks the class over on
    # every call: a file of 250,000 refused rows (1 MB) was 1.5 s slower for it.
    return tuple(
        Problem(
            code=problem.code,
            message=problem.message,
            parts=problem.parts,
            source=source,
            line=line,
            column=problem.column,
            severity=problem.severity,
            subject=problem.subject,
            first=problem.first,
        )
        for problem in problems
    )


def _refused(problems: tuple[Problem, ...], source: str | None, line: int) -> ResponseRow:
    """The row at ``line`` that could not be read, with ``problems`` placed at that line."""
    return ResponseRow(line=line, response=None, problems=at(problems, source, line))


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
    # The quick check's documents are flat, hold at most 10,000 answers and fit a
    # row's budget, so it may stand in for the loader only under limits that allow
    # all of that; stricter limits send every row the full way.
    quick = quick_response(document) if _roomy(limits) else None
    if quick is not None:
        return quick
    try:  # the full loader, to say what is wrong
        response: Response = load(document, kind="response", limits=limits)
    except DocumentError as exc:
        return exc.problems
    for key in ("respondent", "started_at", "completed_at"):
        text = getattr(response, key)
        if text is not None and not _encodable(text):
            return (
                Problem(
                    code="bad-text",
                    message=f"{key} holds a lone surrogate, which no file can store",
                    parts=(key,),
                ),
            )
    return response


def _roomy(limits: Limits) -> bool:
    return (
        limits.max_depth >= 2
        and limits.max_nodes > 2 * MAX_ANSWERS
        and limits.max_bytes >= 4 * _ROW_BUDGET  # UTF-8 takes at most 4 bytes a character
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _guarded(line: int, source: str | None, read: Callable[[], ResponseRow | R]) -> ResponseRow | R:
    """``read()``, or a row with the problem when the row makes reading fail."""
    try:
        return read()
    except _ROW_FAILURES as exc:
        problem = Problem(
            code="unreadable-row",
            message=f"the row cannot be read ({exc.__class__.__name__})",
        )
        return _refused((problem,), source, line)


def _undecodable_row(text: str, line: int, source: str | None) -> ResponseRow | None:
    """The row's problem when ``text`` holds bytes that are not UTF-8, else None."""
    reason = undecodable(text)
    if reason is None:
        return None
    problem = Problem(code="encoding", message=reason)
    return _refused((problem,), source, line)


def _jsonl_row(text: str, line: int, batch: _Batch[R]) -> ResponseRow | R:
    source = batch.source
    bad = _undecodable_row(text, line, source)
    if bad is not None:
        return bad
    try:
        document = parsed(text, batch.limits, source)
    except DocumentError as exc:
        return _refused(exc.problems, source, line)
    return _row_of(document, line, batch)


def _row_of(document: Any, line: int, batch: _Batch[R]) -> ResponseRow | R:
    """The row of one document: the batch's quick's when it takes the document, else
    its response (or its problems)."""
    source, questionnaire, quick = batch.source, batch.questionnaire, batch.quick
    if quick is not None and document.__class__ is dict:
        document.setdefault("questionnaire", questionnaire.id)
        document.setdefault("version", questionnaire.version)
        taken = quick(line, document)
        if taken is not None:
            return taken
    try:
        found = _response(document, questionnaire, batch.limits)
    except DocumentError as exc:
        return _refused(exc.problems, source, line)
    if isinstance(found, Response):
        return ResponseRow(line=line, response=found)
    return _refused(found, source, line)


def _too_large(line: int, source: str | None, budget: int) -> ResponseRow:
    problem = Problem(code="too-large", message=f"the row is longer than {budget} characters")
    return _refused((problem,), source, line)


def _jsonl_rows(stream: IO[str], batch: _Batch[R]) -> Iterator[ResponseRow | R]:
    source, budget = batch.source, batch.budget
    for line, text in jsonl_lines(stream, budget, source):
        if text is None:
            yield _too_large(line, source, budget)
        else:
            yield _guarded(line, source, partial(_jsonl_row, text, line, batch))


def _number(text: str) -> float | int | None:
    if len(text) > _LONGEST_NUMBER:  # int() of thousands of digits raises ValueError
        return None
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


def _csv_rows(stream: IO[str], batch: _Batch[R]) -> Iterator[ResponseRow | R]:
    # csv.field_size_limit is left alone (it is process-wide): the default of
    # 131,072 characters is far above any cell of a response, and a row's budget
    # bounds the memory a row can take.
    import csv  # only CSV batches need it

    source, budget = batch.source, batch.budget
    lines = BoundedLines(stream, budget, source)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except (csv.Error, RowTooLarge) as exc:
        message = "not valid CSV: " + (str(exc) if isinstance(exc, csv.Error) else "too long")
        raise DocumentError(
            [Problem(code="csv-syntax", message=message, source=source, line=1)]
        ) from None
    if header is None:
        return
    reason = undecodable(",".join(header))
    if reason is not None:
        problem = Problem(code="encoding", message=reason, source=source, line=1)
        raise DocumentError([problem], source=source)
    names = _csv_header(header, batch.questionnaire, source)
    for start, cells in csv_rows(lines, reader):
        if isinstance(cells, RowTooLarge):
            yield _too_large(start, source, budget)
            continue
        if isinstance(cells, csv.Error):
            # The reader starts afresh on the next line, so the rows after go on.
            problem = Problem(code="csv-syntax", message=f"not valid CSV: {cells}")
            yield _refused((problem,), source, start)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        bad = _undecodable_row(",".join(cells), start, source)
        if bad is not None:
            yield bad
            continue
        yield _guarded(start, source, partial(_csv_row, cells, names, start, batch))


def _csv_row(cells: list[str], names: list[str], line: int, batch: _Batch[R]) -> ResponseRow | R:
    source = batch.source
    if len(cells) != len(names):
        problem = Problem(
            code="csv-shape",
            message=f"the row has {len(cells)} cells; the header has {len(names)} columns",
        )
        return _refused((problem,), source, line)
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
                    parts=("answers", name),
                )
            )
        answers[name] = value
    if problems:
        return _refused(tuple(problems), source, line)
    document["answers"] = answers
    return _row_of(document, line, batch)


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
    JSON path) instead of a response, and reading goes on; so does a row with bytes
    that are not UTF-8 (a file opened here is read with ``errors="surrogateescape"``).
    A CSV header that names unknown columns or is not UTF-8, a line that never ends,
    or a stream of the caller's that cannot be decoded, raises
    :class:`~fourresp.errors.DocumentError`. ``limits.max_bytes`` bounds each line.
    """
    rows: Iterator[ResponseRow] = read_rows(source, questionnaire, format, limits, None)
    return rows


def read_rows(
    source: str | os.PathLike[str] | IO[str],
    questionnaire: Questionnaire,
    format: BatchFormat | None,
    limits: Limits | None,
    quick: Quick[R] | None,
) -> Iterator[ResponseRow | R]:
    """:func:`read_responses`, where ``quick`` may take a row's document as it comes.

    ``quick(line, document)`` is offered each row's document (a JSON object, or a
    CSV row's cells as one, its questionnaire and version filled in) when the limits
    let the quick check stand in for the loader; what it returns (not None) is that
    row, and the row is not read any further.
    """
    limits = limits if limits is not None else DEFAULT_LIMITS
    # The quick check's documents are flat, hold at most 10,000 answers and fit a
    # row's budget, so it may stand in for the loader only under limits that allow
    # all of that; stricter limits send every row the full way.
    quick = quick if _roomy(limits) else None
    name = source_name(source)
    if isinstance(source, str | os.PathLike):
        assert name is not None
        chosen = _format_of(name, format)
        try:
            # a byte that is not UTF-8 is its row's problem (see undecodable), and a
            # FIFO without a writer reads as empty (see open_input)
            stream: IO[str] = io.TextIOWrapper(
                open_input(name), encoding="utf-8-sig", errors="surrogateescape", newline=""
            )
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
            yield from _decoded(
                _rows(stream, chosen, _Batch(name, questionnaire, limits, quick)), name
            )
        return
    given = cast(object, source)  # typed as a text stream, yet checked
    if isinstance(given, io.RawIOBase | io.BufferedIOBase) or not hasattr(given, "readline"):
        raise ArgumentError(
            "a batch is a path or a text stream (open it with encoding='utf-8'), "
            f"not {type(source).__name__}"
        )
    chosen = _format_of(name, format)
    yield from _decoded(_rows(source, chosen, _Batch(name, questionnaire, limits, quick)), name)


def source_name(source: str | os.PathLike[str] | IO[str]) -> str | None:
    """The file name of a batch source (a path, or an open file's name), or None."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def _rows(stream: IO[str], chosen: BatchFormat, batch: _Batch[R]) -> Iterator[ResponseRow | R]:
    if chosen == "csv":
        return _csv_rows(stream, batch)
    return _jsonl_rows(stream, batch)


def _decoded(rows: Iterator[L], name: str | None) -> Iterator[L]:
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
