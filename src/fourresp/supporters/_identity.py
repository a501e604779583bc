"""Who a supporter is, kept as HMACs: e-mail hashes, identities, folded names."""

from __future__ import annotations

import unicodedata
from typing import Any

from fourresp.supporters._models import ImportedPledge, Pledge

__all__ = ["EmailHasher", "identity_of", "is_hex", "is_withdrawn", "name_key"]


def name_key(name: str) -> str:
    """What name searches compare: the name folded for case, accents and compatibility forms.

    >>> name_key("Ümit Çelik") == name_key("umit celik")
    True
    """
    if name.isascii():  # nothing to decompose, and casefold is lower there
        return name.lower()
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare.casefold())


class EmailHasher:
    """HMAC-SHA256 under one key, as hex: how e-mail addresses and identities are kept.

    The key is prepared once (:func:`hmac.new`), and each message is hashed on a copy.
    """

    __slots__ = ("_mac",)

    def __init__(self, key: bytes) -> None:
        import hmac  # (with OpenSSL's hashes) imported when a registry first hashes

        self._mac = hmac.new(key, digestmod="sha256")

    def hex(self, message: bytes) -> str:
        """The HMAC of ``message``, as 64 hex digits."""
        mac = self._mac.copy()
        mac.update(message)
        return mac.hexdigest()

    def key_identity(self, key: str) -> str:
        """The identity of a pledge known by the app's ``key``."""
        return self.hex(b"key\0" + key.encode())

    def content_identity(self, name: str, organisation: Any, role: Any, country: Any) -> str:
        """The identity of a pledge with neither e-mail nor key: what the public list shows."""
        parts = (name_key(name), organisation or "", role or "", country or "")
        return self.hex(b"pledge\0" + "\x1f".join(parts).encode())


def identity_of(
    hasher: EmailHasher,
    email_hash: str | None,
    key: str | None,
    pledge: Pledge | ImportedPledge,
    changes: dict[str, Any] | None = None,
) -> str:
    if email_hash is not None:
        return email_hash
    if key is not None:
        return hasher.key_identity(key)
    fields = changes or {}
    return hasher.content_identity(
        fields.get("name", pledge.name),
        fields.get("organisation", pledge.organisation),
        fields.get("role", pledge.role),
        fields.get("country", pledge.country),
    )


def is_withdrawn(hasher: EmailHasher, hashes: tuple[Any, ...], withdrawn: set[str]) -> bool:
    identity, email_hash, key = hashes
    return (
        identity in withdrawn
        or email_hash in withdrawn
        or (key is not None and hasher.key_identity(key) in withdrawn)
    )


def is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return True
