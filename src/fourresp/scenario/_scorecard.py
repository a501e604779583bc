"""The scorecard of a run: per aspect, per responsibility, the ending, the feedback.

A responsibility's ``percent`` is how much of what was achievable on the path the
player achieved: at each step, the best and the worst net marks for that
responsibility among the choices open at the time are summed, and the run's net
is placed between them (0 = the worst choice every time, 100 = the best). It is
None when no step offered any difference for that responsibility.
"""

from __future__ import annotations

import attrs

from fourresp._markdown import escape
from fourresp.scenario._models import Ending

__all__ = [
    "AspectScore",
    "FeedbackItem",
    "ResponsibilityScore",
    "Scorecard",
    "scorecard_chart",
    "scorecard_markdown",
]


@attrs.frozen(kw_only=True)
class AspectScore:
    """Marks on one aspect: how many +, how many -, and the net (weights counted)."""

    aspect: str
    title: str
    responsibility: str
    plus: int
    minus: int
    net: int


@attrs.frozen(kw_only=True)
class ResponsibilityScore:
    """One responsibility's net marks, the best and worst the path allowed, and the percent."""

    responsibility: str
    title: str
    net: int
    best: int
    worst: int
    percent: float | None


@attrs.frozen(kw_only=True)
class FeedbackItem:
    """What the mentor said after one choice."""

    step: int
    scene: str
    choice: str
    text: str
    feedback: str | None


@attrs.frozen(kw_only=True)
class Scorecard:
    """The summary of a run (finished or not).

    ``debrief`` and ``epilogue`` are the ending's, as this run reads them (the
    variant that holds, placeholders filled); None before the end or without one.
    """

    scenario: str
    version: str
    title: str
    finished: bool
    ending: Ending | None
    steps: int
    aspects: tuple[AspectScore, ...]
    responsibilities: tuple[ResponsibilityScore, ...]
    feedback: tuple[FeedbackItem, ...]
    debrief: str | None = None
    epilogue: str | None = None


def scorecard_markdown(card: Scorecard) -> str:
    """A Markdown report of a scorecard; every piece of text is escaped."""
    lines = [f"# Scorecard: {escape(card.title)}", ""]
    if card.ending is not None:
        lines += [
            f"**{escape(card.ending.title)}**: {escape(card.ending.verdict)}.",
            "",
            escape(card.debrief or card.ending.debrief, line_start=True),
            "",
        ]
        if card.epilogue:
            lines += [f"_{escape(card.epilogue)}_", ""]
    elif not card.finished:
        lines += [f"_In progress: {card.steps} steps so far._", ""]
    lines += ["| Responsibility | Net | Of what was achievable |", "| --- | ---: | ---: |"]
    for item in card.responsibilities:
        percent = "-" if item.percent is None else f"{item.percent:.0f}%"
        lines.append(f"| {escape(item.title)} | {item.net:+d} | {percent} |")
    lines += ["", "| Aspect | + | - | Net |", "| --- | ---: | ---: | ---: |"]
    for aspect in card.aspects:
        if aspect.plus or aspect.minus:
            lines.append(
                f"| {escape(aspect.title)} | {aspect.plus} | {aspect.minus} | {aspect.net:+d} |"
            )
    if card.feedback:
        lines += ["", "## Along the way", ""]
        for said in card.feedback:
            comment = f" {escape(said.feedback)}" if said.feedback else ""
            lines.append(f"{said.step}. **{escape(said.text)}**{comment}")
    lines += ["", f"_Scenario {escape(card.scenario)} version {escape(card.version)}._"]
    return "\n".join(lines) + "\n"


def scorecard_chart(card: Scorecard, *, id_prefix: str | None = None) -> str:
    """The shared SVG bar chart of each responsibility's percent of what was achievable."""
    from fourresp.charts import Bar, bar_chart  # imported when a chart is drawn

    subtitle = (
        f"{card.ending.title}: {card.ending.verdict}"
        if card.ending is not None
        else f"{card.steps} steps so far"
    )
    bars = [
        Bar(
            label=item.title,
            percent=None if item.percent is None else max(0.0, min(100.0, item.percent)),
            note=f"net {item.net:+d}",
            missing="no choice on the path touched it",
        )
        for item in card.responsibilities
    ]
    return bar_chart(card.title, bars, subtitle=subtitle, id_prefix=id_prefix)
