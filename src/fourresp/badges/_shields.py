"""Shields-style badges: a label and a message side by side, in five styles.

Markup promises (tested): well-formed XML; ``role="img"``, ``aria-label`` and a
``<title>``; ids made unique per badge; the same bytes for the same input; no
script, no event attribute and no external reference (a logo is embedded as a
``data:`` URI, links are plain ``http(s)``/``mailto`` hyperlinks); every string
escaped and characters XML 1.0 forbids removed; integer geometry for every box.

Text rules: whitespace is normalised as renderers do; a label or message longer
than :data:`MAX_TEXT` characters is cut to that length with a trailing ellipsis.
Each text's box is its width in DejaVu Sans (see :mod:`fourresp.badges._metrics`)
rounded up to whole pixels plus the style's padding, and ``textLength`` pins the
drawn width to it, so browsers with Verdana and renderers with DejaVu agree.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import zlib
from collections.abc import Sequence
from typing import NamedTuple

import attrs

from fourresp._memo import remember
from fourresp._svg import (
    ID_SUFFIX,
    ID_SUFFIX_RULE,
    XML_FORBIDDEN,
    escape,
    escaped,
    normalise_space,
    shorten,
    strip_forbidden,
)
from fourresp.badges._colours import contrast_text, parse_colour
from fourresp.badges._metrics import FontMetrics, metrics
from fourresp.errors import ArgumentError

__all__ = ["MAX_TEXT", "STYLES", "Logo", "badge", "clean_text"]

MAX_TEXT = 96
_FONT = "DejaVu Sans,Verdana,Geneva,sans-serif"
_LINK = re.compile(r"(?:https?://|mailto:)[^\s\"<>\x00-\x1f]+")
_DATA_URI = re.compile(r"data:image/(svg\+xml|png);base64,([A-Za-z0-9+/=]+)")


def clean_text(text: str) -> str:
    """``text`` without characters XML 1.0 forbids, whitespace normalised, cut to MAX_TEXT."""
    if text.isprintable():
        # No forbidden characters (controls, surrogates and non-characters are not
        # printable), and the only whitespace is the plain space.
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            text = normalise_space(text)
    else:
        text = normalise_space(strip_forbidden(text))
    return text if len(text) <= MAX_TEXT else shorten(text, MAX_TEXT)


@attrs.frozen(kw_only=True)
class Logo:
    """An image shown before the label: PNG or SVG bytes, embedded as a ``data:`` URI.

    Build one with :meth:`from_bytes` or :meth:`from_data_uri`; anything else (an
    ``http`` URL, another media type, broken base64) is refused.
    """

    media_type: str
    data: bytes

    @classmethod
    def from_bytes(cls, data: bytes, media_type: str | None = None) -> Logo:
        """A logo from raw PNG or SVG bytes; the type is detected when not given."""
        if media_type is None:
            if data.startswith(b"\x89PNG\r\n\x1a\n"):
                media_type = "image/png"
            elif b"<svg" in data[:4096]:
                media_type = "image/svg+xml"
            else:
                raise ArgumentError("a logo is PNG or SVG data")
        if media_type not in ("image/png", "image/svg+xml"):
            raise ArgumentError(f"a logo is image/png or image/svg+xml, not {media_type!r}")
        return cls(media_type=media_type, data=bytes(data))

    @classmethod
    def from_data_uri(cls, uri: str) -> Logo:
        """A logo from a ``data:image/png;base64,...`` or ``data:image/svg+xml;base64,...`` URI."""
        match = _DATA_URI.fullmatch(uri.strip())
        if match is None:
            raise ArgumentError(
                "a logo must be a data:image/png;base64,... or data:image/svg+xml;base64,... "
                "URI (never a link to another site)"
            )
        try:
            data = base64.b64decode(match.group(2), validate=True)
        except binascii.Error as exc:
            raise ArgumentError(f"the logo's base64 data is broken: {exc}") from None
        return cls.from_bytes(data, f"image/{match.group(1)}")

    def data_uri(self) -> str:
        """The logo as a ``data:`` URI."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


