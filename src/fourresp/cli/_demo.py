"""``fourresp demo``: the whole library at work on its built-in content, written to a folder.

Everything comes from the defaults shipped in the package (the framework, the
questionnaire, the scenario); nothing is fetched and nothing is asked. The folder
ends up with Markdown, JSON, SVG, DOT and Mermaid files and an ``index.html`` that
shows them on one page (inline SVG, no scripts), which opens from disk.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fourresp._files import document_text, write_atomically

if TYPE_CHECKING:
    from fourresp.assessment import Questionnaire, Response, Result
    from fourresp.content import Framework
    from fourresp.scenario import Scorecard
    from fourresp.supporters import Supporter

__all__ = ["DEMO_ANSWERS", "DEMO_CHOICES", "build_demo", "is_earlier_demo"]

# A realistic day: good instincts with the client, a slip or two under pressure.
DEMO_CHOICES = (
    "ask-about-results",
    "propose-a-blend",
    "agree-three-measures",
    "take-his-sheet",
    "cover-the-list",
    "try-it-live",
    "declare-and-step-back",
    "let-it-go",
    "skip-the-webinar",
    "score-against-criteria",
    "look-back-honestly",
    "evaluation-course",
    "keep-the-review",
    "clear-the-inbox",
)
# A realistic answer set (1 never .. 5 always, before reverse keying): strong with
# clients and learners, patchier with peers, stretched on their own development.
DEMO_ANSWERS = {
    "client": (4, 5, 4, 3),
    "learners": (4, 4, 5, 3),
    "peers": (3, 4, 2, 3),
    "self": (2, 3, 2, 4),
}


# Marks a folder's index.html as the demo's own, so a later run may refresh it.
_GENERATOR = '<meta name="generator" content="fourresp demo">'


def is_earlier_demo(folder: Path) -> bool:
    """Whether ``folder`` holds a demo written before (its ``index.html`` says so)."""
    try:
        with (folder / "index.html").open(encoding="utf-8", errors="replace") as stream:
            return _GENERATOR in stream.read(4096)
    except OSError:
        return False


def _page(sections: list[tuple[str, str]], title: str) -> str:
    body = "\n".join(
        f'<section id="{html.escape(anchor)}">\n{content}\n</section>'
        for anchor, content in sections
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{_GENERATOR}
<title>{html.escape(title)}</title>
<style>
body {{ font-family: "DejaVu Sans", Verdana, Arial, sans-serif; max-width: 960px;
       margin: 2rem auto; padding: 0 1rem; color: #111827; line-height: 1.5; }}
h1, h2 {{ color: #1e293b; }}
section {{ border-top: 1px solid #e5e7eb; padding-top: 1rem; margin-top: 2rem; }}
.row {{ display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: center; }}
figure {{ margin: 0; }}
figcaption {{ font-size: 0.85rem; color: #4b5563; }}
pre {{ background: #f8fafc; padding: 0.75rem; overflow-x: auto; font-size: 0.8rem; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #e5e7eb; padding: 0.25rem 0.5rem; text-align: left; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>Made by <code>fourresp demo</code> from the built-in content. Every file it wrote is
linked below.</p>
{body}
</body>
</html>
"""


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"


def _link(path: str) -> str:
    return f'<a href="{html.escape(path)}">{html.escape(path)}</a>'


def build_demo(
    folder: Path, progress: Callable[[str], None] = lambda _: None, *, replace: bool = False
) -> list[Path]:
    """Write the demo into ``folder`` (created if need be); the files written, in order.

    ``progress`` is told the relative path of each file as it is written. A folder
    that is not empty must hold an earlier demo (whose files are then refreshed),
    unless ``replace``; otherwise :class:`~fourresp.errors.StorageError` is raised
    and nothing is written.
    """
    from fourresp.errors import StorageError

    earlier = is_earlier_demo(folder)
    if folder.is_dir() and not earlier and not replace and any(folder.iterdir()):
        raise StorageError(
            f"{folder} is not empty and holds no earlier demo: choose another folder, "
            "or add --force to write into it anyway"
        )
    from fourresp.content import load_framework

    folder.mkdir(parents=True, exist_ok=True)
    out = _Folder(folder, progress, replace=replace or earlier)
    framework = load_framework()
    sections = [_framework_section(out, framework)]
    section, result = _assessment_section(out, framework)
    sections.append(section)
    section, card = _scenario_section(out)
    sections.append(section)
    sections.append(_badges_section(out, framework, result, card))
    out.write("index.html", _page(sections, "fourresp: the four responsibilities at work"))
    return out.written


class _Folder:
    """Where the demo writes: each file written atomically, recorded and reported."""

    def __init__(self, folder: Path, progress: Callable[[str], None], *, replace: bool) -> None:
        self.folder = folder
        self.progress = progress
        self.replace = replace
        self.written: list[Path] = []

    def write(self, relative: str, text: str) -> None:
        """Write ``text`` to ``relative`` under the folder, its parents created if need be."""
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text, replace=self.replace)
        self.written.append(path)
        self.progress(relative)


