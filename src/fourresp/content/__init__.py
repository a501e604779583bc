"""The four responsibilities as typed, versioned content.

>>> from fourresp.content import load_framework
>>> framework = load_framework()
>>> [r.id for r in framework.responsibilities]
['client', 'learners', 'peers', 'self']
>>> len(framework.aspects)
20
"""

from fourresp._public import publish
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

publish(__name__, globals())
