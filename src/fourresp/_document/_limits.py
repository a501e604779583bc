"""Bounds on what a document may cost to read, and how many problems it may report."""

from __future__ import annotations

import attrs

__all__ = ["DEFAULT_LIMITS", "Limits"]


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Limits.{attribute.name} must be a positive integer, not {value!r}")


@attrs.frozen(kw_only=True)
class Limits:
    """How much a document may cost before the loader refuses it.

    Every limit turns hostile input (a YAML alias bomb, nesting thousands of levels
    deep, a huge file, a number of thousands of digits) into a
    :class:`~fourresp.errors.DocumentError` early, before memory or time run away.
    The defaults fit any document a person would write with room to spare; raise
    them with ``attrs.evolve(DEFAULT_LIMITS, ...)``.

    - ``max_bytes``: size of the document in bytes, UTF-8 encoded (default 16 MiB).
    - ``max_depth``: how deeply mappings and sequences may nest (default 64).
    - ``max_nodes``: values in the document once YAML aliases are expanded, each use
      of an alias counting its whole subtree (default 2,000,000).
    - ``max_number_digits``: digits an integer may have, and (with its sign, point
      and exponent) how long a number may be written, checked before the number is
      converted (default 20: every 64-bit integer fits).
    - ``max_problems``: problems collected and reported for one document (default
      100); the rest are counted in a last ``too-many-problems`` problem that says
      "and K more".
    """

    max_bytes: int = attrs.field(default=16 * 1024 * 1024, validator=_positive)
    max_depth: int = attrs.field(default=64, validator=_positive)
    max_nodes: int = attrs.field(default=2_000_000, validator=_positive)
    max_number_digits: int = attrs.field(default=20, validator=_positive)
    max_problems: int = attrs.field(default=100, validator=_positive)


DEFAULT_LIMITS = Limits()
