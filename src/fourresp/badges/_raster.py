"""A badge drawn as PNG: the SVG rendered by cairosvg (the ``png`` extra), still baked."""

from __future__ import annotations

from fourresp.badges._baking import bake as bake_badge
from fourresp.badges._baking import unbake
from fourresp.errors import ArgumentError, MissingExtraError

__all__ = ["to_png"]


def to_png(svg: str, *, width: int | None = None, bake: bool = True) -> bytes:
    """``svg`` rendered to PNG bytes, ``width`` pixels wide (default: the SVG's own width).

    With ``bake`` (the default), an Open Badges assertion or credential baked into
    the SVG is baked into the PNG too, so converting a badge never loses it.

    Needs the ``png`` extra: ``pip install 'fourresp[png]'`` (cairosvg, which uses
    the system's cairo library). Raises :class:`~fourresp.errors.MissingExtraError`
    without it.
    """
    if not isinstance(svg, str):
        raise ArgumentError(f"to_png takes SVG text, not {type(svg).__name__}")
    if width is not None and (
        isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= 8192
    ):
        raise ArgumentError(f"width is a whole number of pixels from 1 to 8192, not {width!r}")
    found = None
    if bake:
        found = unbake(svg)
    try:
        import cairosvg  # type: ignore[import-untyped]
    except ImportError as exc:  # cairosvg missing, or cairo itself missing
        raise MissingExtraError(
            "PNG output needs the png extra: pip install 'fourresp[png]' "
            f"(and the cairo library) ({exc})"
        ) from None
    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)
    if found is not None:
        png = bake_badge(png, found.payload, verify=found.verify, version=found.version)
    return png
