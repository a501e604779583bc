"""The default scenario shipped in the package: a day in the life of an L&D specialist."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from fourresp._bundled import Bundled
from fourresp._document._limits import Limits
from fourresp.scenario._models import Scenario

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["default_scenario_path", "load_scenario"]

_SCENARIO: Bundled[Scenario] = Bundled("fourresp.scenario", "day-in-the-life.yaml", "scenario")


def default_scenario_path() -> Path:
    """Where the default scenario document is inside the installed package."""
    return _SCENARIO.path


def load_scenario(
    path: str | os.PathLike[str] | None = None, *, limits: Limits | None = None
) -> Scenario:
    """Load a scenario document (checked by the full validator); with no ``path``, the default.

    Raises :class:`~fourresp.errors.DocumentError` listing every error, located.
    """
    return _SCENARIO.load(path, limits)
