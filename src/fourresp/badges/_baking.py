"""Baking Open Badges into SVG, and reading them back out.

The baking specifications put the credential in the SVG itself:

- Open Badges 2.0: ``xmlns:openbadges="http://openbadges.org"`` on the ``<svg>``
  root, and ``<openbadges:assertion verify="...">`` as its first child, holding the
  assertion JSON in a CDATA section (``verify`` is the hosted assertion's URL, or
  a signed assertion's JWS with no JSON).
- Open Badges 3.0: namespace ``https://purl.imsglobal.org/ob/v3p0`` and
  ``<openbadges:credential>``, with the credential JSON in CDATA, or a compact JWT
  in its ``verify`` attribute.

:func:`bake` edits the SVG text in place (nothing else in the file changes), puts
the new element first, and removes any element an earlier baking left, whatever
prefix that tool used, so baking twice replaces rather than duplicates. JSON is
written ASCII-only, and a ``]]>`` inside it is split across two CDATA sections,
so any JSON value survives. :func:`unbake` parses the SVG with expat (no DTD
entities, no network) and finds the element by namespace, not by prefix.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from typing import Any, Literal

import attrs

from fourresp._tree import text_problem as _not_xml
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
        self.roots: list[tuple[str, int]] = []  # the root's (qualified name, byte offset)
        self.baked: list[tuple[int, int]] = []
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[tuple[str, int, dict[str, str], list[str]]] = []
        self._depth = 0
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        self._parser = parser
        try:
            parser.Parse(data, True)
        except xml.parsers.expat.ExpatError as exc:
            raise _problem(
                f"not well-formed XML at line {exc.lineno}, column {exc.offset + 1}: "
                f"{xml.parsers.expat.ErrorString(exc.code)}"
            ) from None
        if not self.roots or self.roots[0][0] != f"{_SVG_NAMESPACE} svg":
            raise _problem(
                "the document is not an SVG (its root is not <svg> in the SVG namespace)"
            )

    def _entity(self, *_: Any) -> None:
        raise _problem("the SVG declares entities, which badges never need", "entities")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        offset = self._parser.CurrentByteIndex
        if self._depth == 0:
            self.roots.append((name, offset))
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


def _version_of(payload: Any) -> Version:
    if isinstance(payload, dict):
        context = payload.get("@context")
        contexts = context if isinstance(context, list) else [context]
        types = payload.get("type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(c, str) and "/ob/v3p0" in c for c in contexts) or {
            "OpenBadgeCredential",
            "AchievementCredential",
        } & {t for t in types if isinstance(t, str)}:
            return "3.0"
    return "2.0"


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _attribute(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def bake(
    svg: str,
    payload: Any = None,
    *,
    verify: str | None = None,
    version: Version | None = None,
) -> str:
    """``svg`` with an Open Badges assertion or credential baked in as its root's first child.

    ``payload`` is the assertion (2.0) or credential (3.0) as JSON-ready data; any
    JSON value but null is carried exactly. ``verify`` is the ``verify``
    attribute: a signed badge's compact JWS/JWT (then ``payload`` may be left
    out), or a hosted assertion's URL, which for 2.0 defaults to the payload's
    ``id`` when that is an ``https`` URL. ``version`` defaults to 3.0 for a
    credential (its ``@context`` or ``type`` says so) or a bare JWT, else 2.0.

    Raises :class:`~fourresp.errors.DocumentError` when ``svg`` is not a
    well-formed SVG, and :class:`~fourresp.errors.ArgumentError` when there is
    nothing to bake or the payload cannot be written as JSON.
    """
    if payload is None and verify is None:
        raise ArgumentError("bake what? give a payload, a verify value (a JWS or JWT), or both")
    if version is None:
        version = "3.0" if payload is None else _version_of(payload)
    if version not in ("2.0", "3.0"):
        raise ArgumentError(f"the Open Badges version is '2.0' or '3.0', not {version!r}")
    if verify is not None and (not isinstance(verify, str) or not verify.strip()):
        raise ArgumentError("verify is a non-empty string: a JWS, a JWT or a URL")
    if verify is not None and _not_xml(verify):  # it is written into an attribute
        raise ArgumentError(f"verify holds a character XML cannot carry: {_not_xml(verify)}")
    namespace = OB2_NAMESPACE if version == "2.0" else OB3_NAMESPACE
    element = _ELEMENTS[namespace]
    body = ""
    if payload is not None:
        try:
            text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ArgumentError(f"the payload cannot be written as JSON: {exc}") from None
        body = _cdata(text)
        if (
            verify is None
            and version == "2.0"
            and isinstance(payload, dict)
            and isinstance(payload.get("id"), str)
            and payload["id"].startswith("https://")
        ):
            verify = payload["id"]
    data = svg.encode("utf-8")
    scan = _Scan(data)
    root_start = scan.roots[0][1]
    root_end = _tag_end(data, root_start)
    root_tag = data[root_start:root_end].decode("utf-8")
    tail = bytearray(data[root_end:])
    for start, end in sorted(scan.baked, reverse=True):
        del tail[start - root_end : end - root_end]
    rest = tail.decode("utf-8")
    declared = re.search(r'\sxmlns:openbadges\s*=\s*(["\'])(.*?)\1', root_tag)
    local_declaration = ""
    if declared is None:
        closing = 2 if root_tag.endswith("/>") else 1
        root_tag = (
            root_tag[:-closing].rstrip() + f' xmlns:openbadges="{namespace}"' + root_tag[-closing:]
        )
    elif declared.group(2) != namespace:
        if "openbadges:" in rest:  # the prefix is still used for the other namespace
            local_declaration = f' xmlns:openbadges="{namespace}"'
        else:  # only the removed baking used it: point it at the new namespace
            root_tag = (
                root_tag[: declared.start()]
                + f' xmlns:openbadges="{namespace}"'
                + root_tag[declared.end() :]
            )
    verify_attribute = f' verify="{_attribute(verify)}"' if verify is not None else ""
    baked = (
        f"<openbadges:{element}{local_declaration}{verify_attribute}>{body}</openbadges:{element}>"
    )
    if root_tag.endswith("/>"):
        root_tag = root_tag[:-2].rstrip() + ">"
        rest = "</svg>" + rest
    return data[:root_start].decode("utf-8") + root_tag + baked + rest


def unbake(svg: str | bytes) -> BakedBadge | None:
    """The Open Badges assertion or credential baked into ``svg``, or None if there is none.

    Any prefix is understood (the namespace is what counts). When several are
    baked, the first wins. Raises :class:`~fourresp.errors.DocumentError` when the
    SVG is not well-formed, or the baked JSON is broken.
    """
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    scan = _Scan(data)
    if not scan.found:
        return None
    uri, attributes, texts = scan.found[0]
    version: Version = "2.0" if uri == OB2_NAMESPACE else "3.0"
    verify = attributes.get("verify")
    text = "".join(texts).strip()
    payload: Any = None
    if text:
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _problem(f"the baked JSON is broken: {exc.msg}", "json-syntax") from None
    return BakedBadge(version=version, payload=payload, verify=verify)
