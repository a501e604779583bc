"""XML text hygiene for the SVG the library writes: cleaning, escaping, cutting.

One place for what badges, emblems, charts and baking need before a string goes
into markup: removing the characters XML 1.0 refuses, collapsing whitespace as a
renderer does, escaping for text and double-quoted attributes, and shortening
with an ellipsis. Only :mod:`re` is imported, so any layer may use it cheaply.
"""

from __future__ import annotations

import re

__all__ = [
    "ELLIPSIS",
    "ID_SUFFIX",
    "ID_SUFFIX_RULE",
    "XML_FORBIDDEN",
    "attribute",
    "ellipsis",
    "escape",
    "escaped",
    "normalise_space",
    "shorten",
    "strip_forbidden",
]

#: Everything outside XML 1.0's Char production: C0 controls but tab, LF and CR;
#: lone surrogates; U+FFFE and U+FFFF. Written as the characters refused rather
#: than the complement of those allowed: the same set, compiled in about 0.5 ms
#: instead of 10-16 ms at import, and searched a little faster. One search per
#: string: linear in its length.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ELLIPSIS = "\u2026"
#: What a caller's id suffix may be (badges and emblems put it after their own prefix).
ID_SUFFIX = re.compile(r"[A-Za-z0-9_-]{0,32}")
ID_SUFFIX_RULE = "id_suffix is up to 32 letters, digits, '-' or '_'"

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
# in an attribute, XML turns these into spaces unless they are character references
_WHITESPACE = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_SPACE_RUN = re.compile(r"[ \t\r\n]+")


def strip_forbidden(text: str) -> str:
    """``text`` without the characters XML 1.0 refuses."""
    return XML_FORBIDDEN.sub("", text)


def normalise_space(text: str) -> str:
    """``text`` with whitespace as an SVG renderer shows it: single spaces, none at the ends."""
    if " " not in text and "\t" not in text and "\n" not in text and "\r" not in text:
        return text
    return _SPACE_RUN.sub(" ", text).strip(" ")


def escape(text: str) -> str:
    """``text`` escaped for XML text and double-quoted attributes."""
    return text.translate(_ESCAPES)


def escaped(text: str) -> str:
    """:func:`escape`, returning ``text`` itself when it holds nothing to escape.

    Four substring tests are several times cheaper than a translation on the short
    texts of a badge, and most texts hold none of the four characters.
    """
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return text.translate(_ESCAPES)
    return text


def attribute(text: str) -> str:
    """``text`` escaped for a double-quoted attribute, its line breaks and tabs kept."""
    return text.translate(_ESCAPES).translate(_WHITESPACE)


def ellipsis(text: str) -> str:
    """``text`` (a cut prefix) ended with an ellipsis, without the spaces before it."""
    return text.rstrip() + ELLIPSIS


def shorten(text: str, limit: int, keep: int | None = None) -> str:
    """``text`` when at most ``limit`` characters, else its first ``keep`` and an ellipsis.

    ``keep`` defaults to ``limit`` (the result may then be one character longer than
    ``limit``); pass ``limit - 1`` to keep the result within ``limit``.
    """
    if len(text) <= limit:
        return text
    return ellipsis(text[: limit if keep is None else keep])
