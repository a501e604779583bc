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
import functools
import math
import re
import zlib
from collections.abc import Sequence

import attrs

from fourresp.badges._colours import contrast_text, parse_colour
from fourresp.badges._metrics import FontMetrics, metrics, normalise_space
from fourresp.errors import ArgumentError

__all__ = ["MAX_TEXT", "STYLES", "Logo", "badge", "clean_text", "escape"]

MAX_TEXT = 96
_FONT = "DejaVu Sans,Verdana,Geneva,sans-serif"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_ID_SUFFIX = re.compile(r"[A-Za-z0-9_-]{0,32}")
_LINK = re.compile(r"(?:https?://|mailto:)[^\s\"<>\x00-\x1f]+")
_DATA_URI = re.compile(r"data:image/(svg\+xml|png);base64,([A-Za-z0-9+/=]+)")


def clean_text(text: str) -> str:
    """``text`` without characters XML 1.0 forbids, whitespace normalised, cut to MAX_TEXT."""
    if text.isascii() and text.isprintable():
        # no forbidden characters, and the only whitespace is the plain space
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            text = normalise_space(text)
    else:
        text = normalise_space(_FORBIDDEN.sub("", text))
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT].rstrip() + "\u2026"
    return text


def escape(text: str) -> str:
    """``text`` escaped for XML text and double-quoted attributes."""
    return text.translate(_ESCAPES)


def _escaped(text: str) -> str:
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return text.translate(_ESCAPES)
    return text


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
        self.baseline10 = baseline * 10
        self.shadow10 = baseline * 10 + 10
        self.attributes = f' letter-spacing="{round(spacing * 10)}"' if spacing else ""
        self.bold_attributes = ' font-weight="bold"' + self.attributes
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
    if not _LINK.fullmatch(url):
        raise ArgumentError(f"a badge link is an http(s) or mailto URL, not {url!r}")
    return escape(url)


class _Part:
    """A label or message ready for a style: cleaned, escaped, measured, fingerprinted.

    Labels and messages repeat (a page of badges reuses a few words), so parts are
    remembered in a bounded table; a new text costs one measurement.
    """

    __slots__ = ("box", "crc", "length10", "plain", "text")

    def __init__(self, raw: str, style: _Style, bold: bool) -> None:
        plain = clean_text(raw)
        if style.upper:
            plain = plain.upper()
        if plain:
            font = (_BOLD if bold else _REGULAR) or _fonts()[1 if bold else 0]
            width = font.measure(plain) * style.size / font.units_per_em
            if style.spacing:
                width += style.spacing * len(plain)
        else:
            width = 0.0
        self.plain = plain
        self.text = _escaped(plain)
        self.box = math.ceil(width)
        self.length10 = round(width * 10)
        self.crc = format(zlib.crc32(plain.encode("utf-8", "surrogatepass")), "08x")


_PARTS: dict[tuple[str, str, bool], _Part] = {}
_PARTS_LIMIT = 4096


def _part(raw: str, style: _Style, bold: bool) -> _Part:
    if not isinstance(raw, str):
        raise ArgumentError(f"badge text is a string, not {type(raw).__name__}")
    key = (raw, style.name, bold)
    found = _PARTS.get(key)
    if found is None:
        found = _Part(raw, style, bold)
        if len(_PARTS) >= _PARTS_LIMIT:
            _PARTS.clear()
        _PARTS[key] = found
    return found


