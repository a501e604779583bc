"""Hostile documents every loader entry point must refuse with a library error.

Shared by the tests and ``benchmarks/hostile.py``. Each entry: name -> (bytes to
write to a file, file suffix, the problem code expected, the line it names or None).
"""

from __future__ import annotations

import itertools


def _alias_bomb() -> bytes:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghij"
    for previous, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def _deep_block(levels: int) -> bytes:
    return "".join(f"{' ' * i}k{i}:\n" for i in range(levels)).encode() + b" " * levels + b"x\n"


HOSTILE: dict[str, tuple[bytes, str, str, int | None]] = {
    "yaml-alias-bomb": (_alias_bomb(), ".yaml", "too-many-nodes", None),
    "yaml-recursive-alias": (b"a: &a\n  b: *a\n", ".yaml", "recursive-alias", 2),
    "yaml-deep-flow": (b"[" * 10_000 + b"]" * 10_000, ".yaml", "too-deep", 1),
    "yaml-deep-block": (_deep_block(500), ".yaml", "too-deep", None),
    "json-deep": (b"[" * 100_000 + b"]" * 100_000, ".json", "too-deep", None),
    "yaml-duplicate-key": (b"kind: framework\nid: a\nid: b\n", ".yaml", "duplicate-key", 3),
    "json-duplicate-key": (
        b'{\n "kind": "framework",\n "kind": "framework"\n}\n',
        ".json",
        "duplicate-key",
        3,
    ),
    "yaml-python-object": (b"!!python/object/apply:os.system ['echo hi']\n", ".yaml", "bad-tag", 1),
    "yaml-python-name": (b"kind: !!python/name:os.system\n", ".yaml", "bad-tag", 1),
    "yaml-custom-tag": (b"kind: !framework x\n", ".yaml", "bad-tag", 1),
    "non-utf8": (b"kind: framework\nid: caf\xe9\n", ".yaml", "encoding", 2),
    "utf16": ("kind: framework\n".encode("utf-16"), ".yaml", "encoding", 1),
    "nul-byte": (b"kind: framework\x00\n", ".yaml", "bad-character", 1),
    "too-large": (b"# " + b"x" * (16 * 1024 * 1024 + 10) + b"\n", ".yaml", "too-large", None),
    "huge-integer": (
        b"kind: framework\nversion: " + b"9" * 100_000 + b"\n",
        ".yaml",
        "bad-scalar",
        2,
    ),
    "json-nan": (b'{"kind": NaN}', ".json", "bad-scalar", None),
    "two-documents": (b"kind: framework\n---\nkind: framework\n", ".yaml", "multiple-documents", 2),
    "not-a-mapping": (b"- just\n- a list\n", ".yaml", "unknown-kind", 1),
    "json-100k-keys-no-kind": (
        ("{" + ",".join(f'"k{i}": {i}' for i in range(100_000)) + "}").encode(),
        ".json",
        "unknown-kind",
        1,
    ),
}
