"""Rendering shields-style badges: fourresp against pybadges, anybadge and a bare template.

In the same run, 10,000 flat badges are rendered by each contender, twice over:
once with fresh ASCII labels and messages, once with fresh mixed-Unicode ones
(accented Latin, Greek, Cyrillic, CJK, emoji, combining marks). Every pair is
new and every contender gets a fresh set of the same kind each round, so no one
is measured on texts it has already seen:

- fourresp's ``badge()`` (text measured with DejaVu Sans metrics, escaping,
  colours, accessible markup, deterministic ids);
- pybadges and anybadge, the Python badge libraries (``pip install
  'fourresp[bench]'``; skipped with a note when missing);
- a bare f-string producing a badge of the same shape: fixed 7 px per character,
  no escaping, no measurement, the least any badge maker can do.

Contenders take turns (interleaved) and each makes one badge before timing
(first call excluded alike). Targets: at least 40x the faster of pybadges and
anybadge on ASCII, at least 20x on mixed Unicode; the bare template's speed is
shown for scale.

    python benchmarks/badges.py [--count 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from _common import table
from fourresp.badges import badge

ASCII_WORDS = ("build", "coverage", "questionnaire", "scenario", "pledge", "docs", "release")
UNICODE_WORDS = (
    "café",
    "naïve",
    "Ελληνικά",
    "проверка",
    "学习",
    "評価",
    "학습",
    "✅",
    "🎓",
    "e\u0301tude",
    "Zürich",
    "ölçü",
)


def inputs(count: int, *, unicode: bool, seed: int) -> list[tuple[str, str]]:
    """``count`` fresh (label, message) pairs: no text repeats within or across sets."""
    rng = random.Random(seed)
    words = UNICODE_WORDS + ASCII_WORDS if unicode else ASCII_WORDS
    return [
        (
            f"{rng.choice(words)} {seed}-{index}",
            f"{rng.choice(words)} {rng.randint(0, 10**6)}-{index}",
        )
        for index in range(count)
    ]


def bare_template(label: str, message: str) -> str:
    """A flat badge with the same markup as fourresp's (gradient, clip, shadowed texts,
    title and aria-label), with nothing measured, escaped or checked: 7 px a character."""
    left, right = len(label) * 7 + 10, len(message) * 7 + 10
    width = left + right
    label_x, message_x = left * 5, left * 10 + right * 5
    label_length, message_length = (left - 10) * 10, (right - 10) * 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" '
        f'viewBox="0 0 {width} 20" role="img" aria-label="{label}: {message}">'
        f"<title>{label}: {message}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)" shape-rendering="crispEdges">'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="#4c1"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g text-anchor="middle" font-family="DejaVu Sans,Verdana,Geneva,sans-serif" '
        'font-size="110" transform="scale(.1)">'
        f'<text aria-hidden="true" x="{label_x}" y="150" fill="#010101" fill-opacity=".3" '
        f'textLength="{label_length}">{label}</text>'
        f'<text x="{label_x}" y="140" fill="#fff" textLength="{label_length}">{label}</text>'
        f'<text aria-hidden="true" x="{message_x}" y="150" fill="#010101" fill-opacity=".3" '
        f'textLength="{message_length}">{message}</text>'
        f'<text x="{message_x}" y="140" fill="#fff" textLength="{message_length}">{message}'
        "</text></g></svg>"
    )


def peers() -> dict[str, Callable[[str, str], str]]:
    found: dict[str, Callable[[str, str], str]] = {}
    try:
        import pybadges

        found["pybadges"] = lambda label, message: pybadges.badge(
            left_text=label, right_text=message
        )
    except ImportError as exc:
        print(f"pybadges not measured: {exc}")
    try:
        import anybadge

        found["anybadge"] = lambda label, message: anybadge.Badge(label, message).badge_svg_text
    except ImportError as exc:
        print(f"anybadge not measured: {exc}")
    return found


def run(make: Callable[[str, str], str], pairs: list[tuple[str, str]]) -> int:
    return sum(len(make(label, message)) for label, message in pairs)


def measure(
    contenders: dict[str, Callable[[str, str], str]], count: int, *, unicode: bool, repeat: int
) -> dict[str, float]:
    """The best time of each contender over ``repeat`` interleaved rounds of fresh pairs."""
    for make in contenders.values():  # the first call, excluded alike
        make("warm", "up")
    best = dict.fromkeys(contenders, float("inf"))
    seed = 1000 if unicode else 0
    for _ in range(repeat):
        for name, make in contenders.items():
            seed += 1
            pairs = inputs(count, unicode=unicode, seed=seed)
            start = time.perf_counter()
            run(make, pairs)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    contenders = {"fourresp": badge, "bare f-string": bare_template, **peers()}
    rows = []
    verdicts = []
    for unicode, target in ((False, 40), (True, 20)):
        kind = "mixed-Unicode" if unicode else "ASCII"
        timed = measure(contenders, args.count, unicode=unicode, repeat=args.repeat)
        ours = timed["fourresp"]
        for name, seconds in timed.items():
            if name == "fourresp":
                continue
            rows.append(
                (
                    f"{args.count:,} fresh {kind} badges vs {name}",
                    f"{args.count / ours:,.0f} badges/s",
                    f"{args.count / seconds:,.0f} badges/s",
                    f"{seconds / ours:.2f}x",
                )
            )
        peer_times = [t for name, t in timed.items() if name in ("pybadges", "anybadge")]
        if peer_times:
            ratio = min(peer_times) / ours
            verdict = "met" if ratio >= target else "MISSED"
            verdicts.append(
                f"target >= {target}x the faster peer on {kind}: {verdict} ({ratio:.1f}x)"
            )
    print(table(rows))
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
