"""Accessible, deterministic SVG bar charts of scores from 0 to 100.

One chart serves every result the library reports (a questionnaire's four
responsibilities, a scenario's scorecard): a horizontal bar per score, its value
written next to it, an optional band or verdict on the right, gridlines at 0, 25,
50, 75 and 100.

What a person and a machine can rely on:

- ``role="img"`` with ``aria-labelledby`` pointing at a ``<title>`` and a
  ``<desc>`` that says every score in words, so screen readers get the whole chart;
- values are written as text, never shown by colour alone, and colours have a
  contrast of at least 4.5:1 against white;
- the same input gives the same bytes: ids come from a hash of the content
  (or ``id_prefix``), numbers are rounded to whole pixels;
- no scripts, no external fonts, images or links; every piece of text is
  escaped, characters XML 1.0 forbids are dropped, and every text fits its place
  on the canvas: measured in DejaVu Sans (the first font asked for), a text too
  wide for its room is cut with an ellipsis, and so is a label longer than
  :data:`MAX_LABEL` characters (:data:`MAX_LABEL_WITH_NOTE` when the bar has a
  note, :data:`MAX_NOTE` for notes); the full text stays in the description.
- a percent outside 0-100, a colour that is not ``#rrggbb`` or a bad ``id_prefix``
  raise :class:`~fourresp.errors.ArgumentError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import cast

import attrs

from fourresp._svg import ellipsis, escape, shorten, strip_forbidden
from fourresp.errors import ArgumentError

__all__ = ["MAX_LABEL", "MAX_LABEL_WITH_NOTE", "MAX_NOTE", "PALETTE", "Bar", "bar_chart"]

#: The longest label shown whole, in characters.
MAX_LABEL = 56
#: The longest label shown whole on a bar that has a note.
MAX_LABEL_WITH_NOTE = 38
#: The longest note shown whole.
MAX_NOTE = 22
#: Colours used in turn when a bar has none; each is >= 4.5:1 against white.
PALETTE = ("#1d4ed8", "#047857", "#b45309", "#7c3aed", "#be123c", "#0e7490")

_WIDTH = 600
_MARGIN = 24
_TRACK = 480  # pixels for 0..100
_ROW = 58
_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@attrs.frozen(kw_only=True)
class Bar:
    """One score on the chart.

    ``percent`` (0-100) or None when there is no score (``missing`` says why);
    ``note`` is shown at the right end of the bar (a band, a verdict); ``colour``
    a ``#rrggbb`` colour, or None for the next one of :data:`PALETTE`.
    """

    label: str
    percent: float | None
    note: str | None = None
    colour: str | None = None
    missing: str = "not enough answers"


def _escape(text: str) -> str:
    return escape(strip_forbidden(text))


def _cut(text: str, limit: int = MAX_LABEL) -> str:
    return shorten(" ".join(strip_forbidden(text).split()), limit, limit - 1)


def _width(text: str, size: float, bold: bool) -> float:
    from fourresp.badges._metrics import text_width  # measured as badges are

    return text_width(text, size=size, bold=bold)


def _fit(text: str, limit: int, room: float, size: float, *, bold: bool = False) -> str:
    """``text`` cut to ``limit`` characters and to ``room`` pixels, with an ellipsis."""
    text = _cut(text, limit)
    if _width(text, size, bold) <= room:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if _width(ellipsis(text[:middle]), size, bold) <= room:
            low = middle
        else:
            high = middle - 1
    return ellipsis(text[:low])


def _percent_text(percent: float) -> str:
    return f"{percent:.0f}%"


def _describe(title: str, bars: Sequence[Bar]) -> str:
    parts = []
    for bar in bars:
        label = " ".join(strip_forbidden(bar.label).split())
        if bar.percent is None:
            parts.append(f"{label}: no score ({bar.missing})")
        else:
            note = f", {bar.note}" if bar.note else ""
            parts.append(f"{label}: {bar.percent:.0f} out of 100{note}")
    return f"{title}. " + "; ".join(parts) + "."


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    subtitle: str | None = None,
    id_prefix: str | None = None,
) -> str:
    """An SVG chart of ``bars`` (each 0-100), as text.

    ``id_prefix`` makes the ids inside the SVG unique when several charts share a
    page; by default it is derived from the content, so equal charts are equal bytes.

    >>> from fourresp.charts import Bar, bar_chart
    >>> svg = bar_chart("Scores", [Bar(label="Client", percent=72, note="Established")])
    >>> svg.startswith("<svg") and 'role="img"' in svg
    True
    """
    _check_bars(bars)
    description = _describe(" ".join(strip_forbidden(title).split()), bars)
    id_prefix = _chart_id_prefix(title, subtitle, description, id_prefix)
    top = _MARGIN + 26 + (22 if subtitle else 0) + 8
    height = top + _ROW * len(bars) + 28
    out = _heading(title, subtitle, description, id_prefix, height)
    out.append('<g shape-rendering="crispEdges">')
    for index, bar in enumerate(bars):
        out.extend(_track(bar, index, top + index * _ROW))
    out.append("</g>")
    for index, bar in enumerate(bars):
        out.extend(_bar_texts(bar, top + index * _ROW))
    out.extend(_axis(top + _ROW * len(bars) + 20))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _check_bars(bars: Sequence[Bar]) -> None:
    """Refuse a percent outside 0-100 or a colour that is not ``#rrggbb``."""
    given = cast(object, bars)  # typed, yet checked
    if isinstance(given, str | bytes) or not isinstance(given, Sequence):
        raise ArgumentError(f"bars are a sequence of Bar, not {type(given).__name__}")
    for bar in bars:
        if not isinstance(cast(object, bar), Bar):
            raise ArgumentError(f"bars are a sequence of Bar, not of {type(bar).__name__}")
        percent = bar.percent
        # a number first (not text, not a bool), then in range: 10**400 as an int
        # compares fine but cannot become a float
        if percent is not None and (
            isinstance(percent, bool)
            or not isinstance(percent, int | float)
            or not 0 <= percent <= 100
            or not math.isfinite(percent)
        ):
            huge = type(percent) is int and abs(percent) > 10**20  # its repr may not exist
            shown = "a huge integer" if huge else f"{percent!r:.40}"
            raise ArgumentError(f"a bar's percent is a number from 0 to 100, not {shown}")
        if bar.colour is not None and not _HEX.fullmatch(bar.colour):
            raise ArgumentError(f"a bar's colour is #rrggbb, not {bar.colour!r}")