class _Role:
    """A style's label or its message: font, case, spacing, extra attributes, and its parts.

    Labels and messages repeat (a page of badges reuses a few words), so each role
    remembers its parts in a bounded table; a new text costs one measurement.
    """

    __slots__ = ("bold", "extra", "font", "parts", "scale", "size", "spacing", "upper")

    def __init__(self, style: _Style, bold: bool) -> None:
        self.bold, self.size = bold, style.size
        self.upper, self.spacing = style.upper, style.spacing
        self.extra = style.bold_attributes if bold else style.attributes
        self.parts: dict[str, _Part] = {}
        self.font: FontMetrics | None = None  # loaded with the first text
        self.scale = 0.0  # font units to pixels

    def load_font(self) -> FontMetrics:
        font = self.font = metrics(bold=self.bold)
        self.scale = self.size / font.units_per_em
        return font


class _Part(NamedTuple):
    """One text of a badge, ready to write: what a remembered label or message keeps."""

    plain: str  # cleaned (and upper-cased where the style says so)
    escaped: str  # escaped for XML
    box: int  # its box's width in pixels
    length10: int  # its textLength, in tenths of a pixel
    crc: str  # eight hex digits, for the ids
    tail: str  # the end of its <text> element


# Texts each role remembers. Enough for a page of badges, which reuses a few words;
# small enough that fresh texts do not pay for it: remembering thousands of texts
# that never come back made each fresh badge about 7% slower (benchmarks/badges.py).
_PARTS_LIMIT = 256


def _new_part(raw: str, role: _Role) -> _Part:
    """``raw`` cleaned, escaped, measured and fingerprinted for ``role``, and remembered:
    a text ``role`` has not seen (or not lately)."""
    if not isinstance(raw, str):
        raise ArgumentError(f"badge text is a string, not {type(raw).__name__}")
    plain = clean_text(raw)
    if role.upper:
        plain = plain.upper()
    data = plain.encode("utf-8", "surrogatepass")
    font = role.font or role.load_font()
    width = font.measure_encoded(plain, data) * role.scale + role.spacing * len(plain)
    text = escaped(plain)
    length10 = round(width * 10)
    # Built positionally from a tuple (a third of the cost of keyword arguments),
    # the CRC's eight hex digits by bytes.hex (a third of a format spec's): every
    # fresh text of a badge comes here.
    part = _new_part_tuple(
        _Part,
        (
            plain,
            text,
            math.ceil(width),
            length10,
            zlib.crc32(data).to_bytes(4, "big").hex(),
            f'textLength="{length10}"{role.extra}>{text}</text>',
        ),
    )
    return remember(role.parts, raw, part, _PARTS_LIMIT)


_new_part_tuple = tuple.__new__


class _Style:
    """The geometry and type of one badge style, with what the template needs worked out."""

    def __init__(
        self,
        name: str,
        code: str,
        *,
        height: int,
        radius: int,
        size: int,
        padding: int,
        baseline: int,
        shadow: bool,
        upper: bool = False,
        spacing: float = 0.0,
        bold_label: bool = False,
        bold_message: bool = False,
        gradient: str = "",
    ) -> None:
        self.name, self.code = name, code  # the code keeps ids of different styles apart
        self.height, self.radius, self.size, self.padding = height, radius, size, padding
        self.baseline, self.shadow, self.upper, self.spacing = baseline, shadow, upper, spacing
        self.bold_label, self.bold_message, self.gradient = bold_label, bold_message, gradient
        # Markup numbers that never change, as text: formatting an int costs more than
        # the rest of its substitution, and the markup is the hot path.
        self.height_text, self.radius_text = str(height), str(radius)
        self.text_y, self.shadow_y = str(baseline * 10), str(baseline * 10 + 10)
        self.attributes = f' letter-spacing="{round(spacing * 10)}"' if spacing else ""
        self.bold_attributes = ' font-weight="bold"' + self.attributes
        self.label = _Role(self, bold_label)
        self.message = _Role(self, bold_message)
        self.text_group = (
            f'<g text-anchor="middle" font-family="{_FONT}" font-size="{size * 10}" '
            'transform="scale(.1)">'
        )


_GRADIENTS = {
    "flat": '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
    '<stop offset="1" stop-opacity=".1"/>',
    "plastic": '<stop offset="0" stop-color="#fff" stop-opacity=".7"/>'
    '<stop offset=".1" stop-color="#aaa" stop-opacity=".1"/>'
    '<stop offset=".9" stop-opacity=".3"/><stop offset="1" stop-opacity=".5"/>',
    "social": '<stop offset="0" stop-color="#fcfcfc" stop-opacity="0"/>'
    '<stop offset="1" stop-opacity=".1"/>',
}

