"""Open Badges: PNG baking, hostile images and payloads, hashing, signing, real tools."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pathlib
import struct
import zlib
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp.badges import (
    badge,
    bake,
    emblem,
    hashed_identity,
    ob2_assertion,
    ob2_badge_class,
    ob2_issuer,
    ob3_credential,
    unbake,
    verdict_badge,
)
from fourresp.cli import main
from fourresp.errors import ArgumentError, DocumentError
from node_tools import run_node

pytest.importorskip("cairosvg")
from fourresp.badges import to_png

ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://example.org/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "ada@example.org"},
    "badge": "https://example.org/badges/pledge",
    "verification": {"type": "hosted"},
    "issuedOn": "2026-11-29T10:00:00Z",
}
CREDENTIAL_ARGUMENTS = {
    "id": "urn:uuid:6a1c0f1e-0000-4000-8000-000000000003",
    "issuer_id": "https://example.org/issuer",
    "issuer_name": "Example",
    "achievement_id": "https://example.org/achievements/pledge",
    "achievement_name": "Supporter",
    "achievement_description": "Pledged to the four responsibilities.",
    "criteria_narrative": "Sign the pledge.",
    "recipient_email": "Ada@Example.org",
    "salt": "0123456789abcdef",
    "valid_from": "2026-11-29T10:00:00Z",
}
CREDENTIAL = ob3_credential(**CREDENTIAL_ARGUMENTS)
EXAMPLES = {"2.0": ASSERTION, "3.0": CREDENTIAL}
PNG = to_png(badge("pledge", "signed"))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def _chunk_types(png: bytes) -> list[bytes]:
    types, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        types.append(png[offset + 4 : offset + 8])
        offset += 12 + length
    return types


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# -- PNG baking ----------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(json_values, st.sampled_from(["2.0", "3.0"]))
def test_png_bake_then_unbake_gives_the_same_json_in_one_chunk(extra, version):
    payload = {**EXAMPLES[version], "extra": extra}
    baked = bake(PNG, payload)
    found = unbake(baked)
    assert (found.version, found.payload) == (version, payload)
    again = bake(baked, payload)
    assert _chunk_types(again).count(b"iTXt") == 1
    assert again == baked  # replaced, not duplicated


def test_png_keywords_follow_the_baking_specifications():
    from PIL import Image

    assert "openbadges" in Image.open(io.BytesIO(bake(PNG, ASSERTION))).info
    assert "openbadgecredential" in Image.open(io.BytesIO(bake(PNG, CREDENTIAL))).info
    signed = bake(PNG, verify="h.p.s")  # a bare JWT is a 3.0 credential
    assert unbake(signed).verify == "h.p.s"
    assert unbake(signed).version == "3.0"
    rebaked = bake(signed, ASSERTION)  # the 3.0 chunk is gone, not kept alongside
    assert _chunk_types(rebaked).count(b"iTXt") == 1
    assert unbake(rebaked).version == "2.0"
    assert unbake(PNG) is None


def test_to_png_keeps_what_the_svg_carries():
    svg = bake(badge("a", "b"), ASSERTION)
    assert unbake(to_png(svg)).payload == ASSERTION
    assert unbake(to_png(svg, bake=False)) is None
    signed = bake(badge("a", "b"), verify="h.p.s")
    assert unbake(to_png(signed, width=100)).verify == "h.p.s"


def _hostile_pngs() -> dict[str, bytes]:
    ihdr_end = 8 + 12 + 13
    body = PNG[8:]
    bomb = zlib.compress(b"{" + b" " * (64 * 1024 * 1024), 9)
    return {
        "garbage": os.urandom(64),
        "signature only": PNG[:8],
        "cut short": PNG[: len(PNG) // 2],
        "bad crc": PNG[:-1] + bytes([PNG[-1] ^ 1]),
        "huge length": PNG[:8] + struct.pack(">I", 0x7FFFFFF0) + body[4:],
        "no IEND": PNG[:-12],
        "data after IEND": PNG + b"trailing",
        "no IHDR": PNG[:8] + PNG[ihdr_end:],
        "bomb": PNG[:ihdr_end] + _chunk(b"iTXt", b"openbadges\0\1\0\0\0" + bomb) + PNG[ihdr_end:],
        "bad flag": PNG[:ihdr_end] + _chunk(b"iTXt", b"openbadges\0\7\0\0\0{}") + PNG[ihdr_end:],
        "deep json": PNG[:ihdr_end]
        + _chunk(b"iTXt", b"openbadges\0\0\0\0\0" + b"[" * 100_000 + b"]" * 100_000)
        + PNG[ihdr_end:],
        "huge int": PNG[:ihdr_end]
        + _chunk(b"iTXt", b'openbadges\0\0\0\0\0{"a":' + b"9" * 5001 + b"}")
        + PNG[ihdr_end:],
        "not utf-8": PNG[:ihdr_end]
        + _chunk(b"iTXt", b"openbadges\0\0\0\0\0\xff\xfe")
        + PNG[ihdr_end:],
    }


@pytest.mark.parametrize("name", sorted(_hostile_pngs()))
def test_hostile_pngs_are_refused_cleanly(name, tmp_path, capsys):
    data = _hostile_pngs()[name]
    with pytest.raises(DocumentError):
        unbake(data)
    path = tmp_path / "hostile.png"
    path.write_bytes(data)
    assert main(["unbake", str(path)]) == 1
    error = capsys.readouterr().err.strip()
    assert "\n" not in error
    assert str(path) in error
    assert "Traceback" not in error


BAKED_PNG = bake(PNG, ASSERTION)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, len(BAKED_PNG) - 1),
    st.integers(0, 255),
    st.integers(1, len(BAKED_PNG)),
    st.booleans(),
)
def test_any_damaged_png_is_read_or_refused_cleanly(at, value, cut, fix_crc):
    damaged = bytearray(BAKED_PNG[:cut])
    if at < len(damaged):
        damaged[at] = value
    if fix_crc:  # let the damage past the CRC check, into the chunk readers
        offset = 8
        while offset + 12 <= len(damaged):
            (length,) = struct.unpack(">I", damaged[offset : offset + 4])
            end = offset + 8 + length
            if end + 4 > len(damaged):
                break
            damaged[end : end + 4] = struct.pack(">I", zlib.crc32(damaged[offset + 4 : end]))
            offset = end + 4
    try:
        found = unbake(bytes(damaged))
    except DocumentError:
        return
    assert found is None or found.version in ("2.0", "3.0")


def test_a_compressed_chunk_within_bounds_is_read():
    ihdr_end = 8 + 12 + 13
    text = json.dumps(ASSERTION).encode()
    png = (
        PNG[:ihdr_end]
        + _chunk(b"iTXt", b"openbadges\0\1\0\0\0" + zlib.compress(text))
        + PNG[ihdr_end:]
    )
    assert unbake(png).payload == ASSERTION


# -- what bake accepts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "version", "message"),
    [
        ({"foo": 1}, None, "Assertion"),
        ({"foo": 1}, "3.0", "credential"),
        (ASSERTION, "3.0", "version '2.0'"),
        (CREDENTIAL, "2.0", "version '3.0'"),
        ({k: v for k, v in ASSERTION.items() if k != "recipient"}, None, "recipient"),
        ({k: v for k, v in CREDENTIAL.items() if k != "validFrom"}, None, "validFrom"),
        ({k: v for k, v in CREDENTIAL.items() if k != "name"}, None, "name"),
        ({**CREDENTIAL, "@context": ["https://w3id.org/openbadges/v2"]}, "3.0", "@context"),
        ([ASSERTION], None, "JSON object"),
        ({**ASSERTION, "x": (1, 2)}, None, "tuple"),
        ({**ASSERTION, "x": {1: 2}}, None, "key"),
        ({**ASSERTION, "x": float("nan")}, None, "nan"),
        ({**ASSERTION, "x": 10**5000}, None, "digits"),
    ],
)
def test_bake_refuses_what_is_not_an_assertion_or_credential(payload, version, message):
    for image in (badge("a", "b"), PNG):
        with pytest.raises(ArgumentError, match=message):
            bake(image, payload, version=version)


def test_a_deep_payload_is_refused_cleanly():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ArgumentError, match="deeper"):
        bake(badge("a", "b"), {**ASSERTION, "x": deep})
    svg = badge("a", "b").replace(
        "<title>",
        '<ob:assertion xmlns:ob="http://openbadges.org"><![CDATA['
        + "[" * 100_000
        + "]" * 100_000
        + "]]></ob:assertion><title>",
        1,
    )
    with pytest.raises(DocumentError):
        unbake(svg)


def test_cli_bake_of_hostile_payloads_is_one_line(tmp_path, capsys):
    svg = tmp_path / "badge.svg"
    svg.write_text(badge("a", "b"))
    for name, text in {
        "deep": "[" * 100_000 + "]" * 100_000,
        "digits": '{"a": ' + "9" * 5001 + "}",
        "not an assertion": '{"foo": 1}',
    }.items():
        payload = tmp_path / f"{name}.json"
        payload.write_text(text)
        assert main(["bake", str(svg), str(payload)]) == 1, name
        error = capsys.readouterr().err.strip()
        assert "\n" not in error, error
        assert "Traceback" not in error
        assert str(payload) in error


def test_cli_bakes_and_unbakes_png(tmp_path, capsys):
    png, payload, out = tmp_path / "b.png", tmp_path / "a.json", tmp_path / "baked.png"
    png.write_bytes(PNG)
    payload.write_text(json.dumps(ASSERTION))
    assert main(["bake", str(png), str(payload), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["unbake", str(out)]) == 0
    assert json.loads(capsys.readouterr().out) == ASSERTION
    # a PNG is written as every file is: an existing one only with --force
    assert main(["bake", str(png), "--verify", "h.p.s", "-o", str(out)]) == 1
    assert "add --force" in capsys.readouterr().err
    assert main(["bake", str(png), "--verify", "h.p.s", "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    assert main(["unbake", str(out)]) == 0
    assert capsys.readouterr().out.strip() == "h.p.s"


def test_cli_inputs_are_read_with_a_byte_cap(tmp_path, capsys, monkeypatch):
    import fourresp.cli._badges as cli_badges

    monkeypatch.setattr(cli_badges, "MAX_INPUT_BYTES", 1000)
    big = tmp_path / "big.svg"
    big.write_text(badge("a", "b") + " " * 2000)
    assert main(["unbake", str(big)]) == 1
    assert "larger than 1000 bytes" in capsys.readouterr().err


# -- SVG markup that tries to fool bake ----------------------------------------------


ROOT_TRICK = (
    '<svg xmlns="http://www.w3.org/2000/svg" '
    'data-x=" xmlns:openbadges=\'http://openbadges.org\'"><rect width="1" height="1"/></svg>'
)
OTHER_PREFIX = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:something-else">'
    '<openbadges:thing/><rect width="1" height="1"/></svg>'
)
SELF_CLOSED = '<s:svg xmlns:s="http://www.w3.org/2000/svg"/>'


@pytest.mark.parametrize("svg", [ROOT_TRICK, OTHER_PREFIX, SELF_CLOSED])
@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_bake_writes_xml_that_reads_back(svg, version):
    baked = bake(svg, EXAMPLES[version])
    ElementTree.fromstring(baked)
    assert unbake(baked).payload == EXAMPLES[version]
    assert unbake(bake(baked, EXAMPLES[version])).payload == EXAMPLES[version]


SVG_SHAPES = [
    '<svg xmlns="http://www.w3.org/2000/svg" data-x="{a}"><g/></svg>',
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- {a} -->\n'
    '<svg xmlns="http://www.w3.org/2000/svg" data-x="{a}"/>',
    '<s:svg xmlns:s="http://www.w3.org/2000/svg" data-x="{a}"><s:title>{a}</s:title></s:svg>',
    '<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"><?pi {a}?><text>{a}</text></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:x:{a}"><g/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0">'
    '<ob:credential verify="a.b.c"><![CDATA[{{}}]]></ob:credential><g data-x="{a}"/></svg>',
    "<svg xmlns='http://www.w3.org/2000/svg' data-x=' xmlns:openbadges=\"{a}\"'\n/>",
]


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(SVG_SHAPES),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    json_values,
    st.sampled_from(["2.0", "3.0"]),
    st.sampled_from([None, "h.p.s", "https://example.org/v?a=1&b=<2>"]),
)
def test_unbake_of_bake_works_for_every_input_bake_accepts(
    shape, attribute, extra, version, verify
):
    escaped = (
        attribute.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
        .replace("?>", "? >")
        .replace("--", "- -")
    )
    svg = shape.format(a=escaped)
    payload = {**EXAMPLES[version], "extra": extra}
    try:
        baked = bake(svg, payload, verify=verify)
    except (ArgumentError, DocumentError):
        return  # refused cleanly is fine; what bake accepts must read back
    ElementTree.fromstring(baked.encode("utf-8"))
    found = unbake(baked)
    assert (found.version, found.payload) == (version, payload)
    if verify is not None:
        assert found.verify == verify
    assert unbake(baked.encode("utf-8")).payload == payload
    assert unbake(bake(baked, payload, verify=verify)) == found


# -- recipients, the credential, signing ---------------------------------------------


def test_recipient_hash_keeps_the_address_as_issued():
    salt = "0123456789abcdef"
    mixed = hashed_identity("Ada@Example.org", salt)
    expected = hashlib.sha256(b"Ada@Example.org" + salt.encode()).hexdigest()
    assert mixed == f"sha256${expected}"  # what the 1EdTech validator computes
    assert mixed != hashed_identity("ada@example.org", salt)
    assert hashed_identity("  Ada@Example.org\n", salt) == mixed
    assertion = ob2_assertion(
        id="https://example.org/a/9",
        badge="https://example.org/b",
        recipient_email="Ada@Example.org",
        salt=salt,
        issued_on="2026-11-29T10:00:00Z",
    )
    assert assertion["recipient"]["identity"] == mixed
    identifier = CREDENTIAL["credentialSubject"]["identifier"][0]
    assert identifier["identityHash"] == mixed
    with pytest.raises(ArgumentError):
        hashed_identity("a\ud800@example.org", salt)


def _types(value):
    return value if isinstance(value, list) else [value]


def check_achievement_credential(credential: dict) -> None:
    """Every property OB 3.0 requires of an AchievementCredential (and what it holds)."""
    context = credential["@context"]
    assert context[0] == "https://www.w3.org/ns/credentials/v2"
    assert any(c.startswith("https://purl.imsglobal.org/spec/ob/v3p0/context") for c in context)
    assert isinstance(credential["id"], str)
    assert ":" in credential["id"]
    types = _types(credential["type"])
    assert "VerifiableCredential" in types
    assert {"AchievementCredential", "OpenBadgeCredential"} & set(types)
    assert isinstance(credential["name"], str)
    assert credential["name"]
    issuer = credential["issuer"]
    assert ":" in issuer["id"]
    assert "Profile" in _types(issuer["type"])
    datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    subject = credential["credentialSubject"]
    assert "AchievementSubject" in _types(subject["type"])
    assert "id" in subject or subject["identifier"]
    for identifier in subject.get("identifier", []):
        assert identifier["type"] == "IdentityObject"
        assert isinstance(identifier["hashed"], bool)
        assert identifier["identityType"] == "emailAddress"
        if identifier["hashed"]:
            assert identifier["identityHash"].startswith("sha256$")
    achievement = subject["achievement"]
    assert ":" in achievement["id"]
    assert "Achievement" in _types(achievement["type"])
    assert achievement["name"]
    assert achievement["description"]
    assert achievement["criteria"].get("id") or achievement["criteria"].get("narrative")


def test_the_credential_has_every_required_property():
    check_achievement_credential(CREDENTIAL)
    with_image = ob3_credential(**CREDENTIAL_ARGUMENTS, image="https://example.org/i.png")
    check_achievement_credential(with_image)
    assert with_image["credentialSubject"]["achievement"]["image"]["type"] == "Image"


def test_the_credential_validates_against_the_official_schema():
    path = os.environ.get("FOURRESP_OB3_SCHEMA")
    if not path:
        pytest.skip("FOURRESP_OB3_SCHEMA names a local copy of the OB 3.0 credential schema")
    import jsonschema

    schema = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(CREDENTIAL)


def _keys():
    ed25519 = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ed25519")
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    return key, key.public_key()


def test_signed_credential_verifies_and_tampering_does_not():
    from fourresp.badges import sign_credential, verify_credential

    key, public = _keys()
    token = sign_credential(CREDENTIAL, key, kid="https://example.org/issuer#key-1")
    assert verify_credential(token, public) == CREDENTIAL
    header, payload, signature = token.split(".")
    claims = json.loads(_unb64(payload))
    assert claims["iss"] == CREDENTIAL["issuer"]["id"]
    assert claims["jti"] == CREDENTIAL["id"]
    assert claims["nbf"] == int(datetime(2026, 11, 29, 10, tzinfo=UTC).timestamp())
    assert json.loads(_unb64(header))["alg"] == "EdDSA"
    check_achievement_credential(verify_credential(token, public))
    forged = _b64(json.dumps({**claims, "name": "Forged"}).encode())
    with pytest.raises(ArgumentError, match="signature"):
        verify_credential(f"{header}.{forged}.{signature}", public)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with pytest.raises(ArgumentError, match="signature"):
        verify_credential(token, Ed25519PrivateKey.generate().public_key())
    with pytest.raises(ArgumentError, match="not valid yet"):
        verify_credential(token, public, at=datetime(2026, 1, 1, tzinfo=UTC))
    assert verify_credential(token, public, at=datetime(2027, 1, 1, tzinfo=UTC))
    with pytest.raises(ArgumentError, match=r"2\.0 assertion"):
        sign_credential(ASSERTION, key)
    baked = bake(PNG, verify=token)
    assert verify_credential(unbake(baked).verify, public) == CREDENTIAL
    svg = bake(badge("a", "b"), verify=token)
    assert verify_credential(unbake(svg).verify, public) == CREDENTIAL


def test_keys_are_taken_as_objects_or_pem_and_anything_else_is_refused():
    from cryptography.hazmat.primitives import serialization

    from fourresp.badges import sign_credential, verify_credential

    key, public = _keys()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = sign_credential(CREDENTIAL, private_pem.decode())
    assert token == sign_credential(CREDENTIAL, key) == sign_credential(CREDENTIAL, private_pem)
    assert verify_credential(token, public_pem) == verify_credential(token, public_pem.decode())
    with pytest.raises(ArgumentError, match=r"^the private key is not an unencrypted PEM key: "):
        sign_credential(CREDENTIAL, "not a key")
    with pytest.raises(ArgumentError, match=r"^the public key is not a PEM key: "):
        verify_credential(token, b"not a key")
    for wrong in (public, 42):
        with pytest.raises(ArgumentError) as caught:
            sign_credential(CREDENTIAL, wrong)
        assert str(caught.value) == "the signing key is an Ed25519 private key (or its PEM)"
    for wrong in (key, None):
        with pytest.raises(ArgumentError) as caught:
            verify_credential(token, wrong)
        assert str(caught.value) == "the verifying key is an Ed25519 public key (or its PEM)"


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=200)
    | st.lists(st.text('AZaz09-_.{}[]"', max_size=40), min_size=3, max_size=3).map(".".join)
)
def test_any_token_verifies_or_is_refused_cleanly(token):
    from fourresp.badges import verify_credential

    _, public = _keys()
    with pytest.raises(ArgumentError):
        verify_credential(token, public)


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")
def test_tokens_agree_with_an_independent_jose_library():
    joserfc = pytest.importorskip("joserfc")
    from joserfc import jwt
    from joserfc.jwk import OKPKey

    from fourresp.badges import sign_credential, verify_credential

    key, public = _keys()
    from cryptography.hazmat.primitives import serialization

    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    jwk = OKPKey.import_key(pem)
    token = sign_credential(CREDENTIAL, pem)
    decoded = jwt.decode(token, jwk, algorithms=["EdDSA", "Ed25519"])
    assert decoded.claims["jti"] == CREDENTIAL["id"]
    theirs = jwt.encode(
        {"alg": "Ed25519"},  # the fully specified name of RFC 9864
        {
            **CREDENTIAL,
            "iss": CREDENTIAL["issuer"]["id"],
            "jti": CREDENTIAL["id"],
            "nbf": decoded.claims["nbf"],
        },
        jwk,
        algorithms=["Ed25519"],
    )
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert verify_credential(theirs, public_pem) == CREDENTIAL
    assert joserfc.__name__ == "joserfc"


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


WRONG = [5, None, [1], {"a": 1}, b"x", 1.5, True]
VALID_CALLS = {
    ob2_assertion: {
        "id": "https://example.org/a",
        "badge": "https://example.org/b",
        "recipient_email": "a@example.org",
        "salt": "0123456789abcdef",
        "issued_on": "2026-11-29T10:00:00Z",
    },
    ob3_credential: CREDENTIAL_ARGUMENTS,
    ob2_issuer: {"id": "https://example.org/i", "name": "n", "url": "https://example.org"},
    ob2_badge_class: {
        "id": "https://example.org/b",
        "name": "n",
        "description": "d",
        "image": "https://example.org/i.png",
        "issuer": "https://example.org/i",
        "criteria_narrative": "c",
    },
    emblem: {"name": "Ada", "year": 2026, "theme": "classic", "size": 256, "hashtag": "x"},
    verdict_badge: {"verdict": "v", "style": "flat", "label": "l", "passed": True},
    hashed_identity: {"email": "a@example.org", "salt": "0123456789abcdef"},
}


@pytest.mark.parametrize("function", list(VALID_CALLS), ids=lambda f: f.__name__)
def test_wrong_typed_badge_arguments_raise_argument_error(function):
    from fourresp.errors import FourrespError

    arguments = VALID_CALLS[function]
    function(**arguments)
    extra = {"signer": None, "image": None} if function is ob3_credential else {}
    for name in [*arguments, *extra]:
        for wrong in WRONG:
            # refused with a library error, or accepted (None and True are valid for some)
            with contextlib.suppress(FourrespError):
                function(**{**arguments, name: wrong})
    for arguments in ({"name": 5}, {"hashtag": 5}, {"theme": ["classic"]}, {"id_suffix": 1}):
        with pytest.raises(ArgumentError):
            emblem(**arguments)
    with pytest.raises(ArgumentError):
        bake(5, ASSERTION)  # type: ignore[call-overload]
    with pytest.raises(ArgumentError):
        unbake(5)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError):
        to_png(b"<svg/>")  # type: ignore[arg-type]


# -- the real openbadges-bakery (npm) ------------------------------------------------


def _bakery_extract(path: pathlib.Path) -> str:
    done = run_node("openbadges-bakery", "bakery.js", "extract", str(path))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["text"]


@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_openbadges_bakery_reads_what_fourresp_bakes(version, tmp_path):
    payload = {**EXAMPLES[version], "note": "]]> ]]]]> <![CDATA[ openbadges:assertion é"}
    png = tmp_path / "baked.png"
    png.write_bytes(bake(PNG, payload))
    if version == "2.0":  # the bakery reads the 2.0 keyword only
        assert json.loads(_bakery_extract(png)) == payload
    svg = tmp_path / "baked.svg"
    svg.write_text(bake(badge("a", "b"), {**ASSERTION, "note": payload["note"]}))
    assert json.loads(_bakery_extract(svg)) == {**ASSERTION, "note": payload["note"]}


def test_fourresp_reads_what_openbadges_bakery_bakes(tmp_path):
    payload = {**ASSERTION, "note": "]]> and <![CDATA[ é"}
    (tmp_path / "a.json").write_text(json.dumps(payload))
    for name, image in (("plain.png", PNG), ("ours.png", bake(PNG, CREDENTIAL))):
        (tmp_path / name).write_bytes(image)
        done = run_node(
            "openbadges-bakery",
            "bakery.js",
            "bake",
            str(tmp_path / name),
            str(tmp_path / "a.json"),
            str(tmp_path / "out.png"),
        )
        assert done.returncode == 0, done.stderr
        found = unbake((tmp_path / "out.png").read_bytes())
        assert (found.version, found.payload) == ("2.0", payload)
    (tmp_path / "plain.svg").write_text(badge("a", "b"))
    plain = {**ASSERTION}
    (tmp_path / "a.json").write_text(json.dumps(plain))
    done = run_node(
        "openbadges-bakery",
        "bakery.js",
        "bake",
        str(tmp_path / "plain.svg"),
        str(tmp_path / "a.json"),
        str(tmp_path / "out.svg"),
    )
    assert done.returncode == 0, done.stderr
    found = unbake((tmp_path / "out.svg").read_text())
    assert found.payload == plain
    assert found.verify == plain["id"]
