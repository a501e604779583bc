"""Deprecated: the protocols now live with the packages that own them.

``fourresp.typing`` shadowed the standard library's :mod:`typing` for anything run
from the package folder, and tied the assessment and supporters packages into one
import cycle. It stays importable for one release; each name warns once used:

- :class:`~fourresp.assessment.Scorer`, :class:`~fourresp.assessment.AdditiveScorer`,
  :class:`~fourresp.assessment.KeyedAnswer`, :class:`~fourresp.assessment.ScorerOutput`:
  import them from :mod:`fourresp.assessment`;
- :class:`~fourresp.supporters.SupporterRegistry`: import it from
  :mod:`fourresp.supporters`.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

# Nothing to star-import: each name is given by __getattr__, with its warning.
__all__: list[str] = []

_HOMES = {
    "AdditiveScorer": "fourresp.assessment",
    "KeyedAnswer": "fourresp.assessment",
    "Scorer": "fourresp.assessment",
    "ScorerOutput": "fourresp.assessment",
    "SupporterRegistry": "fourresp.supporters",
}


def __getattr__(name: str) -> Any:
    """Give ``name`` from its new home, with a :class:`DeprecationWarning` saying where."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'fourresp.typing' has no attribute {name!r}")
    warnings.warn(
        f"fourresp.typing is deprecated: import {name} from {home}",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(home), name)
