"""The Four Responsibilities emblem, and badges for results.

The emblem is a round badge: four ring segments, one per responsibility (the
client at the top, then clockwise the learners, peers and oneself), each named
along its arc, round a centre that carries the title and, for a supporter,
their name and the year. Below :data:`DETAILED_FROM` pixels the words would be
too small to read, so the emblem drops them and shows a large "4" in the centre.

It is drawn on a 512-unit canvas and scaled to ``size`` pixels, so it is crisp at
any size. Text that could overflow (the name) is measured with the badge font
metrics and shrunk to fit, down to a minimum size, then cut with an ellipsis.
"""

from __future__ import annotations

import math
import zlib

import attrs

from fourresp._svg import ELLIPSIS, ID_SUFFIX, ID_SUFFIX_RULE, ellipsis, escape
from fourresp.badges._colours import COLOURS, contrast_text
from fourresp.badges._metrics import metrics
from fourresp.badges._shields import badge, clean_text
from fourresp.errors import ArgumentError

__all__ = ["DETAILED_FROM", "THEMES", "Theme", "emblem", "verdict_badge"]

DETAILED_FROM = 128
_FONT = "DejaVu Sans,Verdana,Geneva,sans-serif"


@attrs.frozen(kw_only=True)
class Theme:
    """The colours of an emblem: background, rim, centre, centre text, and one per segment."""

    background: str
    rim: str
    centre: str
    centre_text: str
    segments: tuple[str, str, str, str]


THEMES: dict[str, Theme] = {
    "classic": Theme(
        background="#ffffff",
        rim="#1e293b",
        centre="#1e293b",
        centre_text="#ffffff",
        segments=("#1d4ed8", "#047857", "#b45309", "#7c3aed"),
    ),
    "light": Theme(
        background="#ffffff",
        rim="#94a3b8",
        centre="#f1f5f9",
        centre_text="#0f172a",
        segments=("#1d4ed8", "#047857", "#b45309", "#7c3aed"),
    ),
    "dark": Theme(
        background="#0f172a",
        rim="#475569",
        centre="#111827",
        centre_text="#f8fafc",
        segments=("#60a5fa", "#34d399", "#fbbf24", "#c4b5fd"),
    ),
    "mono": Theme(
        background="#ffffff",
        rim="#111111",
        centre="#111111",
        centre_text="#ffffff",
        segments=("#111111", "#111111", "#111111", "#111111"),
    ),
}
_WORDS = ("CLIENT", "LEARNERS", "PEERS", "SELF")
_NAMES = ("the client", "the learners", "peers", "oneself")
_CENTRE = 256
_OUTER, _INNER = 232, 166
_GAP_DEGREES = 3.0


