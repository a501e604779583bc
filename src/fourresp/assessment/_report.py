"""Reports of a result for people: Markdown and an SVG chart."""

from __future__ import annotations

from fourresp._markdown import escape as markdown_escape
from fourresp.assessment._models import Band, Questionnaire, Reference, Result, Score
from fourresp.errors import ArgumentError

__all__ = ["result_chart", "result_markdown"]


def _figure(score: Score) -> str:
    if score.percent is None:
        return "not enough answers"
    return f"{score.percent:.0f}%"


def _band(score: Score) -> str:
    return markdown_escape(score.band.name) if score.band is not None else ""


def _citation(reference: Reference) -> str:
    year = f" ({reference.year})" if reference.year is not None else ""
    address = f", {markdown_escape(reference.url)}" if reference.url is not None else ""
    return (
        f"{markdown_escape(reference.author)}{year}, *{markdown_escape(reference.title)}*{address}"
    )


def _sources(references: tuple[Reference, ...], indent: str = "") -> list[str]:
    """A "Sources" list under a next step; nothing when there are no references."""
    if not references:
        return []
    return [f"{indent}- Source: {_citation(reference)}" for reference in references]


def _band_of(questionnaire: Questionnaire | None, group: str, score: Score) -> Band | None:
    if questionnaire is None or score.band is None:
        return None
    for band in questionnaire.bands_for(group):
        if band.id == score.band.id:
            return band
    return None


def _references(questionnaire: Questionnaire | None, group: str, score: Score) -> list[str]:
    band = _band_of(questionnaire, group, score)
    lines = _sources(band.references) if band is not None else []
    return [*lines, ""] if lines else []


def result_markdown(result: Result, *, questionnaire: Questionnaire | None = None) -> str:
    """A Markdown report of ``result``: overall, each responsibility, strengths, next steps.

    Pass the ``questionnaire`` to title the report with its name and to list, under
    each next step, the public sources its bands and aspect feedback cite
    (``references``), and the note on provisional band cut-offs. Every piece of
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
    if result.overall_doing_well:
        lines += [markdown_escape(result.overall_doing_well, line_start=True), ""]
    if result.overall_to_improve:
        lines += [f"**Next step.** {markdown_escape(result.overall_to_improve)}", ""]
        lines += _references(questionnaire, "overall", overall)
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
            lines += [f"**Your practice.** {markdown_escape(item.doing_well)}", ""]
        if item.to_improve:
            lines += [f"**Next step.** {markdown_escape(item.to_improve)}", ""]
            lines += _references(questionnaire, item.responsibility, item.score)
        aspects = [a for a in result.aspects if a.responsibility == item.responsibility]
        if aspects:
            lines += ["| Aspect | Score |", "| --- | ---: |"]
            lines += [f"| {markdown_escape(a.title)} | {_figure(a.score)} |" for a in aspects]
            lines.append("")
    for heading, highlights, improving in (
        ("What you do well", result.strengths, False),
        ("Where you can improve: next steps", result.improvements, True),
    ):
        if highlights:
            lines += [f"## {heading}", ""]
            for h in highlights:
                lines.append(
                    f"- **{markdown_escape(h.title)}** ({h.percent:.0f}%): "
                    f"{markdown_escape(h.advice)}"
                )
                feedback = questionnaire.feedback_for(h.aspect) if questionnaire else None
                if improving and feedback is not None:
                    lines += _sources(feedback.references, indent="  ")
            lines.append("")
    cutoffs = questionnaire.cutoffs if questionnaire is not None else None
    if cutoffs is not None and cutoffs.provisional:
        note = f" {markdown_escape(cutoffs.note)}" if cutoffs.note else ""
        lines += [f"_The bands' cut-offs are provisional.{note}_", ""]
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
    from fourresp.charts import Bar, bar_chart  # imported when a chart is drawn

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


def result_badge(result: Result, *, style: str = "flat", label: str = "self-assessment") -> str:
    """A shields-style badge of a questionnaire result: its overall band and percent.

    The colour follows the percent: orange below 50, yellow-green below 75,
    bright green from 75; grey when there were not enough answers. Raises
    :class:`~fourresp.errors.ArgumentError` for anything but a :class:`Result`.
    """
    from fourresp.badges import badge  # imported when a badge is drawn

    if not isinstance(style, str):
        raise ArgumentError(f"style is one of the badge styles, not {type(style).__name__}")
    if not isinstance(result, Result):
        raise ArgumentError(f"result_badge takes an assessment Result, not {type(result).__name__}")
    overall = result.overall
    if overall.percent is None:
        return badge(label, "not enough answers", color="lightgrey", style=style)
    colour = (
        "orange"
        if overall.percent < 50
        else "yellowgreen"
        if overall.percent < 75
        else "brightgreen"
    )
    band = f"{overall.band.name.lower()} " if overall.band is not None else ""
    return badge(label, f"{band}{overall.percent:.0f}%", color=colour, style=style)
