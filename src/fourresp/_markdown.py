"""Markdown for reports: text from documents and users placed safely as plain text."""

from __future__ import annotations

import re

__all__ = ["escape"]

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^([#>+=-])")
_LIST_NUMBER = re.compile(r"^([0-9]+)([.)])")
# An "&" that could start a character reference; a lone "&" (as in "L&D") is harmless.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str, *, line_start: bool = False) -> str:
    """``text`` made safe to put in Markdown as plain text (tables included).

    Characters that mark up inline text (emphasis, code, links, table cells) are
    backslash-escaped; with ``line_start``, so is anything that would make a line
    a heading, quote or list;
    ``<``, and ``&`` where it could start a character reference, become entities so
    no HTML gets through; control characters go
    and line breaks become spaces.
    """
    text = _CONTROL.sub("", " ".join(text.split()))
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if not line_start:
        return text
    text = _BLOCK_START.sub(r"\\\1", text)
    return _LIST_NUMBER.sub(r"\1\\\2", text)
