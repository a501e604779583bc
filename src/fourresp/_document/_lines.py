"""The lines of a text stream within a budget: what the batch and import readers share.

A JSON Lines or CSV file is read a line at a time, each line (or CSV row, which a
quoted cell may spread over several lines) within a budget of characters, so memory
stays flat however large the file or any one line in it. A byte-order mark at the
start (Excel writes one) is dropped, also from a stream opened without utf-8-sig.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from fourresp.errors import DocumentError, Problem

if TYPE_CHECKING:
    import csv

__all__ = ["SKIP_LIMIT", "BoundedLines", "RowTooLarge", "csv_rows", "jsonl_lines", "undecodable"]

# what a byte that is not UTF-8 reads as under errors="surrogateescape"
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def undecodable(text: str) -> str | None:
    """Why ``text`` (read with ``errors="surrogateescape"``) is not UTF-8, or None.

    Batch files are read that way so that a line with a byte that is not UTF-8
    is that line's problem, and the lines after it are still read.
    """
    found = _UNDECODABLE.search(text)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    return (
        f"not UTF-8: byte 0x{byte:02X} at character {found.start() + 1} cannot be "
        "decoded; save the file as UTF-8"
    )


#: the most of one over-long line that is read and dropped: a line that goes on
#: past it (``/dev/zero``, an endless pipe) ends the reading, so no file can
#: keep a reader busy for ever
SKIP_LIMIT = 16 * 1024 * 1024


def _skip_rest(stream: IO[str], text: str, budget: int, line: int, source: str | None) -> None:
    """Read and drop the rest of the line ``text`` began, at most :data:`SKIP_LIMIT`."""
    skipped = len(text)
    while text and not text.endswith("\n"):
        if skipped > SKIP_LIMIT:
            message = (
                f"line {line} goes on past {SKIP_LIMIT:,} characters without ending; "
                "the rest of the file is not read"
            )
            problem = Problem(code="too-large", message=message, source=source, line=line)
            raise DocumentError([problem], source=source)
        text = stream.readline(budget + 1)
        skipped += len(text)


def jsonl_lines(
    stream: IO[str], budget: int, source: str | None = None
) -> Iterator[tuple[int, str | None]]:
    """``(line number, text)`` of each line that is not blank; ``None`` for a line longer
    than ``budget`` characters, the rest of which is skipped a budget at a time (a
    line that never ends raises :class:`~fourresp.errors.DocumentError`, naming
    ``source``)."""
    line = 0
    while True:
        text = stream.readline(budget + 1)
        if not text:
            return
        line += 1
        if line == 1:
            text = text.removeprefix("\ufeff")
        if len(text) > budget and not text.endswith("\n"):
            _skip_rest(stream, text, budget, line, source)
            yield line, None
            continue
        # (strip() would copy every line to find out; a first line that was only a
        # byte-order mark is empty now, and blank too)
        if text and not text.isspace():
            yield line, text


class RowTooLarge(Exception):
    """A CSV row went over its budget; the rest of its last line was skipped."""


class BoundedLines:
    """The lines of a stream for :func:`csv.reader`, each row within a budget of characters.

    ``start()`` begins a row; a row whose lines (a quoted cell may span several)
    add up to more than the budget raises :class:`RowTooLarge` once the rest of
    its line is skipped, a budget at a time (a line that never ends raises
    :class:`~fourresp.errors.DocumentError`). ``lines`` counts the lines read.
    """

    def __init__(self, stream: IO[str], budget: int, source: str | None = None) -> None:
        self.stream = stream
        self.source = source
        self.budget = budget
        self.left = budget
        self.lines = 0

    def start(self) -> None:
        """Begin a new row: its whole budget is available again."""
        self.left = self.budget

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        text = self.stream.readline(self.left + 1)
        if not text:
            raise StopIteration
        self.lines += 1
        if self.lines == 1:
            text = text.removeprefix("\ufeff")
        self.left -= len(text)
        if self.left < 0:
            _skip_rest(self.stream, text, self.budget, self.lines, self.source)
            raise RowTooLarge
        return text


def csv_rows(
    lines: BoundedLines, reader: Iterator[list[str]]
) -> Iterator[tuple[int, list[str] | RowTooLarge | csv.Error]]:
    """``(first line, cells)`` of each row ``reader`` reads from ``lines`` from here on,
    each row within the budget of ``lines``. In place of the cells: the
    :class:`RowTooLarge` of a row over the budget, or the :class:`csv.Error` of a row
    that is not valid CSV; the next row starts on the next line either way."""
    import csv  # only CSV files need it

    while True:
        start = lines.lines + 1
        lines.start()
        try:
            cells = next(reader, None)
        except (RowTooLarge, csv.Error) as exc:
            yield start, exc
            continue
        if cells is None:
            return
        yield start, cells
