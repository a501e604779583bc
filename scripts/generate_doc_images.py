"""Regenerate the pictures in docs/images from the library itself.

    python scripts/generate_doc_images.py

The test suite checks that the committed pictures are what the library draws
today, so the guides never show a badge the code no longer makes.
"""

from __future__ import annotations

import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"


def pictures() -> dict[str, str]:
    """Every picture the guides show: file name -> SVG text."""
    from fourresp.assessment import Response, load_questionnaire, result_chart, score
    from fourresp.badges import STYLES, badge, emblem, verdict_badge

    out = {
        f"badge-{style}.svg": badge("questionnaire", "established", color="blue", style=style)
        for style in STYLES
    }
    out["badge-verdict.svg"] = verdict_badge("recognised as a true professional", passed=True)
    for theme in ("classic", "light", "dark", "mono"):
        out[f"emblem-{theme}.svg"] = emblem(name="Ada Lovelace", year=2026, theme=theme, size=256)
    out["emblem-small.svg"] = emblem(size=64)
    questionnaire = load_questionnaire()
    levels = {"client": 4, "learners": 4, "peers": 3, "self": 2}
    answers = {}
    for item in questionnaire.items:
        value = levels[item.aspect.split("-")[0]]
        answers[item.id] = 6 - value if item.reverse else value
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    out["assessment-chart.svg"] = result_chart(score(questionnaire, response))
    return out


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, svg in pictures().items():
        (IMAGES / name).write_text(svg, encoding="utf-8")
        print(f"wrote docs/images/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
