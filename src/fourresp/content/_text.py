"""The framework as plain text: what ``fourresp info`` prints and the demo writes."""

from __future__ import annotations

import re
import textwrap

from fourresp.content._models import Framework

__all__ = ["framework_text"]

_LICENCE = re.compile(r"\bCC(?: BY| 0)(?:-[A-Z]{2})*(?: [0-9]\.[0-9])?")


def _wrap(text: str, indent: str) -> str:
    # A licence's name ("CC BY-NC-SA 4.0") is never broken, at a hyphen or a space.
    text = _LICENCE.sub(lambda m: m.group().replace(" ", "\u00a0"), " ".join(text.split()))
    wrapped = textwrap.fill(
        text, width=88, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )
    return wrapped.replace("\u00a0", " ")


def framework_text(framework: Framework) -> str:
    """The framework as plain text for a terminal, 88 columns wide (what ``fourresp info`` prints).

    Each aspect comes with its boundaries (what it includes and excludes).

    >>> from fourresp.content import framework_text, load_framework
    >>> framework_text(load_framework()).splitlines()[2]
    ''
    """
    lines = [framework.title + (f" {framework.subtitle}" if framework.subtitle else "")]
    lines.append(
        f"version {framework.version}, {framework.locale}, {len(framework.aspects)} aspects"
    )
    for number, item in enumerate(framework.responsibilities, start=1):
        lines += ["", f"{number}. {item.heading}", _wrap(item.statement, "   "), ""]
        for aspect in item.aspects:
            lines.append(f"   - {aspect.title} [{aspect.id}]")
            lines.append(_wrap(aspect.description, "       "))
            if aspect.includes:
                lines.append(_wrap(f"Includes: {aspect.includes}", "       "))
            if aspect.excludes:
                lines.append(_wrap(f"Excludes: {aspect.excludes}", "       "))
    resources = framework.resources
    lines += ["", "Resources"]
    for intro in (resources.questionnaire, resources.scenario):
        lines.append(f"  {intro.title}: {intro.call_to_action}")
    lines.append(f"  {resources.book.call_to_action}: {resources.book.title}")
    lines.append(f"  {resources.pledge.title}: {resources.pledge.badge_call_to_action}")
    lines.append(f"  {resources.share.title}: {resources.share.hashtag}")
    lines += ["", _wrap(resources.licence.attribution, "")]
    return "\n".join(lines) + "\n"
