"""Who a supporter is, kept as HMACs: e-mail hashes, identities, folded names."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

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
    hasher: EmailHasher, email_hash: str | None, key: str | None, values: Mapping[str, Any]
) -> str:
    """Who a pledge is (its cleaned fields in ``values``): its e-mail hash, else its key's
    HMAC, else the HMAC of what the public list shows of the person."""
    if email_hash is not None:
        return email_hash
    if key is not None:
        return hasher.key_identity(key)
    return hasher.content_identity(
        values["name"], values.get("organisation"), values.get("role"), values.get("country")
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
