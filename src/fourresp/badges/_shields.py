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

import attrs

from fourresp.badges._colours import contrast_text, parse_colour
from fourresp.badges._metrics import metrics, normalise_space
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
    if not (text.isascii() and text.isprintable()):
        text = _FORBIDDEN.sub("", text)
    text = normalise_space(text)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rstrip() + "\u2026"
    return text


def escape(text: str) -> str:
    """``text`` escaped for XML text and double-quoted attributes."""
    return text.translate(_ESCAPES)


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


@attrs.frozen
class _Style:
    height: int
    radius: int
    size: int
    padding: int
    baseline: int
    shadow: bool
    upper: bool = False
    spacing: float = 0.0
    bold_label: bool = False
    bold_message: bool = False


_STYLES = {
    "flat": _Style(height=20, radius=3, size=11, padding=5, baseline=14, shadow=True),
    "flat-square": _Style(height=20, radius=0, size=11, padding=5, baseline=14, shadow=False),
    "plastic": _Style(height=18, radius=4, size=11, padding=5, baseline=13, shadow=True),
    "for-the-badge": _Style(
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
        height=20, radius=3, size=11, padding=6, baseline=14, shadow=False, bold_label=True
    ),
}
STYLES = tuple(_STYLES)

_GRADIENTS = {
    "flat": '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
    '<stop offset="1" stop-opacity=".1"/>',
    "plastic": '<stop offset="0" stop-color="#fff" stop-opacity=".7"/>'
    '<stop offset=".1" stop-color="#aaa" stop-opacity=".1"/>'
    '<stop offset=".9" stop-opacity=".3"/><stop offset="1" stop-opacity=".5"/>',
    "social": '<stop offset="0" stop-color="#fcfcfc" stop-opacity="0"/>'
    '<stop offset="1" stop-opacity=".1"/>',
}


def _link(url: str | None) -> str | None:
    if url is None:
        return None
    if not _LINK.fullmatch(url):
        raise ArgumentError(f"a badge link is an http(s) or mailto URL, not {url!r}")
    return escape(url)