_STYLES = {
    "flat": _Style(
        "flat",
        "f",
        height=20,
        radius=3,
        size=11,
        padding=5,
        baseline=14,
        shadow=True,
        gradient=_GRADIENTS["flat"],
    ),
    "flat-square": _Style(
        "flat-square", "s", height=20, radius=0, size=11, padding=5, baseline=14, shadow=False
    ),
    "plastic": _Style(
        "plastic",
        "p",
        height=18,
        radius=4,
        size=11,
        padding=5,
        baseline=13,
        shadow=True,
        gradient=_GRADIENTS["plastic"],
    ),
    "for-the-badge": _Style(
        "for-the-badge",
        "b",
        height=28,
        radius=0,
        size=10,
        padding=9,
        baseline=18,
        shadow=False,
        upper=True,
        spacing=1.0,
        bold_message=True,
    ),
    "social": _Style(
        "social",
        "o",
        height=20,
        radius=3,
        size=11,
        padding=6,
        baseline=14,
        shadow=False,
        bold_label=True,
    ),
}
STYLES = tuple(_STYLES)


def _link(url: str | None) -> str | None:
    if url is None:
        return None
    if not isinstance(url, str):
        raise ArgumentError(f"a badge link is a string, not {type(url).__name__}")
    # The URL goes into an attribute as it is: anything XML 1.0 forbids (U+FFFE, a
    # lone surrogate) would make the SVG unreadable, so it is refused, not dropped.
    if XML_FORBIDDEN.search(url) or not _LINK.fullmatch(url):
        raise ArgumentError(f"a badge link is an http(s) or mailto URL, not {url!r}")
    return escape(url)


class _Fills:
    """A label and message colour pair, resolved: fills, text colours, and an id code."""

    __slots__ = ("code", "left", "left_shade", "left_text", "right", "right_shade", "right_text")

    def __init__(self, label_color: str, color: str) -> None:
        self.left, self.right = parse_colour(label_color), parse_colour(color)
        self.left_text, self.right_text = contrast_text(self.left), contrast_text(self.right)
        # the shadow under a text is the other of the two text colours
        self.left_shade = "#010101" if self.left_text == "#fff" else "#fff"
        self.right_shade = "#010101" if self.right_text == "#fff" else "#fff"
        self.code = format(zlib.crc32(f"{self.left}{self.right}".encode("ascii")) & 0xFFFF, "04x")


_FILLS: dict[tuple[str, str], _Fills] = {}
_FILLS_LIMIT = 1024


def _new_fills(label_color: str, color: str) -> _Fills:
    """Resolve and remember a pair badge() has not seen; a bad colour raises ArgumentError."""
    found = _Fills(label_color, color)  # refuses anything that is not a colour, unhashables too
    return remember(_FILLS, (label_color, color), found, _FILLS_LIMIT)


def badge(
    label: str,
    message: str,
    *,
    color: str = "brightgreen",
    label_color: str = "grey",
    style: str = "flat",
    logo: Logo | str | None = None,
    links: Sequence[str] | str | None = None,
    title: str | None = None,
    id_suffix: str | None = None,
) -> str:
    """A shields-style badge as SVG text.

    ``color`` and ``label_color`` are names (``brightgreen``, ``blue``, ``grey``...,
    see :data:`~fourresp.badges.COLOURS`) or hex (``#4c1``, ``4c1``, ``#44cc11``).
    ``style`` is one of :data:`STYLES`. ``logo`` is a :class:`Logo` or a ``data:``
    URI. ``links`` is one URL for the whole badge or two for the label and the
    message. ``title`` (default ``"label: message"``) is the accessible name.
    ``id_suffix`` makes the badge's internal ids unique on a page; by default it
    comes from the badge's content, so equal badges are equal bytes.

    Text colour (white or near-black) is chosen for the higher contrast with its
    background. Raises :class:`~fourresp.errors.ArgumentError` for an unknown
    style or colour, a bad logo or link, or a bad ``id_suffix``.

    >>> from fourresp.badges import badge
    >>> svg = badge("questionnaire", "established", color="blue")
    >>> 'aria-label="questionnaire: established"' in svg
    True
    """
    chosen = _STYLES.get(style)
    if chosen is None:
        raise ArgumentError(f"unknown badge style {style!r}; known: {', '.join(STYLES)}")
    try:
        fills = _FILLS[label_color, color]
    except (KeyError, TypeError):  # a new pair, or an unhashable colour _Fills refuses
        fills = _new_fills(label_color, color)
    # Remembered texts are looked up here rather than in a helper: this is the hot
    # path. Only exact strings are looked up, so anything else reaches the type
    # check in _new_part (and an unhashable value never reaches a dict).
    left_part = chosen.label.parts.get(label) if label.__class__ is str else None
    if left_part is None:
        left_part = _new_part(label, chosen.label)
    right_part = chosen.message.parts.get(message) if message.__class__ is str else None
    if right_part is None:
        right_part = _new_part(message, chosen.message)
    label_plain, label_escaped, label_box, _, label_crc, _ = left_part
    _, message_escaped, message_box, _, message_crc, _ = right_part
    name = _accessible_name(title, label_plain, label_escaped, message_escaped)
    if logo is not None and not isinstance(logo, Logo):
        logo = Logo.from_data_uri(logo)
    link_pair = () if links is None else _link_pair(links)
    if id_suffix is None:
        ids = f"fr{chosen.code}{label_crc}{message_crc}{fills.code}"
    elif ID_SUFFIX.fullmatch(id_suffix):
        ids = f"fr{chosen.code}{id_suffix}"
    else:
        raise ArgumentError(ID_SUFFIX_RULE)
    pad = chosen.padding
    logo_width = 0 if logo is None else (17 if label_plain else 14)
    left = label_box + logo_width + 2 * pad if (label_plain or logo is not None) else 0
    right = message_box + 2 * pad
    if chosen.name == "social":
        return _social(left_part, right_part, name, left, right, chosen, logo, link_pair, ids)
    return _plain_badge(
        left_part, right_part, name, left, right, chosen, fills, logo, link_pair, ids
    )


