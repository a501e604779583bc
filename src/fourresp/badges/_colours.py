"""Badge colours: shields' names, hex parsing, and the text colour with the better contrast."""

from __future__ import annotations

import re

from fourresp.errors import ArgumentError

__all__ = ["COLOURS", "contrast_ratio", "contrast_text", "parse_colour"]

#: Colour names badges accept, as shields.io names them (with its aliases).
COLOURS: dict[str, str] = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellowgreen": "#a4a61d",
    "yellow": "#dfb317",
    "orange": "#fe7d37",
    "red": "#e05d44",
    "blue": "#007ec6",
    "lightgrey": "#9f9f9f",
    "lightgray": "#9f9f9f",
    "grey": "#555",
    "gray": "#555",
    "success": "#4c1",
    "important": "#fe7d37",
    "critical": "#e05d44",
    "informational": "#007ec6",
    "inactive": "#9f9f9f",
}
_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_DARK_TEXT = "#222"
_LIGHT_TEXT = "#fff"


def parse_colour(colour: str) -> str:
    """A colour name or hex (``#4c1``, ``4c1``, ``#44cc11``) as lower-case ``#rgb``/``#rrggbb``.

    Raises :class:`~fourresp.errors.ArgumentError` for anything else.
    """
    if not isinstance(colour, str):
        raise ArgumentError(f"a colour is a name or a hex string, not {type(colour).__name__}")
    named = COLOURS.get(colour.strip().lower())
    if named is not None:
        return named
    match = _HEX.fullmatch(colour.strip())
    if match is None:
        raise ArgumentError(
            f"unknown colour {colour!r}: use a hex colour such as #4c1 or one of "
            + ", ".join(sorted(COLOURS))
        )
    return "#" + match.group(1).lower()


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21)."""
    a, b = sorted((_luminance(parse_colour(first)), _luminance(parse_colour(second))))
    return (b + 0.05) / (a + 0.05)


def contrast_text(background: str) -> str:
    """``#fff`` or ``#222``, whichever reads better on ``background``."""
    light = contrast_ratio(background, _LIGHT_TEXT)
    dark = contrast_ratio(background, _DARK_TEXT)
    return _LIGHT_TEXT if light >= dark else _DARK_TEXT
