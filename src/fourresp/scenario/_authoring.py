"""Authoring checks the structural pass does not make: names in variants, placeholders.

Choice and ending-rule conditions are checked by the structural pass; these
cover what it does not read: variants, epilogues, ``percent`` comparisons
anywhere, and the placeholders written in scenes, debriefs and epilogues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fourresp.content import Framework
from fourresp.errors import Problem
from fourresp.scenario._compiled import PLACEHOLDERS, atoms, conditions
from fourresp.scenario._conditions import VARIANT_WORDING, References
from fourresp.scenario._models import ResponsibilityPercent, Scenario

__all__ = ["authoring_findings"]

_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")


def authoring_findings(scenario: Scenario, framework: Framework) -> Iterator[Problem]:
    """Unknown names in variant conditions and percent comparisons; unknown placeholders.

    Choice and ending-rule conditions are checked by the structural pass; this
    covers what it does not read: variants, epilogues, and ``percent`` anywhere.
    """
    responsibilities = {r.id for r in framework}
    references = References(
        variables={v.name: v for v in scenario.variables},
        aspects={a.id for a in framework.aspects},
        responsibilities=responsibilities,
        scenes={s.id for s in scenario.scenes},
        framework=framework.id,
    )
    for condition, path in conditions(scenario):
        in_variant = "variants" in path
        for atom in atoms(condition):
            if isinstance(atom, ResponsibilityPercent) and atom.percent not in responsibilities:
                yield Problem(
                    code="unknown-responsibility",
                    severity="error",
                    parts=path,
                    subject=atom.percent,
                    message=f"the condition reads the percent of {atom.percent!r}; known: "
                    + ", ".join(sorted(responsibilities)),
                )
            if not in_variant:
                continue
            problem = references.finding(atom, VARIANT_WORDING)
            if problem is not None:
                code, subject, message = problem
                yield Problem(
                    code=code, severity="error", parts=path, subject=subject, message=message
                )
    yield from _placeholders(scenario)


def _texts(scenario: Scenario) -> Iterator[tuple[str, tuple[str | int, ...], str, bool]]:
    """(text, path, owner id, whether placeholders are filled there)."""
    for scene in scenario.scenes:
        yield scene.text, ("scenes", scene.id, "text"), scene.id, False
        for n, variant in enumerate(scene.variants):
            yield variant.text, ("scenes", scene.id, "variants", n, "text"), scene.id, False
    for ending in scenario.endings:
        yield ending.debrief, ("endings", ending.id, "debrief"), ending.id, True
        for n, variant in enumerate(ending.variants):
            yield variant.text, ("endings", ending.id, "variants", n, "text"), ending.id, True
        if ending.epilogue is not None:
            base = ("endings", ending.id, "epilogue")
            yield ending.epilogue.text, (*base, "text"), ending.id, True
            for n, variant in enumerate(ending.epilogue.variants):
                yield variant.text, (*base, "variants", n, "text"), ending.id, True


def _placeholders(scenario: Scenario) -> Iterator[Problem]:
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for text, path, owner, filled in _texts(scenario):
        for match in _PLACEHOLDER.finditer(text):
            name = match.group(1)
            if filled and name in PLACEHOLDERS:
                continue
            where = "" if filled else " (placeholders are filled in debriefs and epilogues only)"
            yield Problem(
                code="unknown-placeholder",
                severity="error",
                parts=path,
                subject=owner,
                message=f"{{{name}}} would be shown as it is{where}: the placeholders are {known}",
            )
