"""The four responsibilities as typed, versioned content.

>>> from fourresp.content import load_framework
>>> framework = load_framework()
>>> [r.id for r in framework.responsibilities]
['client', 'learners', 'peers', 'self']
>>> len(framework.aspects)
20
"""

from typing import TYPE_CHECKING

from fourresp._public import lazy

if TYPE_CHECKING:
    from fourresp.content._models import (
        Aspect,
        Book,
        BookFormat,
        Framework,
        Introduction,
        Licence,
        Pledge,
        Resources,
        Responsibility,
        Share,
    )
    from fourresp.content._pack import (
        check_translation,
        default_pack_path,
        load_framework,
        validate_pack,
    )
    from fourresp.content._share import ShareLinks, share_links
    from fourresp.content._text import framework_text
else:
    # Each name's module is imported when the name is first used (see fourresp._public).
    __getattr__, __dir__ = lazy(
        __name__,
        {
            "_models": (
                "Aspect",
                "Book",
                "BookFormat",
                "Framework",
                "Introduction",
                "Licence",
                "Pledge",
                "Resources",
                "Responsibility",
                "Share",
            ),
            "_pack": (
                "check_translation",
                "default_pack_path",
                "load_framework",
                "validate_pack",
            ),
            "_share": (
                "ShareLinks",
                "share_links",
            ),
            "_text": ("framework_text",),
        },
    )

__all__ = [
    "Aspect",
    "Book",
    "BookFormat",
    "Framework",
    "Introduction",
    "Licence",
    "Pledge",
    "Resources",
    "Responsibility",
    "Share",
    "ShareLinks",
    "check_translation",
    "default_pack_path",
    "framework_text",
    "load_framework",
    "share_links",
    "validate_pack",
]
