"""The default questionnaire shipped in the package."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from fourresp._bundled import Bundled
from fourresp._document._limits import Limits
from fourresp.assessment._models import Questionnaire

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["default_questionnaire_path", "load_questionnaire"]

_QUESTIONNAIRE: Bundled[Questionnaire] = Bundled(
    "fourresp.assessment", "questionnaire.yaml", "questionnaire"
)


def default_questionnaire_path() -> Path:
    """Where the default questionnaire document is inside the installed package."""
    return _QUESTIONNAIRE.path


def load_questionnaire(
    path: str | os.PathLike[str] | None = None, *, limits: Limits | None = None
) -> Questionnaire:
    """Load a questionnaire document; with no ``path``, the default one (cached).

    Raises :class:`~fourresp.errors.DocumentError` listing every problem.
    """
    return _QUESTIONNAIRE.load(path, limits)