def _point(radius: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return _CENTRE + radius * math.cos(angle), _CENTRE + radius * math.sin(angle)


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _segment(start: float, end: float) -> str:
    (x1, y1), (x2, y2) = _point(_OUTER, start), _point(_OUTER, end)
    (x3, y3), (x4, y4) = _point(_INNER, end), _point(_INNER, start)
    return (
        f"M{_f(x1)} {_f(y1)}A{_OUTER} {_OUTER} 0 0 1 {_f(x2)} {_f(y2)}"
        f"L{_f(x3)} {_f(y3)}A{_INNER} {_INNER} 0 0 0 {_f(x4)} {_f(y4)}Z"
    )


def _span(index: int) -> tuple[float, float]:
    """The angles (degrees, clockwise from 3 o'clock) where segment ``index`` starts and
    ends: a quarter each, the client's at the top, a gap between neighbours."""
    middle = -90 + 90 * index
    half_gap = _GAP_DEGREES / 2
    return middle - 45 + half_gap, middle + 45 - half_gap


def _arc(radius: float, start: float, end: float, clockwise: bool) -> str:
    (x1, y1), (x2, y2) = _point(radius, start), _point(radius, end)
    sweep = 1 if clockwise else 0
    return f"M{_f(x1)} {_f(y1)}A{_f(radius)} {_f(radius)} 0 0 {sweep} {_f(x2)} {_f(y2)}"


def _fit(text: str, width: float, size: float, minimum: float, *, bold: bool) -> tuple[str, float]:
    """``text`` and a font size at which it fits ``width``: shrunk, then cut if need be."""
    font = metrics(bold=bold)
    natural = font.width(text, size)
    if natural <= width:
        return text, size
    fitted = size * width / natural
    if fitted >= minimum:
        return text, math.floor(fitted * 10) / 10
    while text and font.width(text + ELLIPSIS, minimum) > width:
        text = text[:-1]
    return ellipsis(text), minimum


def emblem(
    *,
    name: str | None = None,
    year: int | None = None,
    theme: str = "classic",
    size: int = 256,
    hashtag: str | None = None,
    id_suffix: str | None = None,
) -> str:
    """The Four Responsibilities emblem as SVG text, ``size`` pixels square.

    ``name`` (a supporter's, shown in the centre, shrunk or cut to fit) and
    ``year`` are optional; ``theme`` is one of :data:`THEMES` (``mono`` is the
    single-ink variant). Without a name, the centre shows ``hashtag`` if given.
    Below :data:`DETAILED_FROM` pixels only the segments and a large "4" are drawn.

    >>> from fourresp.badges import emblem
    >>> svg = emblem(name="Ada Lovelace", year=2026, size=512)
    >>> "Ada Lovelace" in svg and 'role="img"' in svg
    True
    """
    chosen = _check_emblem_arguments(name, year, theme, size, hashtag, id_suffix)
    name = clean_text(name)[:60] if name else None
    hashtag = clean_text(hashtag)[:40] if hashtag else None
    detailed = size >= DETAILED_FROM
    if id_suffix is None:
        key = "\x1f".join((name or "", str(year), theme, str(size), hashtag or ""))
        id_suffix = format(zlib.crc32(key.encode("utf-8", "surrogatepass")), "08x")
    ids = f"fr-emblem{id_suffix}"
    out = _emblem_ring(chosen, ids, size, _emblem_description(name, year))
    if detailed:
        out.extend(_segment_words(chosen, ids))
    out.append(f'<circle cx="256" cy="256" r="{_INNER - 10}" fill="{chosen.centre}"/>')
    if not detailed:
        out.append(
            f'<text x="256" y="326" font-size="200" font-weight="bold" text-anchor="middle" '
            f'fill="{chosen.centre_text}">4</text></svg>'
        )
        return "".join(out)
    out.extend(_centre(chosen.centre_text, name, year, hashtag))
    out.append("</svg>")
    return "".join(out)


def _check_emblem_arguments(
    name: object, year: object, theme: object, size: object, hashtag: object, id_suffix: object
) -> Theme:
    """The chosen theme, once every argument is checked; ArgumentError says what is wrong."""
    for label, value in (("name", name), ("hashtag", hashtag), ("id_suffix", id_suffix)):
        if value is not None and not isinstance(value, str):
            raise ArgumentError(f"{label} is text or None, not {type(value).__name__}")
    chosen = THEMES.get(theme) if isinstance(theme, str) else None
    if chosen is None:
        raise ArgumentError(f"unknown emblem theme {theme!r}; known: {', '.join(THEMES)}")
    if isinstance(size, bool) or not isinstance(size, int) or not 16 <= size <= 4096:
        raise ArgumentError(f"an emblem's size is a whole number of pixels, 16 to 4096: {size!r}")
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999
    ):
        raise ArgumentError(f"the year is a four-digit number, not {year!r}")
    if isinstance(id_suffix, str) and not ID_SUFFIX.fullmatch(id_suffix):
        raise ArgumentError(ID_SUFFIX_RULE)
    return chosen


def _emblem_description(name: str | None, year: int | None) -> str:
    """The emblem's accessible description: the four responsibilities, the supporter, the year."""
    who = f" Supporter: {name}." if name else ""
    when = f" {year}." if year is not None else ""
    return (
        "Emblem in four segments, the learning professional's responsibilities to "
        + ", ".join(_NAMES[:3])
        + f" and {_NAMES[3]}.{who}{when}"
    )


