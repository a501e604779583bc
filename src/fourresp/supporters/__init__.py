"""Supporters: the list of people who pledged to the four responsibilities.

"Ready to show the world your commitment to the four responsibilities? Add your
name to the list of supporters and display the badge."

- :class:`Pledge` (``kind: pledge``) and :func:`clean_pledge`: what a person gives,
  with documented rules for untrusted text;
- :func:`open_registry`: a path (SQLite, the embedded default) or a
  ``postgresql://`` URL (PostgreSQL, the ``postgres`` extra), both with the same
  methods (:class:`fourresp.supporters.SupporterRegistry`): ``add`` (idempotent per
  e-mail, key, or else name, organisation, role and country), ``get``, ``find``,
  ``withdraw`` (erasure for good, and withdrawn people stay out of later imports),
  ``list_public`` (stable order, cursors; :data:`PUBLIC_FIELDS` is all it may
  show), ``count``, ``search`` (name prefix, any case or accent), ``export_to`` and
  ``import_from`` (JSON Lines or CSV, streamed, all or nothing);
- :func:`supporter_badge`: the emblem with the supporter's name and year.

E-mail addresses are stored only as salted hashes unless ``keep_emails=True``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from fourresp._public import lazy

if TYPE_CHECKING:
    from fourresp.supporters._badge import supporter_badge
    from fourresp.supporters._countries import COUNTRY_CODES
    from fourresp.supporters._models import (
        MAX_NAME,
        MAX_ORGANISATION,
        Page,
        Pledge,
        Supporter,
        clean_pledge,
        normalise_email,
    )
    from fourresp.supporters._protocol import SupporterRegistry
    from fourresp.supporters._registry import PUBLIC_FIELDS
    from fourresp.supporters._sqlite import SQLiteRegistry
else:
    # Each name's module is imported when the name is first used (see fourresp._public).
    __getattr__, __dir__ = lazy(
        __name__,
        {
            "_badge": ("supporter_badge",),
            "_countries": ("COUNTRY_CODES",),
            "_models": (
                "MAX_NAME",
                "MAX_ORGANISATION",
                "Page",
                "Pledge",
                "Supporter",
                "clean_pledge",
                "normalise_email",
            ),
            "_protocol": ("SupporterRegistry",),
            "_registry": ("PUBLIC_FIELDS",),
            "_sqlite": ("SQLiteRegistry",),
        },
    )

__all__ = [
    "COUNTRY_CODES",
    "MAX_NAME",
    "MAX_ORGANISATION",
    "PUBLIC_FIELDS",
    "Page",
    "Pledge",
    "SQLiteRegistry",
    "Supporter",
    "SupporterRegistry",
    "clean_pledge",
    "normalise_email",
    "open_registry",
    "supporter_badge",
]


def open_registry(
    target: str | os.PathLike[str] = ":memory:",
    *,
    keep_emails: bool = False,
    salt: str | None = None,
) -> SupporterRegistry:
    """The supporters registry at ``target``: a ``postgresql://`` URL, or a SQLite path.

    ``keep_emails`` stores addresses in plain as well as hashed (off by default).
    ``salt`` (64 hex digits) fixes the hashing salt of a new registry; by default a
    random one is made when the registry is created, and kept in it.

    >>> from fourresp.supporters import Pledge, open_registry
    >>> with open_registry() as registry:
    ...     ada = registry.add(Pledge(name="Ada Lovelace", email="ada@example.org",
    ...         public=True, pledged_on="2026-11-29", framework_version="1.0.0"))
    ...     again = registry.add(Pledge(name="Ada L.", email="ADA@example.org",
    ...         pledged_on="2026-11-30", framework_version="1.0.0"))
    ...     (ada.id == again.id, registry.count())
    (True, 1)
    """
    text = os.fspath(target)
    if text.startswith(("postgresql://", "postgres://")):
        from fourresp.supporters._postgres import PostgresRegistry

        return PostgresRegistry(text, keep_emails=keep_emails, salt=salt)
    from fourresp.supporters._sqlite import SQLiteRegistry

    return SQLiteRegistry(text, keep_emails=keep_emails, salt=salt)
