"""How fast each hostile document is refused, against reading a clean pack of the same kind.

Every hostile document must be refused with the library's own error, each in well
under a second. The baseline, in the same run, is `fourresp.load` of the default
content pack (a normal, clean document).

    python benchmarks/hostile.py
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

import fourresp
from _common import best_of, table
from fourresp.content import default_pack_path

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from hostile_documents import HOSTILE

LIMIT_SECONDS = 1.0


def refuse(path: pathlib.Path) -> None:
    try:
        fourresp.load(path)
    except fourresp.DocumentError:
        return
    raise AssertionError(f"{path.name} was accepted")


def main() -> int:
    clean = best_of(lambda: fourresp.load(default_pack_path()), repeat=5)
    rows = []
    slowest = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, (body, suffix, _code, _line) in sorted(HOSTILE.items()):
            path = pathlib.Path(folder) / f"{name}{suffix}"
            path.write_bytes(body)
            seconds = best_of(lambda path=path: refuse(path), repeat=3)
            slowest = max(slowest, seconds)
            rows.append(
                (
                    f"refuse {name} ({len(body):,} bytes)",
                    f"{seconds * 1000:.1f} ms",
                    f"{clean * 1000:.1f} ms",
                    f"{seconds / clean:.2f}x",
                )
            )
    print(table(rows))
    verdict = "met" if slowest < LIMIT_SECONDS else "MISSED"
    print(f"every refusal under {LIMIT_SECONDS:.0f} s: {verdict} (slowest {slowest * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
