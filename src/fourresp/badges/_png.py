"""PNG badges: rendering through the optional ``png`` extra, and Open Badges baking.

The baking specifications put the credential in one ``iTXt`` chunk: keyword
``openbadges`` for an Open Badges 2.0 assertion, ``openbadgecredential`` for a
3.0 credential; the text is the JSON, or a signed badge's compact JWS/JWT. The
chunk is written uncompressed, with no language tag, just after ``IHDR``; any
chunk an earlier baking left (``iTXt``, ``tEXt`` or ``zTXt`` with either keyword)
is removed first, so baking twice replaces rather than duplicates.

Reading is bounded, whatever the file holds: the whole file (16 MiB), each
chunk's declared length (checked against what is left before anything is
sliced), every chunk's CRC, ``IHDR`` first and ``IEND`` last, and a compressed
text chunk inflated at most to :data:`MAX_TEXT_BYTES`, so a decompression bomb
costs no more than that.
"""

from __future__ import annotations

import struct
import zlib
from typing import Literal

from fourresp.errors import ArgumentError, DocumentError, Problem

__all__ = ["MAX_PNG_BYTES", "MAX_TEXT_BYTES", "PNG_SIGNATURE", "bake_png", "read_png"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 16 * 1024 * 1024
MAX_TEXT_BYTES = 4 * 1024 * 1024
KEYWORDS = {"2.0": b"openbadges", "3.0": b"openbadgecredential"}
_VERSIONS = {keyword: version for version, keyword in KEYWORDS.items()}
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")


def _problem(message: str, code: str = "png") -> DocumentError:
    return DocumentError([Problem(code=code, message=message)])


def _chunks(data: bytes) -> list[tuple[bytes, int, int, bytes]]:
    """(type, start, end, body) of every chunk, each one checked; ``end`` is past its CRC."""
    if len(data) > MAX_PNG_BYTES:
        raise _problem(f"the PNG is larger than {MAX_PNG_BYTES} bytes", "too-large")
    if not data.startswith(PNG_SIGNATURE):
        raise _problem("not a PNG (its first 8 bytes are not the PNG signature)")
    chunks: list[tuple[bytes, int, int, bytes]] = []
    offset = len(PNG_SIGNATURE)
    while offset < len(data):
        if len(data) - offset < 12:
            raise _problem(f"the PNG is cut short at byte {offset}")
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if length > 0x7FFFFFFF or length > len(data) - offset - 12:
            raise _problem(
                f"chunk {kind!r} at byte {offset} declares {length} bytes, more than the file holds"
            )
        if not all(0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A for c in kind):
            raise _problem(f"the chunk at byte {offset} has no valid type")
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise _problem(f"chunk {kind.decode('ascii')} at byte {offset} fails its CRC check")
        end = offset + 12 + length
        chunks.append((kind, offset, end, body))
        offset = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR":
        raise _problem("the PNG does not start with an IHDR chunk")
    if chunks[-1][0] != b"IEND" or offset != len(data):
        raise _problem("the PNG does not end with its IEND chunk")
    return chunks


def _inflate(body: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, MAX_TEXT_BYTES + 1)
    except zlib.error as exc:
        raise _problem(f"a compressed Open Badges text does not inflate: {exc}") from None
    if len(out) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
        raise _problem(f"a compressed Open Badges text inflates past {MAX_TEXT_BYTES} bytes")
    return out


def _text(kind: bytes, body: bytes) -> tuple[bytes, str] | None:
    """(keyword, text) of a text chunk; None when it is not one of ours."""
    keyword, nul, rest = body.partition(b"\0")
    if not nul or keyword not in _VERSIONS:
        return None
    if kind == b"tEXt":
        raw = rest
    elif kind == b"zTXt":
        if rest[:1] != b"\0":
            raise _problem("an Open Badges zTXt chunk uses an unknown compression method")
        raw = _inflate(rest[1:])
    else:  # iTXt: flag, method, language\0, translated keyword\0, text
        if len(rest) < 2:
            raise _problem("an Open Badges iTXt chunk is cut short")
        flag, method = rest[0], rest[1]
        _language, nul1, rest = rest[2:].partition(b"\0")
        _translated, nul2, raw = rest.partition(b"\0")
        if not (nul1 and nul2):
            raise _problem("an Open Badges iTXt chunk is cut short")
        if flag == 1:
            if method != 0:
                raise _problem("an Open Badges iTXt chunk uses an unknown compression method")
            raw = _inflate(raw)
        elif flag != 0:
            raise _problem("an Open Badges iTXt chunk has an unknown compression flag")
    if len(raw) > MAX_TEXT_BYTES:
        raise _problem(f"the Open Badges text is larger than {MAX_TEXT_BYTES} bytes")
    try:
        text = raw.decode("latin-1" if kind != b"iTXt" else "utf-8")
    except UnicodeDecodeError:
        raise _problem("the Open Badges text is not UTF-8") from None
    return keyword, text


def read_png(data: bytes) -> tuple[Literal["2.0", "3.0"], str] | None:
    """The version and text of the first Open Badges chunk in ``data``, or None."""
    for kind, _start, _end, body in _chunks(data):
        if kind in _TEXT_CHUNKS:
            found = _text(kind, body)
            if found is not None:
                version: Literal["2.0", "3.0"] = "2.0" if found[0] == KEYWORDS["2.0"] else "3.0"
                return version, found[1]
    return None


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bake_png(data: bytes, text: str, version: Literal["2.0", "3.0"]) -> bytes:
    """``data`` with one uncompressed ``iTXt`` Open Badges chunk holding ``text``.

    Every Open Badges text chunk already there is removed; the new one follows ``IHDR``.
    """
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_TEXT_BYTES:
        raise ArgumentError(f"the Open Badges text is larger than {MAX_TEXT_BYTES} bytes")
    chunks = _chunks(data)
    out = [PNG_SIGNATURE]
    for kind, start, end, body in chunks:
        if kind in _TEXT_CHUNKS and body.partition(b"\0")[0] in _VERSIONS:
            continue
        out.append(data[start:end])
        if kind == b"IHDR":
            out.append(_chunk(b"iTXt", KEYWORDS[version] + b"\0\0\0\0\0" + encoded))
    return b"".join(out)
