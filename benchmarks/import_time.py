"""How much `import fourresp` costs on top of its own dependencies.

Baseline, in the same run: `import attrs, cattrs, yaml` in a fresh interpreter.
Target: `import fourresp` and `import fourresp.content` each <= 1.1x the baseline
(jsonschema and the rest are imported only when first needed).

    python benchmarks/import_time.py [--repeat 21]
"""

from __future__ import annotations

import argparse

from _common import import_seconds, median, table

TARGET = 1.1


def measure(repeat: int) -> list[tuple[str, str, str, str]]:
    statements = {
        "baseline": "import attrs, cattrs, yaml",
        "import fourresp": "import fourresp",
        "import fourresp.content": "import fourresp.content",
    }
    samples: dict[str, list[float]] = {name: [] for name in statements}
    # Interleave so drift on a noisy machine hits every statement alike.
    for _ in range(repeat):
        for name, statement in statements.items():
            samples[name] += import_seconds(statement, repeat=1)
    base = median(samples["baseline"])
    rows = []
    for name in ("import fourresp", "import fourresp.content"):
        value = median(samples[name])
        rows.append(
            (name, f"{value * 1000:.1f} ms", f"{base * 1000:.1f} ms", f"{value / base:.2f}x")
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    rows = measure(args.repeat)
    print(table(rows))
    worst = max(float(row[3].rstrip("x")) for row in rows)
    print(f"target <= {TARGET}x: {'met' if worst <= TARGET else 'MISSED'} (worst {worst:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