def _chart_id_prefix(
    title: str, subtitle: str | None, description: str, id_prefix: str | None
) -> str:
    """The given prefix, checked, or one derived from the chart's content."""
    if id_prefix is None:
        import hashlib

        digest = hashlib.sha256(
            "\x1f".join([title, subtitle or "", description]).encode("utf-8", "replace")
        ).hexdigest()
        return f"fr-chart-{digest[:10]}"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}", id_prefix):
        raise ArgumentError(f"id_prefix must be a valid XML id start, not {id_prefix!r}")
    return id_prefix


def _heading(
    title: str, subtitle: str | None, description: str, id_prefix: str, height: int
) -> list[str]:
    """The opening tag, accessible name and description, background, title and subtitle."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="{_FONT}">',
        f'<title id="{id_prefix}-title">{_escape(_cut(title, 120))}</title>',
        f'<desc id="{id_prefix}-desc">{_escape(description)}</desc>',
        f'<rect width="{_WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_MARGIN}" y="{_MARGIN + 18}" font-size="18" font-weight="bold" '
        f'fill="#111827">{_escape(_fit(title, 120, _WIDTH - 2 * _MARGIN, 18, bold=True))}</text>',
    ]
    if subtitle:
        out.append(
            f'<text x="{_MARGIN}" y="{_MARGIN + 42}" font-size="13" fill="#374151">'
            f"{_escape(_fit(subtitle, 160, _WIDTH - 2 * _MARGIN, 13))}</text>"
        )
    return out


def _track(bar: Bar, index: int, y: int) -> list[str]:
    """One bar's grey track, its filled part and the dashed quarter lines."""
    left = _MARGIN
    out = [f'<rect x="{left}" y="{y + 24}" width="{_TRACK}" height="20" fill="#e5e7eb"/>']
    if bar.percent is not None:
        colour = bar.colour or PALETTE[index % len(PALETTE)]
        width = round(bar.percent * _TRACK / 100)
        if width:
            out.append(
                f'<rect x="{left}" y="{y + 24}" width="{width}" height="20" fill="{colour}"/>'
            )
    for tick in (0, 25, 50, 75, 100):
        x = left + tick * _TRACK // 100
        out.append(
            f'<line x1="{x}" y1="{y + 22}" x2="{x}" y2="{y + 46}" '
            'stroke="#6b7280" stroke-width="1" stroke-dasharray="2 2"/>'
        )
    return out


def _bar_texts(bar: Bar, y: int) -> list[str]:
    """One bar's label, its percent (or why there is none) and its note."""
    left, right = _MARGIN, _MARGIN + _TRACK
    note = _fit(bar.note, MAX_NOTE, _TRACK / 2, 13) if bar.note else ""
    room = (right - left) - (_width(note, 13, False) + 12 if note else 0)
    label = _fit(bar.label, MAX_LABEL_WITH_NOTE if note else MAX_LABEL, room, 14, bold=True)
    out = [
        f'<text x="{left}" y="{y + 16}" font-size="14" font-weight="bold" fill="#111827">'
        f"{_escape(label)}</text>"
    ]
    if bar.percent is None:
        out.append(
            f'<text x="{left + 8}" y="{y + 39}" font-size="12" font-style="italic" '
            f'fill="#374151">{_escape(_fit(bar.missing, 60, _TRACK - 16, 12))}</text>'
        )
    else:
        out.append(
            f'<text x="{right + 10}" y="{y + 39}" font-size="14" font-weight="bold" '
            f'fill="#111827">{_percent_text(bar.percent)}</text>'
        )
    if note:
        out.append(
            f'<text x="{right}" y="{y + 16}" font-size="13" text-anchor="end" '
            f'fill="#374151">{_escape(note)}</text>'
        )
    return out


def _axis(axis_y: int) -> list[str]:
    """The 0, 25, 50, 75 and 100 marks under the bars."""
    return [
        f'<text x="{_MARGIN + tick * _TRACK // 100}" y="{axis_y}" font-size="11" '
        f'text-anchor="middle" fill="#4b5563">{tick}</text>'
        for tick in (0, 25, 50, 75, 100)
    ]
