"""Import files read as a stream: JSON Lines or CSV, one record at a time.

Memory stays flat however long the file is; a line longer than :data:`MAX_LINE`
characters, JSON nested too deeply, a row that is not an object: each is a
problem located at its line, and reading goes on to the next.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any, Literal

from fourresp._csvsafe import neutralise, restore
from fourresp._document._limits import DEFAULT_LIMITS
from fourresp._document._lines import BoundedLines, RowTooLarge, csv_rows, jsonl_lines
from fourresp.errors import Problem
from fourresp.supporters._models import Supporter
from fourresp.supporters._tables import COLUMNS

__all__ = ["MAX_LINE", "at", "cell", "record", "records"]

MAX_LINE = 64 * 1024  # characters in one JSON Lines record (a pledge is well under 2 KiB)
MAX_INTEGER_DIGITS = DEFAULT_LIMITS.max_number_digits  # the loader's: every 64-bit integer fits


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
    for line, text in jsonl_lines(stream, MAX_LINE, name):
        if text is None:
            problems.append(at(f"the line is longer than {MAX_LINE:,} characters", name, line))
            continue
        try:
            record = _parse(text)
        except _Refused as exc:
            problems.append(at(f"not valid JSON: {exc}", name, line))
            continue
        except json.JSONDecodeError as exc:
            message = f"not valid JSON: {exc.msg}"
            problems.append(_syntax("json-syntax", message, name, line, exc.colno))
            continue
        except RecursionError:
            problems.append(at("the JSON is nested too deeply", name, line))
            continue
        if not isinstance(record, dict):
            problems.append(at("each line is a JSON object", name, line))
            continue
        if None in record.values():
            record = {k: v for k, v in record.items() if v is not None}
        yield line, record


class _Refused(ValueError):
    """A number the import does not read (JSON's own rules allow it)."""


def _integer(token: str) -> int:
    # checked before converting: a 5,000-digit integer costs nothing and says why
    if len(token.lstrip("-")) > MAX_INTEGER_DIGITS:
        digits = len(token.lstrip("-"))
        raise _Refused(f"an integer of {digits:,} digits (at most {MAX_INTEGER_DIGITS})")
    return int(token)


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number JSON documents may hold")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:  # the loader refuses it too: which of the two was meant?
            raise _Refused(f"the key {key!r} appears twice")
        found[key] = value
    return found


# Mappings come back as their (key, value) pairs, so a key given twice is counted.
_PAIRS = json.JSONDecoder(object_pairs_hook=list, parse_int=_integer, parse_constant=_no_constant)


def _parse(text: str) -> Any:
    """``json.loads(text)`` with duplicate keys, 5,000-digit integers, NaN and Infinity
    refused: the same value, or the same error.

    A line holding one mapping and no other (one ``{``, the first character) is
    decoded with ``raw_decode``, which skips the whitespace scans and checks that
    ``json.loads`` wraps around it, into its list of pairs: a dict made of them is
    shorter than the list exactly when a key came twice. That takes a pledge in
    1.9 us against 3.7 for ``json.loads`` with a hook on every mapping. Any other
    line (leading space, a byte-order mark, a nested mapping or a brace in a text,
    anything after the value, an error, a repeated key) goes to ``json.loads``
    with the hooks, for its value or its error.
    """
    if text[:1] == "{" and text.find("{", 1) < 0:
        try:
            pairs, end = _PAIRS.raw_decode(text)
        except json.JSONDecodeError:
            return _strict(text)
        value = dict(pairs)
        if len(value) == len(pairs) and not text[end:].strip(" \t\n\r"):
            return value
    return _strict(text)


def _strict(text: str) -> Any:
    return json.loads(
        text, object_pairs_hook=_unique, parse_int=_integer, parse_constant=_no_constant
    )


_TRUE = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _csv_records(
    stream: IO[str], name: str | None, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    import csv  # imported when a CSV file is first read

    lines = BoundedLines(stream, MAX_LINE, name)  # a row, however many cells, within MAX_LINE
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except RowTooLarge:
        problems.append(at(f"the header is longer than {MAX_LINE:,} characters", name, 1))
        return
    except csv.Error as exc:
        problems.append(_syntax("csv-syntax", f"not valid CSV: {exc}", name, reader.line_num))
        return
    if header is None:
        return
    for column, value in enumerate(header, start=1):
        if value and value in header[: column - 1]:  # a second value would be lost
            problems.append(at(f"column {column}: {value!r} is already a column", name, 1))
            return
    for start, row in csv_rows(lines, reader):
        if isinstance(row, RowTooLarge):
            problems.append(at(f"the row is longer than {MAX_LINE:,} characters", name, start))
            continue
        if isinstance(row, csv.Error):  # the rest of the file is not read
            problems.append(_syntax("csv-syntax", f"not valid CSV: {row}", name, reader.line_num))
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


def _syntax(
    code: str, message: str, source: str | None, line: int, column: int | None = None
) -> Problem:
    """A file that is not valid JSON or CSV, located."""
    return Problem(code=code, message=message, source=source, line=line, column=column)
