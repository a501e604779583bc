"""The protocol every supporters storage implements, owned by the supporters package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from fourresp.supporters._models import Page, Pledge, Supporter

__all__ = ["SupporterRegistry"]


@runtime_checkable
class SupporterRegistry(Protocol):
    """What every supporters storage offers (SQLite and PostgreSQL both do).

    See :func:`fourresp.supporters.open_registry` for the behaviour each method
    promises; an app can write its own storage to this protocol.
    """

    def add(self, pledge: Pledge) -> Supporter: ...

    def get(self, supporter_id: int) -> Supporter: ...

    def find(self, *, email: str | None = None, key: str | None = None) -> Supporter | None: ...

    def withdraw(self, supporter_id: int) -> bool: ...

    def count(self, *, public_only: bool = False) -> int: ...

    def list_public(self, *, limit: int = 50, cursor: str | None = None) -> Page: ...

    def search(self, prefix: str, *, limit: int = 20) -> tuple[Supporter, ...]: ...

    def supporters(self) -> Iterator[Supporter]: ...

    def export_to(self, out: IO[str], *, format: Literal["jsonl", "csv"] = "jsonl") -> int: ...

    def import_from(
        self,
        source: IO[str] | str | os.PathLike[str],
        *,
        format: Literal["jsonl", "csv"] | None = None,
        include_withdrawn: bool = False,
    ) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> SupporterRegistry: ...

    def __exit__(self, *exc_info: object) -> None: ...