def _framework_section(out: _Folder, framework: Framework) -> tuple[str, str]:
    """The framework as text and JSON, and its section: responsibilities, aspects, links."""
    from fourresp import to_document
    from fourresp.content import framework_text, share_links

    out.write("framework.txt", framework_text(framework))
    out.write("framework.json", json.dumps(to_document(framework), indent=2, ensure_ascii=False))
    items = "".join(
        f"<li><strong>{html.escape(r.heading)}</strong><ul>"
        + "".join(f"<li>{html.escape(a.title)}</li>" for a in r.aspects)
        + "</ul></li>"
        for r in framework
    )
    links = share_links("https://example.org/four-responsibilities", framework.resources.share)
    return (
        "framework",
        f"<h2>{html.escape(framework.title)}</h2><ol>{items}</ol>"
        f"<p>Files: {_link('framework.txt')}, {_link('framework.json')}. Share on "
        + ", ".join(
            f'<a href="{html.escape(url)}">{html.escape(name)}</a>'
            for name, url in links.as_dict().items()
        )
        + f".</p><p><small>{html.escape(framework.resources.licence.attribution)}</small></p>",
    )


def _demo_response(questionnaire: Questionnaire, framework: Framework) -> Response:
    """The sample answers: each responsibility's pattern of :data:`DEMO_ANSWERS` in turn."""
    from fourresp.assessment import Response

    answers: dict[str, Any] = {}
    counters = dict.fromkeys(DEMO_ANSWERS, 0)
    for item in questionnaire.items:
        owner = framework.responsibility_of(item.aspect).id
        pattern = DEMO_ANSWERS[owner]
        value = pattern[counters[owner] % len(pattern)]
        counters[owner] += 1
        scale = questionnaire.scale_of(item)
        answers[item.id] = scale.min + scale.max - value if item.reverse else value
    return Response(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        answers=answers,
        respondent="demo",
    )


def _assessment_section(out: _Folder, framework: Framework) -> tuple[tuple[str, str], Result]:
    """The sample answers scored, written as YAML, Markdown, JSON and a chart; the section."""
    from fourresp import to_document
    from fourresp.assessment import load_questionnaire, result_chart, result_markdown, score

    questionnaire = load_questionnaire()
    response = _demo_response(questionnaire, framework)
    result = score(questionnaire, response)
    chart = result_chart(result)
    out.write("assessment/answers.yaml", document_text(to_document(response), "answers.yaml"))
    out.write("assessment/result.md", result_markdown(result, questionnaire=questionnaire))
    out.write(
        "assessment/result.json", json.dumps(to_document(result), indent=2, ensure_ascii=False)
    )
    out.write("assessment/chart.svg", chart)
    overall = result.overall
    strengths = "".join(
        f"<li>{html.escape(h.title)}: {html.escape(h.advice)}</li>" for h in result.strengths
    )
    improvements = "".join(
        f"<li>{html.escape(h.title)}: {html.escape(h.advice)}</li>" for h in result.improvements
    )
    section = (
        "assessment",
        f"<h2>{html.escape(questionnaire.title)}</h2>"
        f"<p>Overall: {overall.percent or 0:.0f}%"
        f" ({html.escape(overall.band.name if overall.band else '')})</p>"
        + _figure(chart, "The four responsibilities, from a sample set of answers")
        + f"<h3>What you do well</h3><ul>{strengths}</ul>"
        f"<h3>Where you can improve</h3><ul>{improvements}</ul>"
        f"<p>Files: {_link('assessment/answers.yaml')}, {_link('assessment/result.md')}, "
        f"{_link('assessment/result.json')}, {_link('assessment/chart.svg')}.</p>",
    )
    return section, result


