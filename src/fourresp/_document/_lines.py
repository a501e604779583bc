"""The lines of a text stream within a budget: what the batch and import readers share.

A JSON Lines or CSV file is read a line at a time, each line (or CSV row, which a
quoted cell may spread over several lines) within a budget of characters, so memory
stays flat however large the file or any one line in it. A byte-order mark at the
start (Excel writes one) is dropped, also from a stream opened without utf-8-sig.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import csv

__all__ = ["BoundedLines", "RowTooLarge", "csv_rows", "jsonl_lines"]


def jsonl_lines(stream: IO[str], budget: int) -> Iterator[tuple[int, str | None]]:
    """``(line number, text)`` of each line that is not blank; ``None`` for a line longer
    than ``budget`` characters, the rest of which is skipped a budget at a time."""
    line = 0
    while True:
        text = stream.readline(budget + 1)
        if not text:
            return
        line += 1
        if line == 1:
            text = text.removeprefix("\ufeff")
        if len(text) > budget and not text.endswith("\n"):
            while text and not text.endswith("\n"):
                text = stream.readline(budget + 1)
            yield line, None
            continue
        if text.strip():
            yield line, text


class RowTooLarge(Exception):
    """A CSV row went over its budget; the rest of its last line was skipped."""


class BoundedLines:
    """The lines of a stream for :func:`csv.reader`, each row within a budget of characters.

    ``start()`` begins a row; a row whose lines (a quoted cell may span several)
    add up to more than the budget raises :class:`RowTooLarge` once the rest of
    its line is skipped, a budget at a time. ``lines`` counts the lines read.
    """

    def __init__(self, stream: IO[str], budget: int) -> None:
        self.stream = stream
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
            while text and not text.endswith("\n"):
                text = self.stream.readline(self.budget + 1)
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
