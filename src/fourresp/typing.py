"""Public protocols and types for extending fourresp.

A scorer plugin implements :class:`Scorer`; register it with
:func:`fourresp.assessment.register_scorer` or through the ``fourresp.scorers``
entry-point group.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from fourresp.supporters import Page, Pledge, Supporter

import attrs

__all__ = ["KeyedAnswer", "Scorer", "ScorerOutput", "SupporterRegistry"]


@attrs.frozen(kw_only=True)
class KeyedAnswer:
    """One answered item, ready to score.

    ``keyed`` is the answer after reverse keying (``minimum + maximum - answer`` for
    reversed items), so a higher ``keyed`` always means better practice.
    """

    item: str
    keyed: float
    minimum: float
    maximum: float
    weight: float = 1.0


@attrs.frozen(kw_only=True)
class ScorerOutput:
    """What a scorer says of a group of answers.

    ``value`` is in the scorer's own units (a sum, a mean...); ``percent`` (0 to
    100) is what bands, strengths and charts use.
    """

    value: float
    percent: float


@runtime_checkable
class Scorer(Protocol):
    """Turns a group's keyed answers into a score.

    ``total_items`` counts the group's items, answered or not, so a scorer can
    prorate. ``answers`` is never empty. ``parameters`` are the questionnaire's
    ``scoring.parameters``. A scorer must be pure: same input, same output.
    """

    def __call__(
        self,
        answers: Sequence[KeyedAnswer],
        *,
        total_items: int,
        parameters: Mapping[str, Any],
    ) -> ScorerOutput: ...


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
    ) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> SupporterRegistry: ...

    def __exit__(self, *exc_info: object) -> None: ...
