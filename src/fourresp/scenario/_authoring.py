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
from fourresp.scenario._models import (
    AspectTotal,
    ResponsibilityPercent,
    ResponsibilityTotal,
    Scenario,
    VariableIs,
    Visited,
)

__all__ = ["authoring_findings"]

_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")


def authoring_findings(scenario: Scenario, framework: Framework) -> Iterator[Problem]:
    """Unknown names in variant conditions and percent comparisons; unknown placeholders.

    Choice and ending-rule conditions are checked by the structural pass; this
    covers what it does not read: variants, epilogues, and ``percent`` anywhere.
    """
    declared = {v.name: v for v in scenario.variables}
    scenes = {s.id for s in scenario.scenes}
    aspects = {a.id for a in framework.aspects}
    responsibilities = {r.id for r in framework}
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
            if isinstance(atom, VariableIs) and atom.var not in declared:
                yield Problem(
                    code="undeclared-variable",
                    severity="error",
                    parts=path,
                    subject=atom.var,
                    message=f"the variant reads {atom.var!r}, which is not declared: add it "
                    "under 'variables'",
                )
            elif isinstance(atom, VariableIs) and _mistyped(atom, declared[atom.var].type):
                kind = declared[atom.var].type
                yield Problem(
                    code="type-mismatch",
                    severity="error",
                    parts=path,
                    subject=atom.var,
                    message=f"{atom.var!r} is {'a boolean' if kind == 'boolean' else 'an integer'}"
                    f": the variant compares it {atom.op} {atom.value!r}; compare a boolean with "
                    "== or != to true or false, an integer with a whole number",
                )
            elif isinstance(atom, AspectTotal) and atom.aspect not in aspects:
                yield Problem(
                    code="unknown-aspect",
                    severity="error",
                    parts=path,
                    subject=atom.aspect,
                    message=f"the variant reads aspect {atom.aspect!r}, which is not an aspect "
                    f"of {framework.id!r}",
                )
            elif (
                isinstance(atom, ResponsibilityTotal)
                and atom.responsibility not in responsibilities
            ):
                yield Problem(
                    code="unknown-responsibility",
                    severity="error",
                    parts=path,
                    subject=atom.responsibility,
                    message=f"the variant reads responsibility {atom.responsibility!r}; known: "
                    + ", ".join(sorted(responsibilities)),
                )
            elif isinstance(atom, Visited) and atom.visited not in scenes:
                yield Problem(
                    code="unknown-scene",
                    severity="error",
                    parts=path,
                    subject=atom.visited,
                    message=f"the variant asks whether {atom.visited!r} was visited, but there "
                    "is no such scene",
                )
    yield from _placeholders(scenario)


def _mistyped(atom: VariableIs, kind: str) -> bool:
    """Whether a comparison does not fit its variable's type (as for choice conditions)."""
    if kind == "boolean":
        return not isinstance(atom.value, bool) or atom.op not in ("==", "!=")
    return isinstance(atom.value, bool)


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
