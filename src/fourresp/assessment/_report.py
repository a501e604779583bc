"""Reports of a result for people: Markdown and an SVG chart."""

from __future__ import annotations

from fourresp._markdown import escape as markdown_escape
from fourresp.assessment._models import Questionnaire, Result, Score
from fourresp.charts import Bar, bar_chart

__all__ = ["result_chart", "result_markdown"]


def _figure(score: Score) -> str:
    if score.percent is None:
        return "not enough answers"
    return f"{score.percent:.0f}%"


def _band(score: Score) -> str:
    return markdown_escape(score.band.name) if score.band is not None else ""


def result_markdown(result: Result, *, questionnaire: Questionnaire | None = None) -> str:
    """A Markdown report of ``result``: overall, each responsibility, strengths, what to improve.

    Pass the ``questionnaire`` to title the report with its name. Every piece of
    text is escaped, so a respondent id or authored text cannot inject markup.
    """
    title = questionnaire.title if questionnaire is not None else "Self-assessment"
    lines = [f"# Results: {markdown_escape(title)}", ""]
    if result.respondent is not None:
        lines += [f"Respondent: {markdown_escape(result.respondent)}", ""]
    overall = result.overall
    band = f" ({_band(overall)})" if overall.band is not None else ""
    lines.append(
        f"**Overall: {_figure(overall)}{band}**, {overall.answered} answered, "
        f"{overall.missing} skipped."
    )
    lines.append("")
    for advice in (result.overall_doing_well, result.overall_to_improve):
        if advice:
            lines += [markdown_escape(advice, line_start=True), ""]
    lines += ["| Responsibility | Score | Band | Answered |", "| --- | ---: | --- | ---: |"]
    for item in result.responsibilities:
        score = item.score
        lines.append(
            f"| {markdown_escape(item.title)} | {_figure(score)} | {_band(score)} | "
            f"{score.answered} of {score.answered + score.missing} |"
        )
    lines.append("")
    for item in result.responsibilities:
        lines += [f"## {markdown_escape(item.title)}: {_figure(item.score)}", ""]
        if item.doing_well:
            lines += [f"**Doing well.** {markdown_escape(item.doing_well)}", ""]
        if item.to_improve:
            lines += [f"**To improve.** {markdown_escape(item.to_improve)}", ""]
        aspects = [a for a in result.aspects if a.responsibility == item.responsibility]
        if aspects:
            lines += ["| Aspect | Score |", "| --- | ---: |"]
            lines += [f"| {markdown_escape(a.title)} | {_figure(a.score)} |" for a in aspects]
            lines.append("")
    for heading, highlights in (
        ("What you do well", result.strengths),
        ("Where you can improve", result.improvements),
    ):
        if highlights:
            lines += [f"## {heading}", ""]
            lines += [
                f"- **{markdown_escape(h.title)}** ({h.percent:.0f}%): {markdown_escape(h.advice)}"
                for h in highlights
            ]
            lines.append("")
    lines.append(
        f"_Questionnaire {markdown_escape(result.questionnaire)} version "
        f"{markdown_escape(result.version)}, scored with {markdown_escape(result.scorer)}._"
    )
    return "\n".join(lines) + "\n"


def result_chart(
    result: Result, *, title: str = "Your four responsibilities", id_prefix: str | None = None
) -> str:
    """An SVG bar chart of each responsibility's percent (0-100) and band.

    See :func:`fourresp.charts.bar_chart` for what the SVG promises.
    """
    overall = result.overall
    subtitle = f"Overall: {_figure(overall)}" + (
        f" ({overall.band.name})" if overall.band is not None else ""
    )
    bars = [
        Bar(
            label=item.title,
            percent=item.score.percent,
            note=item.score.band.name if item.score.band is not None else None,
        )
        for item in result.responsibilities
    ]
    return bar_chart(title, bars, subtitle=subtitle, id_prefix=id_prefix)