def _accessible_name(
    title: str | None, label_plain: str, label_escaped: str, message_escaped: str
) -> str:
    """The badge's accessible name, escaped: the title, else "label: message"; never empty."""
    if title is not None:
        if not isinstance(title, str):
            raise ArgumentError(f"a badge title is a string, not {type(title).__name__}")
        name = escaped(clean_text(title))
    elif label_plain:
        name = f"{label_escaped}: {message_escaped}"
    else:
        name = message_escaped
    return name or "badge"  # an image always has an accessible name


def _link_pair(links: Sequence[str] | str) -> tuple[str | None, ...]:
    """One link for the whole badge or two (label and message), each checked."""
    if not isinstance(links, str | list | tuple):
        raise ArgumentError(f"links is a URL or a list of URLs, not {type(links).__name__}")
    if not links:
        return ()
    link_pair = tuple(_link(url) for url in ((links,) if isinstance(links, str) else links))
    if len(link_pair) > 2:
        raise ArgumentError("a badge takes one link, or two (label and message)")
    return link_pair


def _plain_badge(
    left_part: _Part,
    right_part: _Part,
    name: str,
    left: int,
    right: int,
    chosen: _Style,
    fills: _Fills,
    logo: Logo | None,
    link_pair: tuple[str | None, ...],
    ids: str,
) -> str:
    """The markup of the flat, plastic and for-the-badge styles (all but social)."""
    label_plain, _, label_box, _, _, label_tail = left_part
    message_tail = right_part.tail
    pad, height = chosen.padding, chosen.height
    logo_width = 0 if logo is None else (17 if label_plain else 14)
    width = str(left + right)
    height_text, text_y, shadow_y = chosen.height_text, chosen.text_y, chosen.shadow_y
    # each appears twice in the markup: format once
    label_x = str((pad + logo_width) * 10 + label_box * 5)
    message_x = str(left * 10 + right * 5)
    # One f-string per shape: this is the hot path of every badge.
    if chosen.shadow:
        label_text = (
            f'<text aria-hidden="true" x="{label_x}" y="{shadow_y}" fill="{fills.left_shade}" '
            f'fill-opacity=".3" {label_tail}'
            f'<text x="{label_x}" y="{text_y}" fill="{fills.left_text}" {label_tail}'
            if label_plain
            else ""
        )
        texts = (
            f'{label_text}<text aria-hidden="true" x="{message_x}" y="{shadow_y}" '
            f'fill="{fills.right_shade}" fill-opacity=".3" {message_tail}'
            f'<text x="{message_x}" y="{text_y}" fill="{fills.right_text}" {message_tail}'
        )
    else:
        label_text = (
            f'<text x="{label_x}" y="{text_y}" fill="{fills.left_text}" {label_tail}'
            if label_plain
            else ""
        )
        texts = (
            f'{label_text}<text x="{message_x}" y="{text_y}" fill="{fills.right_text}" '
            f"{message_tail}"
        )
    left_rect = f'<rect width="{left}" height="{height_text}" fill="{fills.left}"/>' if left else ""
    image = (
        ""
        if logo is None
        else f'<image x="{pad}" y="{(height - 14) // 2}" width="14" height="14" '
        f'href="{logo.data_uri()}"/>'
    )
    areas = _link_areas(link_pair, left, right, height) if link_pair else ""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height_text}" '
        f'viewBox="0 0 {width} {height_text}" role="img" aria-label="{name}">'
        f"<title>{name}</title>"
    )
    if chosen.radius:
        return (
            f'{head}<linearGradient id="{ids}-s" x2="0" y2="100%">{chosen.gradient}'
            f'</linearGradient><clipPath id="{ids}-r"><rect width="{width}" '
            f'height="{height_text}" rx="{chosen.radius_text}" fill="#fff"/></clipPath>'
            f'<g clip-path="url(#{ids}-r)" shape-rendering="crispEdges">{left_rect}'
            f'<rect x="{left}" width="{right}" height="{height_text}" fill="{fills.right}"/>'
            f'<rect width="{width}" height="{height_text}" fill="url(#{ids}-s)"/></g>'
            f"{image}{chosen.text_group}{texts}</g>{areas}</svg>"
        )
    return (
        f'{head}<g shape-rendering="crispEdges">{left_rect}'
        f'<rect x="{left}" width="{right}" height="{height_text}" fill="{fills.right}"/></g>'
        f"{image}{chosen.text_group}{texts}</g>{areas}</svg>"
    )


