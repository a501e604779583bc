"""Rendering shields-style badges: fourresp against pybadges, anybadge and a bare template.

In the same run, 10,000 flat badges with distinct labels are rendered by:

- fourresp's ``badge()`` (text measured with DejaVu Sans metrics, escaping,
  colours, accessible markup, deterministic ids);
- pybadges and anybadge, the Python badge libraries (``pip install
  'fourresp[bench]'``; skipped with a note when missing);
- a bare f-string producing a badge of the same shape: fixed 7 px per character,
  no escaping, no measurement, the least any badge maker can do.

Targets: at least 10x the faster of pybadges and anybadge, and at least a third
of the bare template's speed.

    python benchmarks/badges.py [--count 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable

from _common import best_of, best_of_each, table
from fourresp.badges import badge

MESSAGES = ("passing", "established", "developing", "recognised as a true professional", "95%")


def inputs(count: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = ("build", "coverage", "questionnaire", "scenario", "pledge", "docs", "release")
    return [(f"{rng.choice(words)} {index}", rng.choice(MESSAGES)) for index in range(count)]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    pairs = inputs(args.count)
    timed = best_of_each(
        {"ours": lambda: run(badge, pairs), "bare": lambda: run(bare_template, pairs)},
        repeat=args.repeat,
    )
    ours, bare = timed["ours"], timed["bare"]
    rows = [
        (
            f"{args.count:,} badges vs bare f-string",
            f"{args.count / ours:,.0f} badges/s",
            f"{args.count / bare:,.0f} badges/s",
            f"{bare / ours:.2f}x of its speed",
        )
    ]
    peer_times = {}
    for name, make in peers().items():
        seconds = best_of(lambda make=make: run(make, pairs), repeat=1)
        peer_times[name] = seconds
        rows.append(
            (
                f"{args.count:,} badges vs {name}",
                f"{args.count / ours:,.0f} badges/s",
                f"{args.count / seconds:,.0f} badges/s",
                f"{seconds / ours:.1f}x faster",
            )
        )
    print(table(rows))
    if peer_times:
        fastest = min(peer_times.values())
        ratio = fastest / ours
        print(f"target >= 10x the faster peer: {'met' if ratio >= 10 else 'MISSED'} ({ratio:.1f}x)")
    share = bare / ours
    print(
        f"target >= 1/3 of the bare template's speed: {'met' if share >= 1 / 3 else 'MISSED'} "
        f"({share:.2f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
