"""Badges: shields-style badges, the Four Responsibilities emblem, and Open Badges.

- :func:`badge`: a label and a message in one of five styles (flat, flat-square,
  plastic, for-the-badge, social), text measured with DejaVu Sans metrics.
- :func:`emblem`: the initiative's round emblem, optionally with a supporter's
  name and the year; :func:`verdict_badge` for scenario verdicts (a questionnaire result's badge is
  :func:`fourresp.assessment.result_badge`).
- :func:`bake` / :func:`unbake`: Open Badges 2.0 assertions and 3.0 credentials
  inside SVG and PNG; builders :func:`ob2_issuer`, :func:`ob2_badge_class`,
  :func:`ob2_assertion` and :func:`ob3_credential`.
- :func:`sign_credential` / :func:`verify_credential`: OB 3.0 credentials as
  VC-JWTs signed with the app's Ed25519 key (the optional ``signing`` extra).
- :func:`to_png` through the optional ``png`` extra (a baked SVG stays baked).

Every SVG is well-formed, accessible (``role="img"``, a title), deterministic,
free of scripts and external references, and escapes every string it is given.

>>> from fourresp.badges import badge, bake, ob2_assertion, unbake
>>> assertion = ob2_assertion(id="https://example.org/assertions/1",
...     badge="https://example.org/badges/pledge", recipient_email="ada@example.org",
...     salt="0123456789abcdef", issued_on="2026-11-29T10:00:00Z")
>>> unbake(bake(badge("pledge", "signed"), assertion)).payload == assertion
True
"""

from typing import TYPE_CHECKING

from fourresp._public import lazy

if TYPE_CHECKING:
    from fourresp.badges._baking import OB2_NAMESPACE, OB3_NAMESPACE, BakedBadge, bake, unbake
    from fourresp.badges._colours import COLOURS, contrast_ratio
    from fourresp.badges._emblem import (
        DETAILED_FROM,
        THEMES,
        Theme,
        emblem,
        verdict_badge,
    )
    from fourresp.badges._metrics import text_width
    from fourresp.badges._openbadges import (
        OB2_CONTEXT,
        OB3_CONTEXTS,
        hashed_identity,
        ob2_assertion,
        ob2_badge_class,
        ob2_issuer,
        ob3_credential,
    )
    from fourresp.badges._raster import to_png
    from fourresp.badges._shields import MAX_TEXT, STYLES, Logo, badge
    from fourresp.badges._signing import sign_credential, verify_credential
else:
    # Each name's module is imported when the name is first used (see fourresp._public).
    __getattr__, __dir__ = lazy(
        __name__,
        {
            "_baking": (
                "OB2_NAMESPACE",
                "OB3_NAMESPACE",
                "BakedBadge",
                "bake",
                "unbake",
            ),
            "_colours": (
                "COLOURS",
                "contrast_ratio",
            ),
            "_emblem": (
                "DETAILED_FROM",
                "THEMES",
                "Theme",
                "emblem",
                "verdict_badge",
            ),
            "_metrics": ("text_width",),
            "_openbadges": (
                "OB2_CONTEXT",
                "OB3_CONTEXTS",
                "hashed_identity",
                "ob2_assertion",
                "ob2_badge_class",
                "ob2_issuer",
                "ob3_credential",
            ),
            "_raster": ("to_png",),
            "_shields": (
                "MAX_TEXT",
                "STYLES",
                "Logo",
                "badge",
            ),
            "_signing": (
                "sign_credential",
                "verify_credential",
            ),
        },
    )

__all__ = [
    "COLOURS",
    "DETAILED_FROM",
    "MAX_TEXT",
    "OB2_CONTEXT",
    "OB2_NAMESPACE",
    "OB3_CONTEXTS",
    "OB3_NAMESPACE",
    "STYLES",
    "THEMES",
    "BakedBadge",
    "Logo",
    "Theme",
    "badge",
    "bake",
    "contrast_ratio",
    "emblem",
    "hashed_identity",
    "ob2_assertion",
    "ob2_badge_class",
    "ob2_issuer",
    "ob3_credential",
    "sign_credential",
    "text_width",
    "to_png",
    "unbake",
    "verdict_badge",
    "verify_credential",
]