def _scenario_section(out: _Folder) -> tuple[tuple[str, str], Scorecard]:
    """The scenario played with :data:`DEMO_CHOICES`: scorecard, run and graphs; the section."""
    from fourresp._document._convert import shared_converter
    from fourresp.scenario import (
        Runner,
        load_scenario,
        scorecard_chart,
        scorecard_markdown,
        to_dot,
        to_mermaid,
    )
    from fourresp.scenario._models import scenario_hooks

    scenario = load_scenario()
    runner = Runner(scenario)
    run = runner.start()
    for choice in DEMO_CHOICES:
        run = runner.choose(run, choice)
    card = runner.scorecard(run)
    scorecard_svg = scorecard_chart(card)
    out.write("scenario/scorecard.md", scorecard_markdown(card))
    card_document = shared_converter(scenario_hooks).unstructure(card)
    out.write("scenario/scorecard.json", json.dumps(card_document, indent=2, ensure_ascii=False))
    out.write("scenario/scorecard.svg", scorecard_svg)
    out.write("scenario/run.json", json.dumps(runner.save(run), indent=2))
    out.write("scenario/graph.dot", to_dot(scenario))
    mermaid = to_mermaid(scenario)
    out.write("scenario/graph.mmd", mermaid)
    path_items = "".join(
        f"<li><strong>{html.escape(item.text)}</strong> "
        f"<em>{html.escape(item.feedback or '')}</em></li>"
        for item in card.feedback
    )
    section = (
        "scenario",
        f"<h2>{html.escape(scenario.title)}</h2>"
        f"<p>{html.escape(scenario.introduction)}</p>"
        f"<p>Verdict: <strong>{html.escape(_verdict(card))}</strong></p>"
        + _figure(scorecard_svg, "The scorecard of a scripted play-through")
        + f"<details><summary>The choices made, and what the mentor said</summary>"
        f"<ol>{path_items}</ol></details>"
        f"<p>Files: {_link('scenario/scorecard.md')}, {_link('scenario/scorecard.json')}, "
        f"{_link('scenario/scorecard.svg')}, {_link('scenario/run.json')}, "
        f"{_link('scenario/graph.dot')}, {_link('scenario/graph.mmd')}.</p>"
        f"<details><summary>The scenario's graph (Mermaid)</summary>"
        f"<pre>{html.escape(mermaid)}</pre></details>",
    )
    return section, card


def _verdict(card: Scorecard) -> str:
    return card.ending.verdict if card.ending is not None else "unfinished"


def _badges_section(
    out: _Folder, framework: Framework, result: Result, card: Scorecard
) -> tuple[str, str]:
    """Every badge style, the result, verdict, emblem and supporter badges; the section."""
    from fourresp.assessment import result_badge
    from fourresp.badges import STYLES, badge, emblem, verdict_badge
    from fourresp.supporters import supporter_badge

    figures = []
    for style in STYLES:
        svg = badge("questionnaire", "established", color="blue", style=style)
        out.write(f"badges/shields-{style}.svg", svg)
        figures.append(_figure(svg, style))
    result_svg = result_badge(result)
    verdict_svg = verdict_badge(_verdict(card), passed=card.ending.passed if card.ending else None)
    emblem_svg = emblem(size=192, hashtag=framework.resources.share.hashtag)
    out.write("badges/result.svg", result_svg)
    out.write("badges/verdict.svg", verdict_svg)
    out.write("badges/emblem.svg", emblem_svg)
    supporter = _demo_supporter(framework)
    assertion = _demo_assertion()
    supporter_svg = supporter_badge(supporter, size=192)
    baked_svg = supporter_badge(supporter, size=192, assertion=assertion)
    out.write("badges/supporter.svg", supporter_svg)
    out.write("badges/supporter-baked.svg", baked_svg)
    out.write("badges/assertion.json", json.dumps(assertion, indent=2))
    return (
        "badges",
        '<h2>Badges</h2><div class="row">'
        + "".join(figures)
        + _figure(result_svg, "self-assessment result")
        + _figure(verdict_svg, "scenario verdict")
        + '</div><div class="row">'
        + _figure(emblem_svg, "the emblem")
        + _figure(supporter_svg, f"{supporter.name}'s badge")
        + f'<figure><img src="badges/supporter-baked.svg" width="192" height="192" '
        f'alt="{html.escape(supporter.name)}\'s badge, with an Open Badges assertion baked in">'
        "<figcaption>the same, with an Open Badges 2.0 assertion baked in</figcaption>"
        "</figure></div>"
        f"<p>Files: {_link('badges/supporter-baked.svg')}, {_link('badges/assertion.json')}, "
        "and every badge above under badges/.</p>",
    )


def _demo_supporter(framework: Framework) -> Supporter:
    """A sample supporter, recorded in a registry in memory."""
    from fourresp.supporters import Pledge, open_registry

    with open_registry() as registry:
        return registry.add(
            Pledge(
                name="Ada Lovelace",
                email="ada@example.org",
                organisation="Analytical Engines Ltd",
                country="GB",
                public=True,
                pledged_on="2026-11-29",
                framework_version=framework.version,
            )
        )


def _demo_assertion() -> dict[str, Any]:
    """A sample Open Badges 2.0 assertion of the supporter badge, with its issuer and class."""
    from fourresp.badges import ob2_assertion, ob2_badge_class, ob2_issuer

    issuer = ob2_issuer(
        id="https://example.org/issuer", name="Example L&D team", url="https://example.org"
    )
    badge_class = ob2_badge_class(
        id="https://example.org/badges/supporter",
        name="Four Responsibilities supporter",
        description="Pledged to the four responsibilities of the learning professional.",
        image="https://example.org/badges/supporter.svg",
        issuer=issuer["id"],
        criteria_narrative="Add your name to the list of supporters.",
    )
    return ob2_assertion(
        id="https://example.org/assertions/1",
        badge=badge_class["id"],
        recipient_email="ada@example.org",
        salt="demo-salt-0001",  # a real app passes secrets.token_hex(16)
        issued_on="2026-11-29T12:00:00Z",
    )
