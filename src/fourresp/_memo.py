"""A bounded memo: a plain dict that starts again when full.

Scoring, badge parts, colour pairs and text widths remember what they worked out
for inputs that repeat. Each memo is a dict bounded by :func:`remember`, which
empties it once it holds ``limit`` entries: memory stays bounded whatever the
input, and a lookup stays one ``dict.get`` (cheaper than an LRU's bookkeeping,
which these memos do not need: the inputs that repeat come back at once).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

__all__ = ["remember"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V, limit: int) -> V:
    """Put ``value`` in ``memo`` under ``key`` and return it; a full memo is emptied first."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value
