"""Scoring: the engine on prebuilt responses, and ``fourresp assess-batch`` on a file.

Engine (default): the library's full scoring (checking each response against the
questionnaire, reverse keying, aspect, responsibility and overall scores, bands,
feedback, strengths and areas to improve, one frozen ``Result`` per response) of
prebuilt ``Response`` objects, against a minimal hand-written loop over the same
answers that does the keying and the sums only, into lists indexed by aspect and
responsibility (the fastest plain Python for those sums). Target: <= 4x. The
light figures of the same responses (what ``score_rows`` gives each row: the
overall and the responsibilities' scores and bands) are measured beside it.

Batch (``--batch``): ``fourresp assess-batch FILE.jsonl --format csv`` run
in-process on a JSON Lines file of responses, writing CSV to a file, against a
hand-written loop that does ``json.loads`` per line, the list-indexed keyed sums
per responsibility and a ``csv.writer`` row per response. Target: <= 3x.

Memory (``--memory``): the peak resident memory of ``fourresp assess-batch`` in a
fresh process at 100,000 and 1,000,000 rows (streamed through a named pipe, so no
file of that size is written). Target: the same at both sizes.

Contenders take turns (interleaved), each runs once on a slice before timing
(warm-up excluded alike), and both run with the garbage collector as it is.

Answers come from a simple latent-trait model (each respondent has a level per
responsibility; each answer is that level plus noise, rounded onto the scale;
reversed items answered the other way round), which is how real answers cluster.
``--uniform`` draws every answer uniformly instead: the worst case, where hardly
any two respondents give the same answers to a responsibility's items.

    python benchmarks/scoring.py [--responses 100000] [--repeat 3] [--uniform]
    python benchmarks/scoring.py --batch [--responses 100000]    # the batch only
    python benchmarks/scoring.py --memory                        # a few minutes

With no mode, the engine and then the batch are measured (what ``make bench`` runs).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from _common import best_of_each, table
from fourresp.assessment import Questionnaire, Response, load_questionnaire, score
from fourresp.assessment._scoring import plan_for
from fourresp.content import load_framework

ENGINE_TARGET = 4.0
BATCH_TARGET = 3.0


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


def _plan(questionnaire: Questionnaire) -> tuple[list[tuple[str, bool, int, int]], int, int]:
    """(item id, reversed, aspect index, responsibility index) per item; aspect and
    responsibility counts."""
    framework = load_framework()
    responsibilities = [r.id for r in framework]
    aspects = [a.id for a in framework.aspects]
    owner = {a.id: r.id for r in framework for a in r.aspects}
    plan = [
        (
            item.id,
            item.reverse,
            aspects.index(item.aspect),
            responsibilities.index(owner[item.aspect]),
        )
        for item in questionnaire.items
    ]
    return plan, len(aspects), len(responsibilities)


def hand_loop(questionnaire: Questionnaire, rows: list[dict[str, int]]) -> int:
    """Keying and sums only, into list-indexed totals: what any scoring must do at least.

    Like the library's loop, it hands each response's figures on (here, to a running
    total) rather than keeping them all, as a streaming batch job would.
    """
    plan, aspect_count, responsibility_count = _plan(questionnaire)
    flip = questionnaire.scale.min + questionnaire.scale.max
    grand_total = 0
    for answers in rows:
        by_aspect = [0] * aspect_count
        by_responsibility = [0] * responsibility_count
        total = 0
        for item_id, reverse, aspect, responsibility in plan:
            value = answers[item_id]
            if reverse:
                value = flip - value
            by_aspect[aspect] += value
            by_responsibility[responsibility] += value
            total += value
        grand_total += total + by_responsibility[0] + by_aspect[0]
    return int(grand_total)


def library(questionnaire: Questionnaire, responses: list[Response]) -> float:
    """The library's full scoring of prebuilt responses."""
    grand_total = 0.0
    for response in responses:
        result = score(questionnaire, response)
        grand_total += result.overall.percent or 0.0
    return grand_total


def light(questionnaire: Questionnaire, responses: list[Response]) -> float:
    """The light figures of prebuilt responses: what ``score_rows`` gives a row (the
    overall and the responsibilities' scores and bands), through the engine's plan."""
    plan = plan_for(questionnaire)
    grand_total = 0.0
    for response in responses:
        overall, _ = plan.light(response)
        grand_total += overall.percent or 0.0
    return grand_total


