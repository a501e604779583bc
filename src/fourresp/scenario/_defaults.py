"""The default scenario shipped in the package: a day in the life of an L&D specialist."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from fourresp._document._limits import Limits
from fourresp._load import load
from fourresp.scenario._models import Scenario

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["default_scenario_path", "load_scenario"]


def default_scenario_path() -> Path:
    """Where the default scenario document is inside the installed package."""
    from importlib import resources  # (with pathlib) imported when first asked for
    from pathlib import Path

    return Path(str(resources.files("fourresp.scenario").joinpath("data", "day-in-the-life.yaml")))


@functools.cache
def _default() -> Scenario:
    scenario: Scenario = load(default_scenario_path(), kind="scenario")
    return scenario


def load_scenario(
    path: str | os.PathLike[str] | None = None, *, limits: Limits | None = None
) -> Scenario:
    """Load a scenario document (checked by the full validator); with no ``path``, the default.

    Raises :class:`~fourresp.errors.DocumentError` listing every error, located.
    """
    if path is None and limits is None:
        return _default()
    from pathlib import Path

    source = default_scenario_path() if path is None else Path(path)
    scenario: Scenario = load(source, kind="scenario", limits=limits)
    return scenario