def _link_areas(links: tuple[str | None, ...], left: int, right: int, height: int) -> str:
    """The link areas: transparent rectangles on top of the badge, each inside an ``<a>``."""
    if len(links) == 1:
        areas = [(0, left + right, links[0])]
    else:
        areas = [(0, left, links[0]), (left, right, links[1])]
    return "".join(
        f'<a href="{url}"><rect x="{x}" width="{width}" height="{height}" '
        'fill="#fff" fill-opacity="0"/></a>'
        for x, width, url in areas
        if url is not None and width
    )


def _social(
    left_part: _Part,
    right_part: _Part,
    name: str,
    left: int,
    right: int,
    style: _Style,
    logo: Logo | None,
    links: tuple[str | None, ...],
    ids: str,
) -> str:
    """GitHub-like social style: a grey rounded button and a white speech bubble."""
    height = style.height
    gap = 6  # between the button and the bubble, where the bubble's arrow sits
    left = max(left, 2 * style.padding)
    width = left + gap + right + 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{name}">'
        f"<title>{name}</title>"
        f'<linearGradient id="{ids}-s" x2="0" y2="100%">{_GRADIENTS["social"]}</linearGradient>'
        f'<g stroke="#d5d5d5" shape-rendering="crispEdges">'
        f'<rect x=".5" y=".5" width="{left - 1}" height="{height - 1}" rx="2" fill="#fcfcfc"/>'
        f'<rect x=".5" y=".5" width="{left - 1}" height="{height - 1}" rx="2" '
        f'fill="url(#{ids}-s)" stroke="none"/>'
        f'<rect x="{left + gap + 0.5:g}" y=".5" width="{right - 1}" height="{height - 1}" '
        f'rx="2" fill="#fafafa"/>'
        f'<path d="M{left + gap + 0.5:g} 6.5 l-3 3.5 3 3.5" fill="#fafafa" stroke="#d5d5d5"/>'
        f'<path d="M{left + gap + 1.5:g} 7 v6" stroke="#fafafa"/>'
        "</g>"
    ]
    if logo is not None:
        out.append(
            f'<image x="{style.padding}" y="{(height - 14) // 2}" width="14" height="14" '
            f'href="{logo.data_uri()}"/>'
        )
    out.append(style.text_group.replace("<g ", '<g fill="#333" ', 1))
    label_plain, label_escaped, label_box, label_length10, _, _ = left_part
    _, message_escaped, _, message_length10, _, _ = right_part
    if label_plain:
        start = style.padding + (17 if logo is not None else 0)
        out.append(
            f'<text x="{start * 10 + label_box * 5}" y="{style.text_y}" '
            f'font-weight="bold" textLength="{label_length10}">{label_escaped}</text>'
        )
    out.append(
        f'<text x="{(left + gap) * 10 + right * 5}" y="{style.text_y}" '
        f'textLength="{message_length10}">{message_escaped}</text></g>'
    )
    if links:
        out.append(_link_areas(links, left, gap + right, height))
    out.append("</svg>")
    return "".join(out)
