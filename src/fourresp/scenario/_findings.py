"""A check's finding, before the validator turns it into a diagnostic."""

from __future__ import annotations

import attrs

from fourresp.errors import Severity

__all__ = ["Finding"]


@attrs.frozen(kw_only=True)
class Finding:
    """A diagnostic before it becomes one: code, severity, path, subject, message."""

    code: str
    severity: Severity
    path: tuple[str | int, ...]
    subject: str
    message: str
