"""The default questionnaire shipped in the package."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from fourresp._document._limits import Limits
from fourresp._load import load
from fourresp.assessment._models import Questionnaire

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["default_questionnaire_path", "load_questionnaire"]


def default_questionnaire_path() -> Path:
    """Where the default questionnaire document is inside the installed package."""
    from importlib import resources  # (with pathlib) imported when first asked for
    from pathlib import Path

    return Path(str(resources.files("fourresp.assessment").joinpath("data", "questionnaire.yaml")))


@functools.cache
def _default() -> Questionnaire:
    questionnaire: Questionnaire = load(default_questionnaire_path(), kind="questionnaire")
    return questionnaire


def load_questionnaire(
    path: str | os.PathLike[str] | None = None, *, limits: Limits | None = None
) -> Questionnaire:
    """Load a questionnaire document; with no ``path``, the default one (cached).

    Raises :class:`~fourresp.errors.DocumentError` listing every problem.
    """
    if path is None and limits is None:
        return _default()
    from pathlib import Path

    source = default_questionnaire_path() if path is None else Path(path)
    questionnaire: Questionnaire = load(source, kind="questionnaire", limits=limits)
    return questionnaire