def _text(
    x_centre: float,
    style: _Style,
    text: str,
    length: float,
    colour: str,
    bold: bool,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    spacing = f' letter-spacing="{style.spacing:g}"' if style.spacing else ""
    body = escape(text)
    shadow = ""
    if style.shadow:
        shade = "#010101" if colour == "#fff" else "#fff"
        shadow = (
            f'<text aria-hidden="true" x="{x_centre:g}" y="{style.baseline + 1}" '
            f'fill="{shade}" fill-opacity=".3" textLength="{length:g}"{weight}{spacing}>'
            f"{body}</text>"
        )
    return (
        f'{shadow}<text x="{x_centre:g}" y="{style.baseline}" fill="{colour}" '
        f'textLength="{length:g}"{weight}{spacing}>{body}</text>'
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
    label, message = clean_text(label), clean_text(message)
    name = clean_text(title) if title is not None else (f"{label}: {message}" if label else message)
    if chosen.upper:
        label, message = label.upper(), message.upper()
    if isinstance(logo, str):
        logo = Logo.from_data_uri(logo)
    if isinstance(links, str):
        links = (links,)
    link_pair = tuple(_link(url) for url in (links or ()))
    if len(link_pair) > 2:
        raise ArgumentError("a badge takes one link, or two (label and message)")
    if id_suffix is None:
        key = "\x1f".join((label, message, left_fill, right_fill, style, name))
        id_suffix = format(zlib.crc32(key.encode("utf-8", "surrogatepass")), "08x")
    elif not _ID_SUFFIX.fullmatch(id_suffix):
        raise ArgumentError("id_suffix is up to 32 letters, digits, '-' or '_'")

    size, pad, height = chosen.size, chosen.padding, chosen.height
    label_text_width = (
        metrics(bold=chosen.bold_label).width(label, size, letter_spacing=chosen.spacing)
        if label
        else 0.0
    )
    message_text_width = metrics(bold=chosen.bold_message).width(
        message, size, letter_spacing=chosen.spacing
    )
    logo_width = 14 if logo is not None else 0
    logo_gap = 3 if logo is not None and label else 0
    left = math.ceil(label_text_width) + logo_width + logo_gap + 2 * pad if (label or logo) else 0
    right = math.ceil(message_text_width) + 2 * pad
    width = left + right
    left_text, right_text = contrast_text(left_fill), contrast_text(right_fill)
    if style == "social":
        return _social(
            label,
            message,
            name,
            left,
            right,
            height,
            chosen,
            logo,
            link_pair,
            id_suffix,
            label_text_width,
            message_text_width,
        )

    ids = f"fr{id_suffix}"
    title_text = escape(name)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title_text}">'
        f"<title>{title_text}</title>"
    ]
    gradient = _GRADIENTS.get(style)
    if gradient:
        out.append(f'<linearGradient id="{ids}-s" x2="0" y2="100%">{gradient}</linearGradient>')
    if chosen.radius:
        out.append(
            f'<clipPath id="{ids}-r"><rect width="{width}" height="{height}" '
            f'rx="{chosen.radius}" fill="#fff"/></clipPath>'
            f'<g clip-path="url(#{ids}-r)" shape-rendering="crispEdges">'
        )
    else:
        out.append('<g shape-rendering="crispEdges">')
    if left:
        out.append(f'<rect width="{left}" height="{height}" fill="{left_fill}"/>')
    out.append(f'<rect x="{left}" width="{right}" height="{height}" fill="{right_fill}"/>')
    if gradient:
        out.append(f'<rect width="{width}" height="{height}" fill="url(#{ids}-s)"/>')
    out.append(f'</g><g text-anchor="middle" font-family="{_FONT}" font-size="{size}">')
    if logo is not None:
        out.append(
            f'<image x="{pad}" y="{(height - 14) // 2}" width="14" height="14" '
            f'href="{logo.data_uri()}"/>'
        )
    if label:
        start = pad + logo_width + logo_gap
        centre = start + math.ceil(label_text_width) / 2
        out.append(_text(centre, chosen, label, round(label_text_width, 1), left_text, False))
    out.append(
        _text(
            left + right / 2,
            chosen,
            message,
            round(message_text_width, 1),
            right_text,
            chosen.bold_message,
        )
    )
    out.append("</g>")
    body = "".join(out)
    body = _wrap_links(body, link_pair, left, right, height)
    return body + "</svg>"


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
    label: str,
    message: str,
    name: str,
    left: int,
    right: int,
    height: int,
    style: _Style,
    logo: Logo | None,
    links: tuple[str | None, ...],
    id_suffix: str,
    label_text_width: float,
    message_text_width: float,
) -> str:
    """GitHub-like social style: a grey rounded button and a white speech bubble."""
    ids = f"fr{id_suffix}"
    title_text = escape(name)
    gap = 6  # between the button and the bubble, where the bubble's arrow sits
    left = max(left, 2 * style.padding)
    width = left + gap + right + 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title_text}">'
        f"<title>{title_text}</title>"
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
        f'<g text-anchor="middle" font-family="{_FONT}" font-size="{style.size}" '
        'font-weight="bold" fill="#333">'
    ]
    if logo is not None:
        out.append(
            f'<image x="{style.padding}" y="{(height - 14) // 2}" width="14" height="14" '
            f'href="{logo.data_uri()}"/>'
        )
    if label:
        start = style.padding + (17 if logo is not None else 0)
        centre = start + math.ceil(label_text_width) / 2
        out.append(
            f'<text x="{centre:g}" y="{style.baseline}" '
            f'textLength="{round(label_text_width, 1):g}">{escape(label)}</text>'
        )
    out.append(
        f'<text x="{left + gap + right / 2:g}" y="{style.baseline}" font-weight="normal" '
        f'textLength="{round(message_text_width, 1):g}">{escape(message)}</text></g>'
    )
    body = _wrap_links("".join(out), links, left, gap + right, height)
    return body + "</svg>"
