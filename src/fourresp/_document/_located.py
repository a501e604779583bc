"""A problem placed at its path, or at its nearest ancestor the reader recorded."""

from __future__ import annotations

from fourresp._document._paths import Path, Positions, locate
from fourresp.errors import Problem, Severity

__all__ = ["located_problem"]


def located_problem(
    code: str,
    message: str,
    path: Path,
    positions: Positions,
    *,
    source: str | None,
    severity: Severity = "error",
    subject: str | None = None,
    first: Path | None = None,
) -> Problem:
    """A problem at ``path``, placed where ``positions`` put it or its nearest ancestor."""
    line, column = locate(positions, path) or (None, None)
    return Problem(
        code=code,
        message=message,
        parts=path,
        source=source,
        line=line,
        column=column,
        severity=severity,
        subject=subject,
        first=first,
    )
