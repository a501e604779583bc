"""Eager checks of the strategies' arguments, raising Hypothesis's ``InvalidArgument``."""

from __future__ import annotations

from hypothesis.errors import InvalidArgument


def check_at_least(name: str, value: int, floor: int) -> None:
    """Refuse ``value`` (the argument called ``name``) unless it is an int of at least ``floor``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} must be an integer, not {value!r}")
    if value < floor:
        raise InvalidArgument(f"{name} must be at least {floor}, not {value!r}")


def check_size_range(
    min_name: str, min_value: int, max_name: str, max_value: int, *, floor: int
) -> None:
    """Refuse a ``min_*``/``max_*`` pair unless ``floor <= min_value <= max_value``."""
    check_at_least(min_name, min_value, floor)
    check_at_least(max_name, max_value, floor)
    if min_value > max_value:
        raise InvalidArgument(f"{min_name}={min_value!r} is more than {max_name}={max_value!r}")
