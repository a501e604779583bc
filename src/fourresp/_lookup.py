"""Finding one of a model's parts by its id: what every ``scene()``, ``item()``... does."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import TypeVar

from fourresp.errors import NotFoundError

__all__ = ["find"]

_T = TypeVar("_T")
_ID = attrgetter("id")


def find(
    items: Iterable[_T],
    wanted: str,
    missing: Callable[[], str],
    key: Callable[[_T], object] = _ID,
) -> _T:
    """The first of ``items`` whose ``key`` (its ``id`` unless told) is ``wanted``;
    :class:`~fourresp.errors.NotFoundError` with the message ``missing()`` if none is."""
    for item in items:
        if key(item) == wanted:
            return item
    raise NotFoundError(missing())