def _texts(x10: int, part: _Part, colour: str, style: _Style, bold: bool) -> str:
    """A text element (and its shadow) in the x10 coordinates of the text group."""
    extra = style.bold_attributes if bold else style.attributes
    length, text = part.length10, part.text
    main = (
        f'<text x="{x10}" y="{style.baseline10}" fill="{colour}" '
        f'textLength="{length}"{extra}>{text}</text>'
    )
    if not style.shadow:
        return main
    shade = "#010101" if colour == "#fff" else "#fff"
    return (
        f'<text aria-hidden="true" x="{x10}" y="{style.shadow10}" fill="{shade}" '
        f'fill-opacity=".3" textLength="{length}"{extra}>{text}</text>{main}'
    )


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
    left_fill, right_fill = parse_colour(label_color), parse_colour(color)
    left_part = _part(label, chosen, chosen.bold_label)
    right_part = _part(message, chosen, chosen.bold_message)
    if title is not None:
        name = _escaped(clean_text(title))
    elif left_part.plain:
        name = f"{left_part.text}: {right_part.text}"
    else:
        name = right_part.text
    name = name or "badge"  # an image always has an accessible name
    if logo is not None and not isinstance(logo, Logo):
        logo = Logo.from_data_uri(logo)
    link_pair: tuple[str | None, ...] = ()
    if links:
        link_pair = tuple(_link(url) for url in ((links,) if isinstance(links, str) else links))
        if len(link_pair) > 2:
            raise ArgumentError("a badge takes one link, or two (label and message)")
    if id_suffix is None:
        id_suffix = f"{left_part.crc}{right_part.crc}{_colour_code(left_fill, right_fill)}"
    elif not _ID_SUFFIX.fullmatch(id_suffix):
        raise ArgumentError("id_suffix is up to 32 letters, digits, '-' or '_'")

    pad, height = chosen.padding, chosen.height
    logo_width = 0 if logo is None else (17 if left_part.plain else 14)
    left = left_part.box + logo_width + 2 * pad if (left_part.plain or logo is not None) else 0
    right = right_part.box + 2 * pad
    if chosen.name == "social":
        return _social(left_part, right_part, name, left, right, chosen, logo, link_pair, id_suffix)
    width = left + right
    ids = f"fr{chosen.code}{id_suffix}"
    label_text = (
        _texts(
            (pad + logo_width) * 10 + left_part.box * 5,
            left_part,
            contrast_text(left_fill),
            chosen,
            chosen.bold_label,
        )
        if left_part.plain
        else ""
    )
    message_text = _texts(
        left * 10 + right * 5, right_part, contrast_text(right_fill), chosen, chosen.bold_message
    )
    if chosen.radius:
        defs = (
            f'<linearGradient id="{ids}-s" x2="0" y2="100%">{chosen.gradient}</linearGradient>'
            f'<clipPath id="{ids}-r"><rect width="{width}" height="{height}" '
            f'rx="{chosen.radius}" fill="#fff"/></clipPath>'
        )
        group = f'<g clip-path="url(#{ids}-r)" shape-rendering="crispEdges">'
        overlay = f'<rect width="{width}" height="{height}" fill="url(#{ids}-s)"/>'
    else:
        defs = overlay = ""
        group = '<g shape-rendering="crispEdges">'
    left_rect = f'<rect width="{left}" height="{height}" fill="{left_fill}"/>' if left else ""
    image = (
        ""
        if logo is None
        else f'<image x="{pad}" y="{(height - 14) // 2}" width="14" height="14" '
        f'href="{logo.data_uri()}"/>'
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{name}"><title>{name}</title>'
        f"{defs}{group}{left_rect}"
        f'<rect x="{left}" width="{right}" height="{height}" fill="{right_fill}"/>{overlay}</g>'
        f"{image}{chosen.text_group}{label_text}{message_text}</g>"
    )
    if link_pair:
        svg = _wrap_links(svg, link_pair, left, right, height)
    return svg + "</svg>"


@functools.lru_cache(maxsize=1024)
def _colour_code(left: str, right: str) -> str:
    return format(zlib.crc32(f"{left}{right}".encode("ascii")) & 0xFFFF, "04x")


_REGULAR: FontMetrics | None = None
_BOLD: FontMetrics | None = None


def _fonts() -> tuple[FontMetrics, FontMetrics]:
    global _REGULAR, _BOLD
    if _REGULAR is None or _BOLD is None:
        _REGULAR, _BOLD = metrics(), metrics(bold=True)
    return _REGULAR, _BOLD


def _wrap_links(
    body: str, links: tuple[str | None, ...], left: int, right: int, height: int
) -> str:
    """Add the link areas: transparent rectangles on top, each inside an ``<a>``."""
    if not links:
        return body
    if len(links) == 1:
        areas = [(0, left + right, links[0])]
    else:
        areas = [(0, left, links[0]), (left, right, links[1])]
    for x, width, url in areas:
        if url is not None and width:
            body += (
                f'<a href="{url}"><rect x="{x}" width="{width}" height="{height}" '
                'fill="#fff" fill-opacity="0"/></a>'
            )
    return body


def _social(
    left_part: _Part,
    right_part: _Part,
    name: str,
    left: int,
    right: int,
    style: _Style,
    logo: Logo | None,
    links: tuple[str | None, ...],
    id_suffix: str,
) -> str:
    """GitHub-like social style: a grey rounded button and a white speech bubble."""
    ids = f"fr{style.code}{id_suffix}"
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
    if left_part.plain:
        start = style.padding + (17 if logo is not None else 0)
        out.append(
            f'<text x="{start * 10 + left_part.box * 5}" y="{style.baseline10}" '
            f'font-weight="bold" textLength="{left_part.length10}">{left_part.text}</text>'
        )
    out.append(
        f'<text x="{(left + gap) * 10 + right * 5}" y="{style.baseline10}" '
        f'textLength="{right_part.length10}">{right_part.text}</text></g>'
    )
    body = _wrap_links("".join(out), links, left, gap + right, height)
    return body + "</svg>"
