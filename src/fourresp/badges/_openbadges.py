"""Open Badges objects: 2.0 Issuer, BadgeClass and Assertion; a 3.0 OpenBadgeCredential.

These build the JSON(-LD) the specifications define, as plain dicts ready for
:func:`json.dumps` or :func:`~fourresp.badges.bake`. Recipients are identified by
a salted SHA-256 hash of their e-mail address (``sha256$`` + hex digest of the
address, exactly as issued, followed by the salt), never by the address itself.
The address is not lower-cased: verifiers (the 1EdTech validator among them)
hash the address the earner presents as it is, so an address issued as
``Ada@Example.org`` must be hashed with its capitals to match. The app
supplies the salt and the time: the library keeps no clock and draws no random
numbers (``secrets.token_hex(16)`` makes a good salt).

A 3.0 credential is returned unsigned; pass ``signer`` (a function of the
credential) to have it signed by the app's own key: it returns either the
credential with a ``proof`` added (bake it as the payload) or a compact JWT (bake
it as ``verify``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fourresp._checks import absolute_iri, non_empty_text
from fourresp.errors import ArgumentError

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "OB2_CONTEXT",
    "OB3_CONTEXTS",
    "hashed_identity",
    "ob2_assertion",
    "ob2_badge_class",
    "ob2_issuer",
    "ob3_credential",
]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB3_CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SALT = re.compile(r"[\x21-\x7e]{8,128}")


def _timestamp(value: datetime | str, field: str) -> str:
    from datetime import datetime  # (hashlib below too) imported when first needed

    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ArgumentError(f"{field} needs a timezone (e.g. datetime.now(timezone.utc))")
        return value.isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return value
    raise ArgumentError(f"{field} must be an ISO 8601 date and time with a timezone")


def hashed_identity(email: str, salt: str) -> str:
    """``sha256$`` and the hex SHA-256 of the e-mail (as given, trimmed) followed by ``salt``.

    The address keeps its case: ``Ada@Example.org`` and ``ada@example.org`` hash
    differently, as the Open Badges verifiers expect. Issue with the address the
    earner will present.

    >>> import hashlib
    >>> from fourresp.badges import hashed_identity
    >>> identity = hashed_identity("Ada@Example.org", "deadbeefcafe")
    >>> identity == "sha256$" + hashlib.sha256(b"Ada@Example.orgdeadbeefcafe").hexdigest()
    True
    """
    if not isinstance(email, str) or not _EMAIL.fullmatch(email.strip()):
        raise ArgumentError("the recipient must be an e-mail address")
    if not isinstance(salt, str) or not _SALT.fullmatch(salt):
        raise ArgumentError("the salt is 8 to 128 printable ASCII characters, no spaces")
    try:
        encoded = (email.strip() + salt).encode("utf-8")
    except UnicodeEncodeError:
        raise ArgumentError("the recipient holds a character UTF-8 cannot write") from None
    import hashlib

    digest = hashlib.sha256(encoded).hexdigest()
    return f"sha256${digest}"


def ob2_issuer(*, id: str, name: str, url: str, email: str | None = None) -> dict[str, Any]:
    """An Open Badges 2.0 Issuer (Profile)."""
    issuer = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": absolute_iri(id, "the issuer id"),
        "name": non_empty_text(name, "the issuer name"),
        "url": absolute_iri(url, "the issuer url"),
    }
    if email is not None:
        if not isinstance(email, str) or not _EMAIL.fullmatch(email):
            raise ArgumentError("the issuer email must be an e-mail address")
        issuer["email"] = email
    return issuer


def ob2_badge_class(
    *,
    id: str,
    name: str,
    description: str,
    image: str,
    issuer: str | dict[str, Any],
    criteria_url: str | None = None,
    criteria_narrative: str | None = None,
) -> dict[str, Any]:
    """An Open Badges 2.0 BadgeClass; criteria as a URL, a narrative, or both."""
    if criteria_url is None and criteria_narrative is None:
        raise ArgumentError("a badge class needs criteria: a URL, a narrative, or both")
    criteria: dict[str, Any] = {}
    if criteria_url is not None:
        criteria["id"] = absolute_iri(criteria_url, "the criteria url")
    if criteria_narrative is not None:
        criteria["narrative"] = non_empty_text(criteria_narrative, "the criteria narrative")
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": absolute_iri(id, "the badge class id"),
        "name": non_empty_text(name, "the badge name"),
        "description": non_empty_text(description, "the badge description"),
        "image": absolute_iri(image, "the badge image"),
        "criteria": criteria,
        "issuer": issuer if isinstance(issuer, dict) else absolute_iri(issuer, "the issuer"),
    }


def ob2_assertion(
    *,
    id: str,
    badge: str | dict[str, Any],
    recipient_email: str,
    salt: str,
    issued_on: datetime | str,
    evidence: str | None = None,
    expires: datetime | str | None = None,
) -> dict[str, Any]:
    """An Open Badges 2.0 Assertion with a hashed e-mail recipient and hosted verification."""
    assertion: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": absolute_iri(id, "the assertion id"),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": hashed_identity(recipient_email, salt),
        },
        "badge": badge if isinstance(badge, dict) else absolute_iri(badge, "the badge"),
        "verification": {"type": "hosted"},
        "issuedOn": _timestamp(issued_on, "issued_on"),
    }
    if evidence is not None:
        assertion["evidence"] = absolute_iri(evidence, "the evidence")
    if expires is not None:
        assertion["expires"] = _timestamp(expires, "expires")
    return assertion


def ob3_credential(
    *,
    id: str,
    issuer_id: str,
    issuer_name: str,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    criteria_narrative: str,
    recipient_email: str,
    salt: str,
    valid_from: datetime | str,
    image: str | None = None,
    signer: Callable[[dict[str, Any]], dict[str, Any] | str] | None = None,
) -> dict[str, Any] | str:
    """An Open Badges 3.0 ``OpenBadgeCredential``, unsigned unless ``signer`` is given.

    The recipient is an ``IdentityObject`` with a salted e-mail hash. ``signer``
    receives the unsigned credential and returns the signed one (a dict with a
    ``proof``) or a compact JWT; its result is returned as it is.
    """
    achievement: dict[str, Any] = {
        "id": absolute_iri(achievement_id, "the achievement id"),
        "type": ["Achievement"],
        "name": non_empty_text(achievement_name, "the achievement name"),
        "description": non_empty_text(achievement_description, "the achievement description"),
        "criteria": {"narrative": non_empty_text(criteria_narrative, "the criteria narrative")},
    }
    if image is not None:
        achievement["image"] = {"id": absolute_iri(image, "the image"), "type": "Image"}
    credential: dict[str, Any] = {
        "@context": list(OB3_CONTEXTS),
        "id": absolute_iri(id, "the credential id"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": absolute_iri(issuer_id, "the issuer id"),
            "type": ["Profile"],
            "name": non_empty_text(issuer_name, "the issuer name"),
        },
        "validFrom": _timestamp(valid_from, "valid_from"),
        "name": achievement["name"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": hashed_identity(recipient_email, salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": achievement,
        },
    }
    if signer is None:
        return credential
    if not callable(signer):
        raise ArgumentError("signer is a function of the unsigned credential")
    signed = signer(credential)
    if not isinstance(signed, dict | str):
        raise ArgumentError("a signer returns the signed credential (a dict) or a compact JWT")
    return signed
