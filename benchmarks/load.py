"""Loading a large content pack: read, validate against the schema, structure, check.

Baseline, in the same run: libyaml's C safe loader (`yaml.load(text,
Loader=yaml.CSafeLoader)`) parsing the same text and nothing else. Target: the
whole fourresp pipeline <= 2.0x the baseline on a document of >= 2 MB of YAML.
Also prints how the cost grows with size.

Garbage collection is treated alike: both contenders are timed with the collector
paused (after a full collection), so neither pays for collections the other
happens to trigger; timed with it running, PyYAML spends about half its time
collecting over its nodes. The library itself never touches the collector. Both
run once before timing, and they take turns; each is timed by the CPU time of the
process (``time.process_time``: neither reads a file, so on an idle machine it is
the wall time), so other work sharing the machine's cores does not land on
whichever ran during it; ``--wall`` times by the wall clock instead.

    python benchmarks/load.py [--megabytes 2.5] [--repeat 5] [--wall]
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable

import yaml

import fourresp
from _common import table
from fourresp.content import load_framework

TARGET = 2.0
_WORDS = (
    "learner",
    "client",
    "peer",
    "practice",
    "evidence",
    "goal",
    "performance",
    "coaching",
    "feedback",
    "reflection",
    "confidence",
    "standard",
    "ethics",
    "credibility",
    "technology",
    "workshop",
    "manager",
    "skill",
    "design",
    "measure",
)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def generate(megabytes: float, seed: int = 4) -> str:
    """A valid framework document of about ``megabytes`` MB of YAML, text of realistic length."""
    rng = random.Random(seed)
    document = fourresp.to_document(load_framework())
    template = document["responsibilities"]
    responsibilities = []
    index = 0
    size = 0
    while size < megabytes * 1_000_000:
        base = template[index % len(template)]
        aspects = [
            {
                "id": f"r{index}-a{a}",
                "title": _sentence(rng, 4),
                "description": _sentence(rng, rng.randint(12, 24)),
            }
            for a in range(rng.randint(20, 40))
        ]
        item = {**base, "id": f"r{index}", "aspects": aspects}
        responsibilities.append(item)
        size += len(yaml.dump(item, Dumper=yaml.CSafeDumper, allow_unicode=True))
        index += 1
    document["responsibilities"] = responsibilities
    return yaml.dump(
        document, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=88
    )


def best_of_each(
    functions: dict[str, Callable[[], object]], *, repeat: int, clock: Callable[[], float]
) -> dict[str, float]:
    """The least time of ``repeat`` runs of each function by ``clock``, the runs taking turns."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(repeat):
        for name, function in functions.items():
            start = clock()
            function()
            best[name] = min(best[name], clock() - start)
    return best


def measure(
    megabytes: float, repeat: int, clock: Callable[[], float] = time.process_time
) -> tuple[float, float, int]:
    text = generate(megabytes)
    framework = fourresp.load(text, kind="framework")  # also warms caches: schema, converter
    assert len(framework.responsibilities) > 4
    yaml.load(text, Loader=yaml.CSafeLoader)  # the baseline's first call, excluded alike
    timed = best_of_each(
        {
            "ours": _without_gc(lambda: fourresp.load(text, kind="framework")),
            "base": _without_gc(lambda: yaml.load(text, Loader=yaml.CSafeLoader)),
        },
        repeat=repeat,
        clock=clock,
    )
    return timed["ours"], timed["base"], len(text.encode())


def _without_gc(function: Callable[[], object]) -> Callable[[], object]:
    """``function`` run with the garbage collector paused (the same for both contenders)."""

    def run() -> object:
        gc.collect()
        gc.disable()
        try:
            return function()
        finally:
            gc.enable()

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=2.5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--wall", action="store_true", help="time by the wall clock instead of CPU time"
    )
    args = parser.parse_args()
    clock = time.perf_counter if args.wall else time.process_time
    rows = []
    ratios = {}
    for scale in (0.25, 1.0):
        megabytes = args.megabytes * scale
        ours, base, size = measure(megabytes, args.repeat, clock)
        ratios[scale] = ours / base
        rows.append(
            (
                f"load {size / 1e6:.2f} MB framework",
                f"{ours * 1000:.0f} ms",
                f"{base * 1000:.0f} ms",
                f"{ours / base:.2f}x",
            )
        )
    print(table(rows))
    ratio = ratios[1.0]
    print(
        f"target <= {TARGET}x at >= 2 MB: {'met' if ratio <= TARGET else 'MISSED'} ({ratio:.2f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
