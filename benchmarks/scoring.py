"""Scoring a large batch of responses to the default questionnaire.

The library's full scoring (checking each response against the questionnaire,
reverse keying, aspect, responsibility and overall scores, bands, feedback,
strengths and areas to improve, one frozen ``Result`` per response) against a
minimal hand-written loop over the same answers that does the keying and the
sums only (per aspect, per responsibility and overall), in the same run.
Target: the library <= 3x the hand-written loop.

Answers come from a simple latent-trait model (each respondent has a level per
responsibility; each answer is that level plus noise, rounded onto the scale;
reversed items answered the other way round), which is how real answers cluster.
``--uniform`` draws every answer uniformly instead: the worst case, where hardly
any two respondents give the same answers to a responsibility's items.

    python benchmarks/scoring.py [--responses 100000] [--repeat 3] [--uniform]
"""

from __future__ import annotations

import argparse
import random

from _common import best_of_each, table
from fourresp.assessment import Questionnaire, Response, load_questionnaire, score
from fourresp.content import load_framework

TARGET = 3.0


def generate(
    questionnaire: Questionnaire, count: int, *, uniform: bool, seed: int = 7
) -> list[dict[str, int]]:
    """``count`` complete answer sets, as the plain dicts an app would receive."""
    rng = random.Random(seed)
    framework = load_framework()
    owner = {a.id: r.id for r in framework for a in r.aspects}
    low, high = int(questionnaire.scale.min), int(questionnaire.scale.max)
    rows = []
    for _ in range(count):
        if uniform:
            rows.append({item.id: rng.randint(low, high) for item in questionnaire.items})
            continue
        level = {r.id: rng.uniform(low, high) for r in framework}
        answers = {}
        for item in questionnaire.items:
            value = min(high, max(low, round(rng.gauss(level[owner[item.aspect]], 0.8))))
            answers[item.id] = low + high - value if item.reverse else value
        rows.append(answers)
    return rows


def hand_loop(questionnaire: Questionnaire, rows: list[dict[str, int]]) -> int:
    """Keying and sums only: what any scoring must do at the very least.

    Like the library's loop, it hands each response's figures on (here, to a running
    total) rather than keeping them all, as a streaming batch job would.
    """
    framework = load_framework()
    owner = {a.id: r.id for r in framework for a in r.aspects}
    low, high = questionnaire.scale.min, questionnaire.scale.max
    plan = [
        (item.id, item.reverse, item.aspect, owner[item.aspect]) for item in questionnaire.items
    ]
    grand_total = 0
    for answers in rows:
        by_aspect: dict[str, int] = {}
        by_responsibility: dict[str, int] = {}
        total = 0
        for item_id, reverse, aspect, responsibility in plan:
            value = answers[item_id]
            if reverse:
                value = low + high - value
            by_aspect[aspect] = by_aspect.get(aspect, 0) + value
            by_responsibility[responsibility] = by_responsibility.get(responsibility, 0) + value
            total += value
        grand_total += total + len(by_responsibility) + len(by_aspect)
    return grand_total


def library(questionnaire: Questionnaire, rows: list[dict[str, int]]) -> float:
    """The library's full scoring of the same answers, from the same plain dicts."""
    qid, version = questionnaire.id, questionnaire.version
    grand_total = 0.0
    for answers in rows:
        result = score(questionnaire, Response(questionnaire=qid, version=version, answers=answers))
        grand_total += result.overall.percent or 0.0
    return grand_total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--uniform", action="store_true", help="uniform random answers")
    args = parser.parse_args()
    questionnaire = load_questionnaire()
    rows = generate(questionnaire, args.responses, uniform=args.uniform)
    library(questionnaire, rows[:100])  # warm: schema, framework, scorer registry
    timed = best_of_each(
        {
            "ours": lambda: library(questionnaire, rows),
            "base": lambda: hand_loop(questionnaire, rows),
        },
        repeat=args.repeat,
    )
    ours, base = timed["ours"], timed["base"]
    kind = "uniform" if args.uniform else "latent-trait"
    print(
        table(
            [
                (
                    f"score {args.responses:,} {kind} responses",
                    f"{ours:.2f} s ({ours / args.responses * 1e6:.1f} us each)",
                    f"{base:.2f} s hand loop ({base / args.responses * 1e6:.1f} us each)",
                    f"{ours / base:.2f}x",
                )
            ]
        )
    )
    ratio = ours / base
    print(f"target <= {TARGET}x: {'met' if ratio <= TARGET else 'MISSED'} ({ratio:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