def _emblem_ring(chosen: Theme, ids: str, size: int, description: str) -> list[str]:
    """The opening tag, title and description, background, rim and the four segments."""
    title = "The Four Responsibilities of the Learning Professional"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 512 512" role="img" aria-labelledby="{ids}-t {ids}-d" '
        f'font-family="{_FONT}">',
        f'<title id="{ids}-t">{escape(title)}</title>',
        f'<desc id="{ids}-d">{escape(description)}</desc>',
        f'<circle cx="256" cy="256" r="254" fill="{chosen.background}"/>',
        f'<circle cx="256" cy="256" r="246" fill="none" stroke="{chosen.rim}" stroke-width="8"/>',
    ]
    for index, colour in enumerate(chosen.segments):
        start, end = _span(index)
        out.append(f'<path d="{_segment(start, end)}" fill="{colour}"/>')
    return out


def _segment_words(chosen: Theme, ids: str) -> list[str]:
    """Each segment's word, set along an arc through the middle of the segment."""
    out = ["<defs>"]
    cap = 0.73 * 30  # cap height of the segment words, in canvas units
    middle_radius = (_OUTER + _INNER) / 2
    for index in range(4):
        start, end = _span(index)
        if index == 2:  # the bottom: run the path the other way so the word is upright
            path = _arc(middle_radius + cap / 2, end, start, clockwise=False)
        else:
            path = _arc(middle_radius - cap / 2, start, end, clockwise=True)
        out.append(f'<path id="{ids}-a{index}" d="{path}"/>')
    out.append("</defs>")
    for index, word in enumerate(_WORDS):
        ink = contrast_text(chosen.segments[index])
        out.append(
            f'<text font-size="30" font-weight="bold" letter-spacing="3" fill="{ink}" '
            f'text-anchor="middle"><textPath href="#{ids}-a{index}" startOffset="50%">'
            f"{word}</textPath></text>"
        )
    return out


def _centre(ink: str, name: str | None, year: int | None, hashtag: str | None) -> list[str]:
    """The centre's title lines, then the supporter's name (or the hashtag) and the year."""
    out = []
    lines: list[tuple[str, float, float, bool]] = [
        ("THE FOUR", -38, 40, True),
        ("RESPONSIBILITIES", 0, 27, True),
        ("of the learning professional", 30, 19, False),
    ]
    for text, dy, font_size, bold in lines:
        fitted, fitted_size = _fit(text, 276, font_size, 12, bold=bold)
        weight = ' font-weight="bold"' if bold else ""
        out.append(
            f'<text x="256" y="{_f(256 + dy)}" font-size="{_f(fitted_size)}"{weight} '
            f'text-anchor="middle" fill="{ink}">{escape(fitted)}</text>'
        )
    footer = name or hashtag
    if footer or year is not None:
        out.append(
            f'<line x1="186" y1="304" x2="326" y2="304" stroke="{ink}" stroke-opacity=".5" '
            'stroke-width="2"/>'
        )
    if footer:
        fitted, fitted_size = _fit(footer, 236, 28, 14, bold=bool(name))
        weight = ' font-weight="bold"' if name else ""
        out.append(
            f'<text x="256" y="342" font-size="{_f(fitted_size)}"{weight} text-anchor="middle" '
            f'fill="{ink}">{escape(fitted)}</text>'
        )
    if year is not None:
        out.append(
            f'<text x="256" y="{376 if footer else 342}" font-size="22" text-anchor="middle" '
            f'fill="{ink}" fill-opacity=".85">{year}</text>'
        )
    return out


def verdict_badge(
    verdict: str, *, passed: bool | None = None, style: str = "flat", label: str = "scenario"
) -> str:
    """A shields-style badge of a scenario's verdict ("recognised as a true professional").

    ``passed`` colours it: bright green, orange, or blue when None.
    """
    if not isinstance(style, str):
        raise ArgumentError(f"style is one of the badge styles, not {type(style).__name__}")
    colour = COLOURS["blue"] if passed is None else COLOURS["brightgreen" if passed else "orange"]
    return badge(label, verdict, color=colour, style=style)
