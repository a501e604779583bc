"""Text measurement from a real font: DejaVu Sans advance widths.

The table in ``data/dejavu-sans.json`` holds the advance width of every code
point DejaVu Sans (regular and bold) maps to a glyph, read from the font files by
``scripts/generate_font_metrics.py``. A text's width is the sum of its
characters' advances, which is what a renderer lays out (kerning aside: badges
never rely on it, and renderers that apply it only make text narrower).

Code points the font does not cover are measured by these rules:

- combining marks, format characters (zero-width joiners, variation selectors)
  and other zero-width characters: 0;
- wide and full-width characters (CJK ideographs, kana, hangul, full-width
  forms): 1 em, as the fonts that draw them use;
- emoji and other pictographs: 1.3 em, the widest advance of common colour
  emoji fonts;
- anything else: 1 em.

Before measuring, whitespace is normalised the way SVG renderers do it for text
without ``xml:space="preserve"``: tabs and line breaks count as spaces, runs of
spaces collapse to one, and leading and trailing spaces go.
"""

from __future__ import annotations

import functools
import json
import unicodedata

from fourresp._memo import remember
from fourresp._svg import normalise_space

__all__ = ["FontMetrics", "metrics", "text_width"]

_MEMO_LIMIT = 4096  # texts whose widths are remembered (labels and messages repeat)
_FALLBACK_LIMIT = 65536  # uncovered code points whose fallback widths are remembered
_PICTOGRAPHS = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
    (0x1FC00, 0x1FFFD),
)


def _fallback_em(code_point: int) -> float:
    char = chr(code_point)
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf") or code_point in (0x200B, 0xFEFF):
        return 0.0
    if any(low <= code_point <= high for low, high in _PICTOGRAPHS):
        return 1.3
    return 1.0


class FontMetrics:
    """Advance widths of one font, in font units, with the fallbacks above."""

    def __init__(self, name: str, units_per_em: int, widths: dict[int, int]) -> None:
        self.name = name
        self.units_per_em = units_per_em
        self._widths = widths
        fallback = units_per_em
        latin = [widths.get(code, fallback) for code in range(256)]
        latin[0x09] = latin[0x0A] = latin[0x0D] = latin[0x20]
        # Advance widths are 16-bit in every font, so ASCII text is measured with two
        # C-level passes over its bytes: the sum of the high bytes of its widths,
        # shifted, plus the sum of the low bytes.
        self._high = bytes(width >> 8 for width in latin)
        self._low = bytes(width & 0xFF for width in latin)
        self._memo: dict[str, float] = {}
        # Every code point met so far, the font's own and the fallbacks worked out
        # once each: other texts are measured by one C-level pass over this table
        # (about 8x faster on CJK and emoji text than working out each uncovered
        # character every time).
        self._advances: dict[int, float] = dict(widths)

    def covers(self, char: str) -> bool:
        """True when the font has a glyph for ``char``."""
        return ord(char) in self._widths

    def units(self, text: str) -> float:
        """The width of ``text`` (already normalised) in font units."""
        found = self._memo.get(text)
        if found is not None:
            return found
        return remember(self._memo, text, self.measure(text), _MEMO_LIMIT)

    def measure(self, text: str) -> float:
        """The width of ``text`` (already normalised) in font units, not remembered."""
        return self.measure_encoded(text, text.encode("utf-8", "surrogatepass"))

    def measure_encoded(self, text: str, utf8: bytes) -> float:
        """:meth:`measure`, for a caller that already holds ``text`` encoded as UTF-8."""
        if len(utf8) == len(text):  # one byte a character: ASCII
            return float((sum(utf8.translate(self._high)) << 8) + sum(utf8.translate(self._low)))
        return self._units(text)

    def _units(self, text: str) -> float:
        try:
            return float(sum(map(self._advances.__getitem__, map(ord, text))))
        except KeyError:  # a code point met for the first time: work out its fallback
            pass
        advances, em = self._advances, self.units_per_em
        if len(advances) > len(self._widths) + _FALLBACK_LIMIT:
            advances = self._advances = dict(self._widths)
        for code_point in map(ord, text):
            if code_point not in advances:
                advances[code_point] = _fallback_em(code_point) * em
        return float(sum(map(advances.__getitem__, map(ord, text))))

    def width(self, text: str, size: float, *, letter_spacing: float = 0.0) -> float:
        """The width in pixels of ``text`` (normalised first) at font ``size`` pixels."""
        text = normalise_space(text)
        spacing = letter_spacing * len(text) if letter_spacing else 0.0
        return self.units(text) * size / self.units_per_em + spacing


@functools.cache
def _tables() -> dict[str, FontMetrics]:
    from importlib import resources  # imported when the tables are first read

    raw = resources.files("fourresp.badges").joinpath("data", "dejavu-sans.json").read_text()
    data = json.loads(raw)
    out = {}
    for weight in ("regular", "bold"):
        table = data[weight]
        widths: dict[int, int] = {}
        for first, run in table["runs"]:
            for offset, width in enumerate(run):
                widths[first + offset] = width
        out[weight] = FontMetrics(f"{table['font']} {weight}", table["units_per_em"], widths)
    return out


def metrics(*, bold: bool = False) -> FontMetrics:
    """The DejaVu Sans metrics, regular or bold (loaded once)."""
    return _tables()["bold" if bold else "regular"]


def text_width(
    text: str, *, size: float = 11, bold: bool = False, letter_spacing: float = 0.0
) -> float:
    """How wide ``text`` is in pixels when drawn in DejaVu Sans at ``size`` pixels.

    >>> from fourresp.badges import text_width
    >>> round(text_width("fourresp"), 2)
    51.94
    """
    return metrics(bold=bold).width(text, size, letter_spacing=letter_spacing)
