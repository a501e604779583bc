"""Open Badges 3.0 credentials signed as VC-JWTs with the app's own Ed25519 key.

The Open Badges 3.0 JSON Web Token proof format: a compact JWS whose payload is
the credential itself (its members at the top level), with the registered claims
derived from it: ``iss`` (the issuer's id), ``jti`` (the credential's id),
``nbf`` (``validFrom`` in seconds since 1970), ``exp`` (``validUntil``, when
there is one) and ``sub`` (``credentialSubject.id``, when there is one). The
header is ``{"alg": "EdDSA", "typ": "JWT"}`` (``EdDSA`` is the name verifiers
know today; ``Ed25519``, RFC 9864's newer name, is accepted when verifying) with
the public key as ``jwk`` and, when given, a ``kid``.

The key never leaves the app: :func:`sign_credential` takes a
``cryptography`` ``Ed25519PrivateKey`` (or its PEM), :func:`verify_credential`
the matching public key (or its PEM); the library fetches nothing. Needs the
``signing`` extra: ``pip install 'fourresp[signing]'``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from fourresp.errors import ArgumentError, MissingExtraError

if TYPE_CHECKING:
    from datetime import datetime

    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = ["sign_credential", "verify_credential"]

_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")
_MAX_TOKEN = 4 * 1024 * 1024


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError as exc:
        raise MissingExtraError(
            f"signing needs the signing extra: pip install 'fourresp[signing]' ({exc})"
        ) from None
    return ed25519


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    if not text or any(c not in _ALPHABET for c in text) or len(text) % 4 == 1:
        raise ArgumentError(f"the JWT's {what} is not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ArgumentError(f"the JWT's {what} is not base64url") from None


_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _seconds(value: Any, field: str) -> int:
    if not isinstance(value, str):
        raise ArgumentError(f"the credential's {field} is an ISO 8601 date and time")
    from datetime import datetime  # imported when a credential is first read

    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ArgumentError(f"the credential's {field} is an ISO 8601 date and time with a zone")
    return int(parsed.timestamp())


def _claims(credential: dict[str, Any]) -> dict[str, Any]:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str):
        raise ArgumentError("the credential has no issuer id")
    claims: dict[str, Any] = {"iss": issuer_id, "jti": credential.get("id")}
    claims["nbf"] = _seconds(credential.get("validFrom"), "validFrom")
    if "validUntil" in credential:
        claims["exp"] = _seconds(credential["validUntil"], "validUntil")
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("id"), str):
        claims["sub"] = subject["id"]
    return claims


_Key = TypeVar("_Key")


def _private(key: Any) -> Ed25519PrivateKey:
    def read(data: bytes) -> object:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        return load_pem_private_key(data, None)

    wanted: type[Ed25519PrivateKey] = _crypto().Ed25519PrivateKey
    return _key(
        key,
        wanted,
        read,
        "the private key is not an unencrypted PEM key",
        "the signing key is an Ed25519 private key (or its PEM)",
    )


def _public(key: Any) -> Ed25519PublicKey:
    def read(data: bytes) -> object:
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        return load_pem_public_key(data)

    wanted: type[Ed25519PublicKey] = _crypto().Ed25519PublicKey
    return _key(
        key,
        wanted,
        read,
        "the public key is not a PEM key",
        "the verifying key is an Ed25519 public key (or its PEM)",
    )


def _key(
    key: object, wanted: type[_Key], read: Callable[[bytes], object], unreadable: str, wrong: str
) -> _Key:
    """``key`` when it is a ``wanted`` key or the PEM of one; :class:`ArgumentError` otherwise."""
    if isinstance(key, wanted):
        return key
    if isinstance(key, str | bytes):
        try:
            loaded = read(key.encode() if isinstance(key, str) else key)
        except (ValueError, TypeError) as exc:
            raise ArgumentError(f"{unreadable}: {exc}") from None
        if isinstance(loaded, wanted):
            return loaded
    raise ArgumentError(wrong)


def sign_credential(
    credential: dict[str, Any],
    private_key: Ed25519PrivateKey | str | bytes,
    *,
    kid: str | None = None,
) -> str:
    """The Open Badges 3.0 ``credential`` signed as a compact VC-JWT (EdDSA, Ed25519).

    ``credential`` is an unsigned credential such as :func:`ob3_credential`
    returns; bake the token with ``bake(svg, verify=token, version="3.0")``.
    ``kid`` names the key for verifiers (e.g. a DID URL). Raises
    :class:`~fourresp.errors.ArgumentError` when the credential is not an Open
    Badges 3.0 credential or the key is not an Ed25519 private key.

    >>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    >>> from fourresp.badges import ob3_credential, sign_credential, verify_credential
    >>> key = Ed25519PrivateKey.generate()
    >>> credential = ob3_credential(
    ...     id="urn:uuid:2f3c4d5e-0000-4000-8000-000000000001",
    ...     issuer_id="https://example.org/issuer", issuer_name="Example",
    ...     achievement_id="https://example.org/achievements/pledge",
    ...     achievement_name="Supporter", achievement_description="Pledged.",
    ...     criteria_narrative="Sign the pledge.", recipient_email="ada@example.org",
    ...     salt="0123456789abcdef", valid_from="2026-11-29T10:00:00Z")
    >>> token = sign_credential(credential, key)
    >>> verify_credential(token, key.public_key()) == credential
    True
    """
    from fourresp.badges._baking import _check_kind, check_json

    if not isinstance(credential, dict):
        raise ArgumentError("sign_credential takes a credential (a dict)")
    check_json(credential, "the credential")
    _check_kind(credential, "3.0")
    if "proof" in credential:
        raise ArgumentError("the credential already has a proof; sign the unsigned credential")
    if kid is not None and (not isinstance(kid, str) or not kid):
        raise ArgumentError("kid is a non-empty string")
    key = _private(private_key)
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    header: dict[str, Any] = {
        "alg": "EdDSA",
        "typ": "JWT",
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": _b64(public)},
    }
    if kid is not None:
        header["kid"] = kid
    claims = _claims(credential)
    clash = [name for name in _CLAIMS if name in credential]
    if clash:
        raise ArgumentError(f"the credential holds JWT claim names: {', '.join(clash)}")
    payload = {**credential, **claims}
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64(json.dumps(payload, separators=(",", ":")).encode("ascii"))
    )
    signature = key.sign(signing_input.encode("ascii"))
    return signing_input + "." + _b64(signature)


def verify_credential(
    token: str,
    public_key: Ed25519PublicKey | str | bytes,
    *,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The credential a VC-JWT carries, once its EdDSA signature and claims check out.

    The signature must verify with ``public_key`` (the issuer's, supplied by the
    app: the ``jwk`` in the header is never trusted), ``alg`` must be ``EdDSA``
    (or ``Ed25519``, its fully specified name in RFC 9864),
    the payload must be an Open Badges 3.0 credential, and ``iss``, ``jti``,
    ``nbf``, ``exp`` and ``sub`` must agree with it. With ``at`` (an aware
    datetime), the credential must be valid then (``nbf`` <= at < ``exp``).
    Returns the credential without the JWT claims. Raises
    :class:`~fourresp.errors.ArgumentError` saying what failed.
    """
    if not isinstance(token, str) or len(token) > _MAX_TOKEN:
        raise ArgumentError("the token is a compact JWT (text of at most 4 MiB)")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ArgumentError("the token is not a compact JWT (three dot-separated parts)")
    key = _public(public_key)
    header_bytes = _unb64(parts[0], "header")
    payload_bytes = _unb64(parts[1], "payload")
    signature = _unb64(parts[2], "signature")
    try:
        header = json.loads(header_bytes)
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (ValueError, RecursionError):
        raise ArgumentError("the JWT's header or payload is not JSON") from None
    if not isinstance(header, dict) or header.get("alg") not in ("EdDSA", "Ed25519"):
        raise ArgumentError("the JWT is not signed with Ed25519 (its header's alg)")
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature:
        raise ArgumentError("the JWT's signature does not verify with this key") from None
    if not isinstance(payload, dict):
        raise ArgumentError("the JWT's payload is not a credential")
    credential = {key: value for key, value in payload.items() if key not in _CLAIMS}
    from fourresp.badges._baking import _check_kind, check_json

    check_json(credential, "the credential")
    _check_kind(credential, "3.0")
    expected = _claims(credential)
    for name in _CLAIMS:
        if payload.get(name) != expected.get(name):
            raise ArgumentError(f"the JWT's {name} claim does not match the credential")
    if at is not None:
        if at.tzinfo is None:
            raise ArgumentError("at needs a timezone")
        now = at.timestamp()
        if now < expected["nbf"]:
            raise ArgumentError("the credential is not valid yet (nbf)")
        if "exp" in expected and now >= expected["exp"]:
            raise ArgumentError("the credential has expired (exp)")
    return credential
