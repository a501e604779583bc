"""Raster images of badges, through the optional ``png`` extra (cairosvg)."""

from __future__ import annotations

from fourresp.errors import ArgumentError, MissingExtraError

__all__ = ["to_png"]


def to_png(svg: str, *, width: int | None = None) -> bytes:
    """``svg`` rendered to PNG bytes, ``width`` pixels wide (default: the SVG's own width).

    Needs the ``png`` extra: ``pip install 'fourresp[png]'`` (cairosvg, which uses
    the system's cairo library). Raises :class:`~fourresp.errors.MissingExtraError`
    without it.
    """
    try:
        import cairosvg  # type: ignore[import-untyped]
    except ImportError as exc:  # cairosvg missing, or cairo itself missing
        raise MissingExtraError(
            "PNG output needs the png extra: pip install 'fourresp[png]' "
            f"(and the cairo library) ({exc})"
        ) from None
    if width is not None and (
        isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= 8192
    ):
        raise ArgumentError(f"width is a whole number of pixels from 1 to 8192, not {width!r}")
    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)
    return png
