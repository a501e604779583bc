"""The supporters tables: their columns (from the attrs fields) and migrations."""

from __future__ import annotations

import attrs

from fourresp.supporters._models import Pledge, Supporter

__all__ = [
    "COLUMNS",
    "IDENTITY_INDEX",
    "PLEDGE_FIELDS",
    "PUBLIC_FIELDS",
    "SELECT",
    "STORED",
    "first_migration",
    "second_migration",
]

#: The columns of an export: the fields of :class:`Supporter`, in their order.
COLUMNS = tuple(field.name for field in attrs.fields(Supporter))
#: What the public list shows of a supporter (never e-mail, hash or the app's key).
PUBLIC_FIELDS = ("id", "name", "organisation", "role", "country", "pledged_on", "framework_version")
PLEDGE_FIELDS = frozenset(field.name for field in attrs.fields(Pledge))
# Supporter fields whose column has another name in the table.
COLUMN_OF = {"key": "pledge_key"}
# The stored columns, in the order rows are built: the pledge's fields (the e-mail
# and key under their column names), then what the registry derives from them.
STORED = (
    *(COLUMN_OF.get(name, name) for name in COLUMNS if name != "id"),
    "name_key",
    "identity",
)
SELECT = "SELECT " + ", ".join(COLUMN_OF.get(name, name) for name in COLUMNS) + " FROM supporters"
#: The unique index on identities that migration 2 makes once the rows have them.
IDENTITY_INDEX = "CREATE UNIQUE INDEX supporters_identity ON supporters (identity)"


def first_migration(*, id_column: str, boolean: str) -> tuple[str, ...]:
    """The statements of migration 1, in a storage's dialect (its id column, its boolean)."""
    return (
        f"""CREATE TABLE supporters (
            id {id_column},
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            organisation TEXT,
            role TEXT,
            country TEXT,
            email TEXT,
            email_hash TEXT UNIQUE,
            pledge_key TEXT UNIQUE,
            public {boolean} NOT NULL,
            pledged_on TEXT NOT NULL,
            framework_version TEXT NOT NULL
        )""",
        "CREATE INDEX supporters_public ON supporters (public, id)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )


def second_migration() -> tuple[str, ...]:
    """Migration 2: every supporter's identity, and the HMACs of withdrawn identities.

    The identities and folded names of existing rows are filled in by
    :meth:`SQLRegistry._backfill` before the unique index is made.
    """
    return (
        "ALTER TABLE supporters ADD COLUMN identity TEXT",
        "CREATE TABLE withdrawn (hash TEXT PRIMARY KEY)",
    )
