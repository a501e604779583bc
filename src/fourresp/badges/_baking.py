"""Baking Open Badges into SVG and PNG, and reading them back out.

The baking specifications put the credential in the image itself:

- SVG, Open Badges 2.0: ``xmlns:openbadges="http://openbadges.org"`` on the
  ``<svg>`` root, and ``<openbadges:assertion verify="...">`` as its first child,
  holding the assertion JSON in a CDATA section (``verify`` is the hosted
  assertion's URL, or a signed assertion's JWS with no JSON).
- SVG, Open Badges 3.0: namespace ``https://purl.imsglobal.org/ob/v3p0`` and
  ``<openbadges:credential>``, with the credential JSON in CDATA, or a compact JWT
  in its ``verify`` attribute.
- PNG: one ``iTXt`` chunk, keyword ``openbadges`` (2.0) or ``openbadgecredential``
  (3.0), holding the JSON or the JWS/JWT (see :mod:`fourresp.badges._png`).

:func:`bake` checks the payload is what the version asked for (an OB 2.0
``Assertion`` or an OB 3.0 ``OpenBadgeCredential``/``AchievementCredential``),
and that it is plain JSON within bounds, so that :func:`unbake` gives back
exactly what was baked. For SVG it parses the document with expat first (no DTD
entities, no network), edits the text in place (nothing else in the file
changes), puts the new element first, and removes any element an earlier baking
left, whatever prefix that tool used, so baking twice replaces rather than
duplicates. The prefix is declared on the root unless the root already binds
``openbadges`` to something else (then on the element itself); the result is
parsed again and must read back as written. JSON is written ASCII-only with
``>`` as ``\\u003e``, so it never holds ``]]>`` and always fits one CDATA section.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal, overload

import attrs

from fourresp._svg import attribute
from fourresp.badges._png import PNG_SIGNATURE, bake_png, read_png
from fourresp.errors import ArgumentError, DocumentError, Problem

__all__ = ["OB2_NAMESPACE", "OB3_NAMESPACE", "BakedBadge", "bake", "unbake"]

OB2_NAMESPACE = "http://openbadges.org"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
_ELEMENTS = {OB2_NAMESPACE: "assertion", OB3_NAMESPACE: "credential"}
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_MAX_BYTES = 16 * 1024 * 1024
Version = Literal["2.0", "3.0"]


@attrs.frozen(kw_only=True)
class BakedBadge:
    """What :func:`unbake` found: the version, the JSON (or None) and ``verify`` (or None)."""

    version: Version
    payload: Any
    verify: str | None


def _problem(message: str, code: str = "svg") -> DocumentError:
    return DocumentError([Problem(code=code, message=message)])


class _Scan:
    """Byte offsets of the root start tag and of earlier baked elements, found with expat."""

    def __init__(self, data: bytes) -> None:
        if len(data) > _MAX_BYTES:
            raise _problem(f"the SVG is larger than {_MAX_BYTES} bytes", "too-large")
        self.data = data
        # the root's (expanded name, byte offset, name as written)
        self.roots: list[tuple[str, int, str]] = []
        self.baked: list[tuple[int, int]] = []
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[tuple[str, int, dict[str, str], list[str]]] = []
        self._depth = 0
        self.root_prefixes: dict[str, str] = {}  # prefixes the root element declares
        import xml.parsers.expat  # imported when a badge is first baked or read

        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.StartNamespaceDeclHandler = self._declare
        parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        self._parser = parser
        try:
            parser.Parse(data, True)
        except RecursionError:
            raise _problem("the SVG nests too deeply") from None
        except xml.parsers.expat.ExpatError as exc:
            raise _problem(
                f"not well-formed XML at line {exc.lineno}, column {exc.offset + 1}: "
                f"{xml.parsers.expat.ErrorString(exc.code)}"
            ) from None
        if not self.roots or self.roots[0][0] != f"{_SVG_NAMESPACE} svg":
            raise _problem(
                "the document is not an SVG (its root is not <svg> in the SVG namespace)"
            )

    def _declare(self, prefix: str | None, uri: str) -> None:
        if self._depth == 0 and not self.roots:
            self.root_prefixes[prefix or ""] = uri

    def _entity(self, *_: Any) -> None:
        raise _problem("the SVG declares entities, which badges never need", "entities")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        offset = self._parser.CurrentByteIndex
        if self._depth == 0:
            end = _tag_end(self.data, offset)
            written = re.match(rb"<\s*([^\s/>]+)", self.data[offset:end])
            qualified = written.group(1).decode("utf-8") if written else "svg"
            self.roots.append((name, offset, qualified))
        self._depth += 1
        uri, _, local = name.rpartition(" ")
        if self._depth == 2 and _ELEMENTS.get(uri) == local:
            self._open.append((uri, offset, dict(attributes), []))

    def _text(self, text: str) -> None:
        if self._open and self._depth == 2:
            self._open[-1][3].append(text)

    def _end(self, name: str) -> None:
        self._depth -= 1
        uri, _, local = name.rpartition(" ")
        if self._depth == 1 and self._open and _ELEMENTS.get(uri) == local:
            _, start, attributes, texts = self._open.pop()
            start_tag_end = _tag_end(self.data, start)
            if self.data[start_tag_end - 2 : start_tag_end] == b"/>":  # <x/>: nothing inside
                end = start_tag_end
            else:  # expat is at the end tag's "<"
                end = self.data.index(b">", self._parser.CurrentByteIndex) + 1
            self.baked.append((start, end))
            self.found.append((uri, attributes, texts))


def _tag_end(data: bytes, start: int) -> int:
    """The offset just after the ``>`` that closes the tag starting at ``start``."""
    quote = 0
    for index in range(start, len(data)):
        byte = data[index]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return index + 1
    raise _problem("a start tag never ends")


_VC_CONTEXTS = ("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1")
_OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
_MAX_DEPTH = 64
_MAX_NODES = 1_000_000
_MAX_INT = 10**1000  # integers need fewer digits than this to be baked
_MAX_TEXT = 4 * 1024 * 1024
_URL = re.compile(r"https?://", re.IGNORECASE)
# What no JWS, JWT or URL holds: white space, controls (C0 and C1), invisible
# format characters (bidirectional controls, zero-width ones, the BOM),
# surrogates and noncharacters. Refused in what bake writes and in what unbake
# reads, so a verify value reads back exactly and prints as it is.
_NOT_IN_VERIFY = re.compile(
    "[\\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ud800-\udfff\ufffe\uffff]"
)


def verify_problem(verify: str) -> str | None:
    """Why ``verify`` cannot be a baked JWS, JWT or URL, or None when it can be.

    A PNG carries either the JSON or the verify value as one text, so a value
    starting with ``{`` or ``[`` would read back as JSON, and one with white space
    around it would read back trimmed.
    """
    if len(verify) > _MAX_TEXT:
        return f"verify is longer than {_MAX_TEXT} characters"
    found = _NOT_IN_VERIFY.search(verify)
    if found is not None:
        return (
            f"verify holds U+{ord(found.group()):04X} at character {found.start() + 1}; "
            "a JWS, a JWT or a URL has no white space, control or invisible characters"
        )
    if verify[:1] in ("{", "["):
        return "verify starts with '{' or '[', so it would read back as JSON, not a JWS or URL"
    return None


def _strings(value: Any) -> set[str]:
    items = value if isinstance(value, list) else [value]
    return {item for item in items if isinstance(item, str)}


def check_json(value: Any, where: str = "the payload") -> None:
    """Refuse what JSON cannot carry exactly, iteratively (no recursion, bounded work).

    Objects with text keys, arrays (lists), text, booleans, null, finite numbers,
    integers of under 1,000 digits; at most 64 levels deep and 1,000,000 values.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > _MAX_NODES:
            raise ArgumentError(f"{where} has more than {_MAX_NODES} values")
        if depth > _MAX_DEPTH:
            raise ArgumentError(f"{where} nests deeper than {_MAX_DEPTH} levels")
        if item is None or isinstance(item, bool | str):
            continue
        if isinstance(item, int):
            if not -_MAX_INT < item < _MAX_INT:
                raise ArgumentError(f"{where} holds an integer of 1,000 digits or more")
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                raise ArgumentError(f"{where} holds a number JSON cannot write: {item!r}")
        elif isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise ArgumentError(f"{where} has a key that is not text: {key!r}")
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        else:
            raise ArgumentError(f"{where} holds a {type(item).__name__}, which JSON cannot carry")


def _check_kind(payload: Any, version: Version) -> None:
    """Refuse a payload that is not an assertion (2.0) or a credential (3.0)."""
    if not isinstance(payload, dict):
        raise ArgumentError(
            f"an Open Badges {version} payload is a JSON object, not {type(payload).__name__}"
        )
    types = _strings(payload.get("type"))
    contexts = _strings(payload.get("@context"))
    is_ob3 = bool(types & _OB3_TYPES) or any("/ob/v3p0" in c for c in contexts)
    if version == "2.0":
        if is_ob3 or "VerifiableCredential" in types:
            raise ArgumentError("this is an Open Badges 3.0 credential: bake it with version '3.0'")
        if "Assertion" not in types:
            raise ArgumentError(
                'an Open Badges 2.0 payload is an Assertion (its type says "Assertion")'
            )
        missing = [
            key
            for key in ("id", "recipient", "badge", "verification", "issuedOn")
            if key not in payload
        ]
    else:
        if "Assertion" in types and not is_ob3:
            raise ArgumentError("this is an Open Badges 2.0 assertion: bake it with version '2.0'")
        if not (types & _OB3_TYPES) or "VerifiableCredential" not in types:
            raise ArgumentError(
                "an Open Badges 3.0 payload is a credential: its type lists "
                "VerifiableCredential and OpenBadgeCredential (or AchievementCredential)"
            )
        context = payload.get("@context")
        if (
            not isinstance(context, list)
            or not context
            or context[0] not in _VC_CONTEXTS
            or not any("/ob/v3p0" in c for c in contexts)
        ):
            raise ArgumentError(
                "an Open Badges 3.0 credential's @context lists the Verifiable Credentials "
                "context first, then the Open Badges 3.0 context"
            )
        missing = [
            key for key in ("id", "name", "issuer", "credentialSubject") if key not in payload
        ]
        if "validFrom" not in payload and "issuanceDate" not in payload:
            missing.append("validFrom")
    if missing:
        raise ArgumentError(
            f"the Open Badges {version} payload has no {', '.join(missing)}, which the "
            "specification requires"
        )


def _version_of(payload: Any) -> Version:
    if isinstance(payload, dict):
        types = _strings(payload.get("type"))
        if types & _OB3_TYPES or "VerifiableCredential" in types:
            return "3.0"
        if any("/ob/v3p0" in c for c in _strings(payload.get("@context"))):
            return "3.0"
    return "2.0"


def _json_text(payload: Any) -> str:
    """Compact ASCII JSON in which ``>`` and ``openbadges:`` never appear literally.

    Outside strings compact JSON has neither, so escaping them is safe: the text
    always fits one CDATA section, and readers that search the SVG text for
    ``openbadges:assertion`` are never confused by the payload.
    """
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace(">", "\\u003e").replace("openbadges:", "openbadges\\u003a")


@overload
def bake(
    image: str, payload: Any = None, *, verify: str | None = None, version: Version | None = None
) -> str: ...
@overload
def bake(
    image: bytes, payload: Any = None, *, verify: str | None = None, version: Version | None = None
) -> bytes: ...
def bake(
    image: str | bytes,
    payload: Any = None,
    *,
    verify: str | None = None,
    version: Version | None = None,
) -> str | bytes:
    """``image`` (SVG text, PNG or SVG bytes) with an Open Badges assertion or credential baked in.

    ``payload`` is the assertion (2.0) or credential (3.0) as JSON-ready data; it
    must be of the version asked for (an ``Assertion``, or a credential typed
    ``VerifiableCredential`` and ``OpenBadgeCredential`` or ``AchievementCredential``)
    with the properties the specification requires, and plain JSON (text keys,
    finite numbers, at most 64 levels). ``verify`` is a signed badge's compact
    JWS/JWT (then ``payload`` may be left out), or a hosted assertion's URL, which
    for 2.0 defaults to the payload's ``id`` when that is an ``https`` URL.
    ``version`` defaults to 3.0 for a credential or a bare JWT, else 2.0.

    A PNG carries one text: the JWS/JWT when there is one, else the JSON. SVG
    in, SVG out (text for text, bytes for bytes); PNG bytes in, PNG bytes out.

    Raises :class:`~fourresp.errors.DocumentError` when the image is not a
    well-formed SVG or a sound PNG, and :class:`~fourresp.errors.ArgumentError`
    when there is nothing to bake or the payload is not what the version needs.
    """
    if not isinstance(image, str | bytes):
        raise ArgumentError(f"bake takes SVG text or image bytes, not {type(image).__name__}")
    if payload is None and verify is None:
        raise ArgumentError("bake what? give a payload, a verify value (a JWS or JWT), or both")
    if version is None:
        version = "3.0" if payload is None else _version_of(payload)
    if version not in ("2.0", "3.0"):
        raise ArgumentError(f"the Open Badges version is '2.0' or '3.0', not {version!r}")
    if verify is not None:
        if not isinstance(verify, str) or not verify.strip():
            raise ArgumentError("verify is a non-empty string: a JWS, a JWT or a URL")
        problem = verify_problem(verify)
        if problem is not None:
            raise ArgumentError(problem)
    text = None
    if payload is not None:
        check_json(payload)
        _check_kind(payload, version)
        text = _json_text(payload)
        if len(text) > _MAX_TEXT:
            raise ArgumentError(f"the payload is larger than {_MAX_TEXT} bytes as JSON")
        if (
            verify is None
            and version == "2.0"
            and isinstance(payload.get("id"), str)
            and payload["id"].startswith("https://")
        ):
            verify = payload["id"]
    if isinstance(image, bytes) and image.startswith(PNG_SIGNATURE):
        signed = verify is not None and (text is None or not _URL.match(verify))
        return bake_png(image, verify if signed and verify is not None else text or "", version)
    if isinstance(image, bytes):
        return _bake_svg(image, text, verify, version).encode("utf-8")
    try:
        data = image.encode("utf-8")
    except UnicodeEncodeError:
        raise _problem("the SVG holds a character UTF-8 cannot write (a lone surrogate)") from None
    return _bake_svg(data, text, verify, version)


def _bake_svg(data: bytes, text: str | None, verify: str | None, version: Version) -> str:
    namespace = OB2_NAMESPACE if version == "2.0" else OB3_NAMESPACE
    element = _ELEMENTS[namespace]
    scan = _Scan(data)
    root_start = scan.roots[0][1]
    root_end = _tag_end(data, root_start)
    try:
        root_tag = data[root_start:root_end].decode("utf-8")
        tail = bytearray(data[root_end:])
        for start, end in sorted(scan.baked, reverse=True):
            del tail[start - root_end : end - root_end]
        rest = tail.decode("utf-8")
        before = data[:root_start].decode("utf-8")
    except UnicodeDecodeError:
        raise _problem("the SVG is not UTF-8 text") from None
    declared = scan.root_prefixes.get("openbadges")
    local_declaration = ""
    if declared is None:
        closing = 2 if root_tag.endswith("/>") else 1
        root_tag = (
            root_tag[:-closing].rstrip() + f' xmlns:openbadges="{namespace}"' + root_tag[-closing:]
        )
    elif declared != namespace:  # the root binds the prefix elsewhere: declare it here
        local_declaration = f' xmlns:openbadges="{namespace}"'
    verify_attribute = f' verify="{attribute(verify)}"' if verify is not None else ""
    body = f"<![CDATA[{text}]]>" if text is not None else ""
    baked = (
        f"<openbadges:{element}{local_declaration}{verify_attribute}>{body}</openbadges:{element}>"
    )
    if root_tag.endswith("/>"):
        root_tag = root_tag[:-2].rstrip() + ">"
        rest = f"</{scan.roots[0][2]}>" + rest
    out = before + root_tag + baked + rest
    again = _Scan(out.encode("utf-8"))  # never hand out XML that does not read back
    first = again.found[0] if again.found else None
    if (
        first is None
        or first[0] != namespace
        or first[1].get("verify") != verify
        or ("".join(first[2]).strip() or None) != text
    ):
        raise _problem("the SVG cannot be baked so that it reads back (unusual markup)")
    return out


def unbake(image: str | bytes) -> BakedBadge | None:
    """The Open Badges assertion or credential baked into ``image``, or None if there is none.

    ``image`` is SVG text, or SVG or PNG bytes. In an SVG any prefix is
    understood (the namespace is what counts); when several are baked, the first
    wins. A PNG's text is the JSON (when it starts with ``{`` or ``[``) or a
    JWS, JWT or URL (returned as ``verify``). Raises :class:`~fourresp.errors.DocumentError`
    when the image is not well-formed, or the baked JSON is broken, too deep or
    too large.
    """
    if isinstance(image, str):
        try:
            data = image.encode("utf-8")
        except UnicodeEncodeError:
            raise _problem("the SVG holds a character UTF-8 cannot write") from None
    elif isinstance(image, bytes | bytearray):
        data = bytes(image)
    else:
        raise ArgumentError(f"unbake takes SVG text or image bytes, not {type(image).__name__}")
    if data.startswith(PNG_SIGNATURE):
        found = read_png(data)
        if found is None:
            return None
        png_version, png_text = found
        if png_text.lstrip()[:1] in ("{", "["):
            return BakedBadge(version=png_version, payload=_parse(png_text), verify=None)
        return BakedBadge(version=png_version, payload=None, verify=_verify(png_text.strip()))
    if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] != b"<" or b"\0" in data[:64]:
        raise _problem("the image is neither an SVG nor a PNG, the formats badges are baked in")
    scan = _Scan(data)
    if not scan.found:
        return None
    uri, attributes, texts = scan.found[0]
    version: Version = "2.0" if uri == OB2_NAMESPACE else "3.0"
    text = "".join(texts).strip()
    payload = _parse(text) if text else None
    verify = attributes.get("verify")
    return BakedBadge(
        version=version, payload=payload, verify=None if verify is None else _verify(verify)
    )


def _verify(verify: str) -> str:
    """A baked verify value, refused when no JWS, JWT or URL could be it."""
    problem = verify_problem(verify) if verify else "verify is empty"
    if problem is not None:
        raise _problem(f"the baked {problem}", "bad-verify")
    return verify


def _parse(text: str) -> Any:
    """Baked JSON, read within the same bounds :func:`bake` writes within."""
    if len(text) > _MAX_TEXT:
        raise _problem(f"the baked JSON is larger than {_MAX_TEXT} bytes", "too-large")
    try:
        payload = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _problem(f"the baked JSON is broken: {exc.msg}", "json-syntax") from None
    except RecursionError:
        message = f"the baked JSON nests deeper than {_MAX_DEPTH} levels"
        raise _problem(message, "too-deep") from None
    except ValueError as exc:  # an integer past the interpreter's digit limit
        raise _problem(f"the baked JSON holds an unusable number: {exc}", "bad-scalar") from None
    try:
        check_json(payload, "the baked JSON")
    except ArgumentError as exc:
        raise _problem(str(exc), "too-large") from None
    return payload


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
