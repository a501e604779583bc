"""Import files read as a stream: JSON Lines or CSV, one record at a time.

Memory stays flat however long the file is; a line longer than :data:`MAX_LINE`
characters, JSON nested too deeply, a row that is not an object: each is a
problem located at its line, and reading goes on to the next.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any, Literal

from fourresp._csvsafe import neutralise, restore
from fourresp._document._lines import BoundedLines, RowTooLarge, jsonl_lines
from fourresp.errors import Problem
from fourresp.supporters._models import Supporter
from fourresp.supporters._tables import COLUMNS

__all__ = ["MAX_LINE", "at", "cell", "record", "records"]

MAX_LINE = 64 * 1024  # characters in one JSON Lines record (a pledge is well under 2 KiB)


def at(message: str, source: str | None, line: int | None) -> Problem:
    return Problem(code="invalid", message=message, source=source, line=line)


def record(supporter: Supporter) -> dict[str, Any]:
    return {name: getattr(supporter, name) for name in COLUMNS}


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def records(
    stream: IO[str], format: Literal["jsonl", "csv"], name: str | None, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, record) for each row of ``stream``, read as it goes; problems appended."""
    if format == "jsonl":
        return _jsonl_records(stream, name, problems)
    return _csv_records(stream, name, problems)


def _jsonl_records(
    stream: IO[str], name: str | None, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, text in jsonl_lines(stream, MAX_LINE):
        if text is None:
            problems.append(at(f"the line is longer than {MAX_LINE:,} characters", name, line))
            continue
        try:
            record = _parse(text)
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(
                    code="json-syntax",
                    message=f"not valid JSON: {exc.msg}",
                    source=name,
                    line=line,
                    column=exc.colno,
                )
            )
            continue
        except RecursionError:
            problems.append(at("the JSON is nested too deeply", name, line))
            continue
        except ValueError:  # int() refuses an integer of thousands of digits
            problems.append(at("a number has too many digits", name, line))
            continue
        if not isinstance(record, dict):
            problems.append(at("each line is a JSON object", name, line))
            continue
        if None in record.values():
            record = {k: v for k, v in record.items() if v is not None}
        yield line, record


_DECODER = json.JSONDecoder()


def _parse(text: str) -> Any:
    """``json.loads(text)``: the same value, or the same error.

    A line is decoded with ``raw_decode``, which skips the whitespace scans and
    checks that ``json.loads`` wraps around it: that halves parsing a pledge (about
    1 us of 2). A line it does not take whole (leading space, a byte-order mark,
    anything after the value, an error) goes to ``json.loads`` for its value or error.
    """
    try:
        value, end = _DECODER.raw_decode(text)
    except json.JSONDecodeError:
        return json.loads(text)
    if text[end:].strip(" \t\n\r"):  # JSON's whitespace, and only it, may follow
        return json.loads(text)
    return value


_TRUE = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _csv_records(
    stream: IO[str], name: str | None, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    lines = BoundedLines(stream, MAX_LINE)  # a row, however many cells, within MAX_LINE
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
        if header is None:
            return
        while True:
            start = lines.lines + 1
            lines.start()
            try:
                row = next(reader, None)
            except RowTooLarge:
                problems.append(at(f"the row is longer than {MAX_LINE:,} characters", name, start))
                continue
            if row is None:
                return
            if len(row) > len(header):
                problems.append(
                    at(f"{len(row)} cells, but {len(header)} columns", name, reader.line_num)
                )
                continue
            cells: dict[str, Any] = {
                column: restore(value)
                for column, value in zip(header, row, strict=False)
                if column and value
            }
            if "public" in cells:
                public = _TRUE.get(cells["public"].strip().lower())
                if public is None:
                    problems.append(at("public must be true or false", name, reader.line_num))
                    continue
                cells["public"] = public
            yield reader.line_num, cells
    except csv.Error as exc:
        problems.append(
            Problem(
                code="csv-syntax",
                message=f"not valid CSV: {exc}",
                source=name,
                line=reader.line_num,
            )
        )