def hand_batch(questionnaire: Questionnaire, source: Path, target: Path) -> None:
    """``json.loads`` per line, list-indexed keyed sums per responsibility, csv rows."""
    plan, _, responsibility_count = _plan(questionnaire)
    flip = questionnaire.scale.min + questionnaire.scale.max
    with (
        open(source, encoding="utf-8") as lines,
        open(target, "w", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out, lineterminator="\n")
        for number, line in enumerate(lines, start=1):
            document = json.loads(line)
            answers = document["answers"]
            sums = [0] * responsibility_count
            for item_id, reverse, _, responsibility in plan:
                value = answers[item_id]
                sums[responsibility] += flip - value if reverse else value
            writer.writerow([number, document.get("respondent", ""), sum(sums), *sums])


def cli_batch(source: Path, target: Path) -> None:
    """``fourresp assess-batch SOURCE --format csv > TARGET``, in this process."""
    from fourresp.cli import main

    with (
        open(target, "w", encoding="utf-8", newline="") as out,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(open(os.devnull, "w")),
    ):
        code = main(["assess-batch", str(source), "--format", "csv"])
    assert code == 0, code


def _jsonl(rows: list[dict[str, int]]) -> str:
    return "".join(
        json.dumps({"respondent": f"r{n}", "answers": answers}) + "\n"
        for n, answers in enumerate(rows)
    )


def run_engine(args: argparse.Namespace) -> float:
    questionnaire = load_questionnaire()
    rows = generate(questionnaire, args.responses, uniform=args.uniform)
    qid, version = questionnaire.id, questionnaire.version
    responses = [Response(questionnaire=qid, version=version, answers=a) for a in rows]
    library(questionnaire, responses[:100])  # warm-up, alike for all
    light(questionnaire, responses[:100])
    hand_loop(questionnaire, rows[:100])
    timed = best_of_each(
        {
            "ours": lambda: library(questionnaire, responses),
            "light": lambda: light(questionnaire, responses),
            "base": lambda: hand_loop(questionnaire, rows),
        },
        repeat=args.repeat,
    )
    ours, lighter, base = timed["ours"], timed["light"], timed["base"]
    kind = "uniform" if args.uniform else "latent-trait"
    n = args.responses
    baseline = f"{base:.2f} s list-indexed hand loop ({base / n * 1e6:.1f} us each)"
    print(
        table(
            [
                (
                    f"score {n:,} prebuilt {kind} responses",
                    f"{ours:.2f} s ({ours / n * 1e6:.1f} us each)",
                    baseline,
                    f"{ours / base:.2f}x",
                ),
                (
                    f"light figures of the same {n:,} responses",
                    f"{lighter:.2f} s ({lighter / n * 1e6:.1f} us each)",
                    baseline,
                    f"{lighter / base:.2f}x",
                ),
            ]
        )
    )
    ratio = ours / base
    print(f"target <= {ENGINE_TARGET}x: {'met' if ratio <= ENGINE_TARGET else 'MISSED'}")
    return ratio


def run_batch(args: argparse.Namespace) -> float:
    questionnaire = load_questionnaire()
    rows = generate(questionnaire, args.responses, uniform=args.uniform)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "responses.jsonl")
        source.write_text(_jsonl(rows), encoding="utf-8")
        warm = Path(folder, "warm.jsonl")
        warm.write_text(_jsonl(rows[:100]), encoding="utf-8")
        ours_out, base_out = Path(folder, "ours.csv"), Path(folder, "base.csv")
        cli_batch(warm, ours_out)  # warm-up, alike for both
        hand_batch(questionnaire, warm, base_out)
        timed = best_of_each(
            {
                "ours": lambda: cli_batch(source, ours_out),
                "base": lambda: hand_batch(questionnaire, source, base_out),
            },
            repeat=args.repeat,
        )
    ours, base = timed["ours"], timed["base"]
    n = args.responses
    print(
        table(
            [
                (
                    f"assess-batch {n:,} JSON Lines responses to CSV",
                    f"{ours:.2f} s ({ours / n * 1e6:.1f} us each)",
                    f"{base:.2f} s json.loads + list sums + csv.writer "
                    f"({base / n * 1e6:.1f} us each)",
                    f"{ours / base:.2f}x",
                )
            ]
        )
    )
    ratio = ours / base
    print(f"target <= {BATCH_TARGET}x: {'met' if ratio <= BATCH_TARGET else 'MISSED'}")
    return ratio


# VmHWM, not ru_maxrss: a child's ru_maxrss can start from its parent's size.
_CHILD = """
import sys
from fourresp.cli import main
code = main(["assess-batch", sys.argv[1], "--format", "csv"])
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(peak, code, file=sys.stderr)
"""


def peak_kib(count: int, lines: list[str]) -> int:
    """Peak resident memory (KiB) of assess-batch over ``count`` rows fed through a pipe."""
    with tempfile.TemporaryDirectory() as folder:
        fifo = Path(folder, "responses.jsonl")
        os.mkfifo(fifo)
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(fifo)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

        def feed() -> None:
            with open(fifo, "w", encoding="utf-8") as pipe:
                for n in range(count):
                    pipe.write(lines[n % len(lines)])

        feeder = threading.Thread(target=feed)
        feeder.start()
        _, err = child.communicate()
        feeder.join()
    fields = err.strip().splitlines()[-1].split()
    assert fields[1] == "0", err
    return int(fields[0])


def run_memory(args: argparse.Namespace) -> None:
    questionnaire = load_questionnaire()
    rows = generate(questionnaire, 20_000, uniform=args.uniform)
    lines = _jsonl(rows).splitlines(keepends=True)
    small, large = peak_kib(100_000, lines), peak_kib(1_000_000, lines)
    print(
        table(
            [
                (
                    "assess-batch peak memory, 1,000,000 rows",
                    f"{large / 1024:.1f} MiB",
                    f"{small / 1024:.1f} MiB at 100,000 rows",
                    f"{large / small:.2f}x",
                )
            ]
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--uniform", action="store_true", help="uniform random answers")
    parser.add_argument("--batch", action="store_true", help="only assess-batch on a JSONL file")
    parser.add_argument("--memory", action="store_true", help="assess-batch peak memory")
    args = parser.parse_args()
    if args.memory:
        run_memory(args)
    elif args.batch:
        run_batch(args)
    else:  # what make bench runs: the engine, then the batch command
        run_engine(args)
        run_batch(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
