"""Checks of values an app passes in, shared by the modules that build standard formats."""

from __future__ import annotations

from typing import Any

from fourresp._document._tree import text_problem
from fourresp._iri import is_iri
from fourresp.errors import ArgumentError

__all__ = ["absolute_iri", "non_empty_text"]


def absolute_iri(value: Any, what: str) -> str:
    """``value`` when it is an absolute IRI of characters XML can carry; :class:`ArgumentError`
    naming ``what`` otherwise.

    Checked by RFC 3987's ``IRI`` rule (see :mod:`fourresp._iri`): a bad percent
    escape, an unclosed IP literal or a control character is refused.
    """
    if not isinstance(value, str) or not is_iri(value) or text_problem(value):
        raise ArgumentError(
            f"{what} must be an absolute IRI (https://..., urn:..., did:...), not {value!r}"
        )
    return value


def non_empty_text(value: Any, what: str) -> str:
    """``value`` when it is text with something in it that XML can carry (see
    :func:`fourresp._document._tree.text_problem`); :class:`ArgumentError` otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise ArgumentError(f"{what} must be non-empty text")
    problem = text_problem(value)
    if problem is not None:  # it goes into JSON, SVG or XML that others read
        raise ArgumentError(f"{what}: {problem}")
    return value
