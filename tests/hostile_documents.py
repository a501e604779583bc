"""Hostile documents every loader entry point must refuse with a library error.

Shared by the tests and ``benchmarks/hostile.py``. :data:`HOSTILE`: name -> (bytes
to write to a file, file suffix, the problem code expected, the line it names or
None). :data:`LARGE`: name -> a function making (bytes, suffix) of a large document
whose refusal must stay within the documented time and memory bounds.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable


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
    # the one number and text policy
    "yaml-infinite-float": (b"kind: framework\nversion: 1.0e+999\n", ".yaml", "bad-scalar", 2),
    "yaml-long-hex": (b"kind: framework\nid: 0x" + b"f" * 5_000 + b"\n", ".yaml", "bad-scalar", 2),
    "yaml-flow-map-as-key": (b"kind: framework\n{[a]: 1}: 2\n", ".yaml", "complex-key", 2),
    "yaml-alias-as-key": (b"kind: &k framework\n*k : 2\n", ".yaml", "complex-key", 2),
    "yaml-control-escape": (b'kind: framework\nid: "\\e[2J"\n', ".yaml", "bad-character", 2),
    "yaml-fffe-escape": (b'kind: framework\nid: "\\uFFFE"\n', ".yaml", "bad-character", 2),
    "json-1e400": (b'{"kind": "framework",\n "version": 1e400}', ".json", "bad-scalar", 2),
    "json-5000-digit-version": (
        b'{"kind": "framework",\n "version": ' + b"9" * 5_000 + b"}",
        ".json",
        "bad-scalar",
        2,
    ),
    "json-lone-surrogate": (
        b'{"kind": "framework",\n "id": "\\ud800"}',
        ".json",
        "bad-character",
        2,
    ),
    "json-100k-keys-no-kind": (
        ("{" + ",".join(f'"k{i}": {i}' for i in range(100_000)) + "}").encode(),
        ".json",
        "unknown-kind",
        1,
    ),
}


def _wrong_answers_json(megabytes: float) -> tuple[bytes, str]:
    count = int(megabytes * 1024 * 1024 / 15)
    answers = ",".join(f'"q{i}": "x"' for i in range(count))
    head = '{"kind": "response", "questionnaire": "q", "version": "1.0", "answers": {'
    return (head + answers + "}}").encode(), ".json"


def _wrong_answers_yaml(megabytes: float) -> tuple[bytes, str]:
    count = int(megabytes * 1024 * 1024 / 17)
    head = "kind: response\nquestionnaire: q\nversion: '1.0'\nanswers:\n"
    return (head + "".join(f"  q{i}: wrong\n" for i in range(count))).encode(), ".yaml"


def _long_string(megabytes: float) -> tuple[bytes, str]:
    text = "x" * int(megabytes * 1024 * 1024)
    return json.dumps({"kind": "framework", "id": text}).encode(), ".json"


def _many_bad_numbers(megabytes: float) -> tuple[bytes, str]:
    count = int(megabytes * 1024 * 1024 / 14)
    return ("kind: framework\n" + "".join(f"k{i}: .inf\n" for i in range(count))).encode(), ".yaml"


def _duplicate_keys(megabytes: float) -> tuple[bytes, str]:
    count = int(megabytes * 1024 * 1024 / 10)
    body = ",".join('"k": 1' for _ in range(count))
    return ('{"kind": "framework", ' + body + "}").encode(), ".json"


#: name -> (size in MB, a function making the document); sizes of 1 and 10 MB, the
#: two documented memory bounds
LARGE: dict[str, tuple[float, Callable[[float], tuple[bytes, str]]]] = {
    "json-string-one-problem-1mb": (1, _long_string),
    "json-string-one-problem-10mb": (10, _long_string),
    "json-wrong-answers-1mb": (1, _wrong_answers_json),
    "json-wrong-answers-10mb": (10, _wrong_answers_json),
    "yaml-wrong-answers-1mb": (1, _wrong_answers_yaml),
    "yaml-wrong-answers-10mb": (10, _wrong_answers_yaml),
    "yaml-infinities-1mb": (1, _many_bad_numbers),
    "yaml-infinities-10mb": (10, _many_bad_numbers),
    "json-duplicate-keys-1mb": (1, _duplicate_keys),
    "json-duplicate-keys-10mb": (10, _duplicate_keys),
}
