"""CSV cells that a spreadsheet never reads as a formula.

OWASP's advice against CSV injection: a text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is written with a single quote
in front, so spreadsheets show it as text. A cell that already starts with a
quote gets one more, so :func:`restore` gives back exactly what was written.
Only text the library did not make goes through here; numbers it writes itself
(scores, counts) are written as they are.
"""

from __future__ import annotations

__all__ = ["neutralise", "restore"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(cell: str) -> str:
    """Return *cell* so that a spreadsheet shows it as text, never a formula.

    >>> neutralise("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> neutralise("Ada")
    'Ada'
    """
    return "'" + cell if cell.startswith(_TRIGGERS) else cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise`: ``restore(neutralise(x)) == x`` for every text.

    >>> restore("'=HYPERLINK(1)")
    '=HYPERLINK(1)'
    """
    if cell.startswith("'") and cell[1:].startswith(_TRIGGERS):
        return cell[1:]
    return cell
