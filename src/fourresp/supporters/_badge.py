"""A supporter's own badge: the emblem with their name and year, Open Badges optional."""

from __future__ import annotations

from typing import Any

from fourresp.supporters._models import Supporter

__all__ = ["supporter_badge"]


def supporter_badge(
    supporter: Supporter,
    *,
    theme: str = "classic",
    size: int = 256,
    assertion: Any = None,
    verify: str | None = None,
) -> str:
    """The Four Responsibilities emblem personalised for ``supporter`` (name and year).

    With ``assertion`` (an Open Badges 2.0 assertion or 3.0 credential, see
    :func:`fourresp.badges.ob2_assertion`) or ``verify`` (a signed JWS/JWT), it is
    baked into the SVG.

    >>> from fourresp.supporters import Supporter, supporter_badge
    >>> ada = Supporter(id=1, name="Ada Lovelace", public=True, pledged_on="2026-11-29",
    ...                 framework_version="1.0.0")
    >>> ">Ada Lovelace</text>" in supporter_badge(ada)
    True
    """
    from fourresp.badges import bake, emblem  # imported when a badge is drawn

    year = int(supporter.pledged_on[:4])
    svg = emblem(
        name=supporter.name, year=year, theme=theme, size=size, id_suffix=f"s{supporter.id}"
    )
    if assertion is not None or verify is not None:
        svg = bake(svg, assertion, verify=verify)
    return svg
