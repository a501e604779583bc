"""The static validator: every diagnostic at once, each with a code, a path and a fix.

Two passes, each in its own module:

1. **Structure** (``_structure``, linear in scenes plus choices): references, ids,
   variables and their types, aspects, reachability, ways out, endings, conditions
   that can never hold given the keys' domains (``_conditions``), loops round
   which a score can grow without bound, coverage.
2. **State space** (``_explore``): every way of playing, within a state limit and
   a memory budget. It finds what conditions hide from the first pass (a choice
   never offered, a scene only conditions make unreachable, a run that gets stuck,
   an ending rule that matches nothing) and gives, for each ending, the range of
   each responsibility's net marks over every way of reaching it (``_reporting``).

Where the second pass cannot be exact it says so with a warning, never an error.
Every code is documented in ``docs/scenario-diagnostics.md``.
"""

from __future__ import annotations

from typing import cast

from fourresp.content import Framework, load_framework
from fourresp.errors import Problem
from fourresp.scenario._authoring import authoring_findings
from fourresp.scenario._balance import balance as balance_report
from fourresp.scenario._compiled import CompiledScenario, conditions
from fourresp.scenario._conditions import atoms
from fourresp.scenario._explore import DEFAULT_MEMORY_BUDGET, DEFAULT_STATE_LIMIT, Exploration
from fourresp.scenario._models import Scenario, VariableIs
from fourresp.scenario._reporting import (
    EndingReport,
    ScenarioReport,
    ScoreRange,
    dynamic_diagnostics,
    ranges_report,
)
from fourresp.scenario._structure import Structure

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "DEFAULT_STATE_LIMIT",
    "EndingReport",
    "ScenarioReport",
    "ScoreRange",
    "check_scenario",
    "check_structure",
]


def check_scenario(
    scenario: Scenario,
    *,
    framework: Framework | None = None,
    state_limit: int = DEFAULT_STATE_LIMIT,
    balance: bool = False,
) -> ScenarioReport:
    """Every diagnostic for ``scenario``, the score ranges per ending, and the length bound.

    ``state_limit`` bounds the state-space exploration, and so does a memory
    budget (``DEFAULT_MEMORY_BUDGET`` bytes, estimated from the states' width);
    past either, a ``state-space-too-large`` warning says so and the ranges are
    left out. Loops too large to tell which way they move a score within the work
    budget get an ``analysis-skipped`` warning, and those sides are reported
    unbounded.

    Checks of the authoring (variants, placeholders, balance warnings) come from
    ``_balance``; with ``balance``, the report also has the balance report (each
    ending's probability under random play, positional strategies, net ranges).
    """
    if not isinstance(cast(object, scenario), Scenario):  # typed, yet checked
        from fourresp.errors import ArgumentError

        raise ArgumentError(f"check_scenario checks a Scenario, not {type(scenario).__name__}")
    framework = framework or load_framework()
    structure = Structure(scenario, framework)
    diagnostics = _static_diagnostics(scenario, framework, structure)
    compiled = CompiledScenario(scenario, framework)
    worked_out, found = balance_report(compiled, report=balance, limit=state_limit)
    diagnostics.extend(found)
    if compiled.start < 0:
        return ScenarioReport(
            diagnostics=tuple(diagnostics),
            endings=(),
            longest_path=structure.longest_path,
            states=None,
            balance=worked_out,
        )
    exploration = Exploration(compiled, state_limit, DEFAULT_MEMORY_BUDGET)
    if not exploration.complete:
        diagnostics.append(_incomplete_warning(scenario, exploration))
        endings = tuple(EndingReport(ending=e.id, reachable=None) for e in scenario.endings)
        return ScenarioReport(
            diagnostics=tuple(diagnostics),
            endings=endings,
            longest_path=structure.longest_path,
            states=None,
            balance=worked_out,
        )
    diagnostics.extend(dynamic_diagnostics(exploration, diagnostics, structure))
    endings = ranges_report(exploration)
    diagnostics.extend(_inexact_loop_warnings(exploration))
    return ScenarioReport(
        diagnostics=tuple(diagnostics),
        endings=endings,
        longest_path=structure.longest_path,
        states=len(exploration.states),
        balance=worked_out,
    )


def _static_diagnostics(
    scenario: Scenario, framework: Framework, structure: Structure
) -> list[Problem]:
    """The structural pass's diagnostics and the authoring checks', before any exploration."""
    diagnostics = structure.run()
    diagnostics.extend(authoring_findings(scenario, framework))
    read_in_variants = _variant_variables(scenario)
    if read_in_variants:  # the structural pass reads choice and rule conditions only
        diagnostics = [
            d
            for d in diagnostics
            if not (d.code == "unused-variable" and d.subject in read_in_variants)
        ]
    return diagnostics


def _incomplete_warning(scenario: Scenario, exploration: Exploration) -> Problem:
    """Why the exploration stopped short: a condition it cannot read exactly, or its size."""
    inexact = exploration.inexact_condition
    if inexact is not None:
        code = "analysis-skipped"
        message = (
            f"{inexact}: checks that need every way of playing, and the score ranges, were skipped"
        )
    else:
        code = "state-space-too-large"
        message = (
            f"{exploration.skipped} (scene, variables, what conditions read): checks that "
            "need every way of playing, and the score ranges, were skipped; bound integer "
            "variables with min and max, or raise the limit"
        )
    return Problem(code=code, severity="warning", parts=(), subject=scenario.id, message=message)


def _inexact_loop_warnings(exploration: Exploration) -> list[Problem]:
    """One warning per responsibility whose loops were too large to bound in the budget."""
    return [
        Problem(
            code="analysis-skipped",
            severity="warning",
            parts=(),
            subject=responsibility,
            message=f"the loops of states are too large to tell within the work budget "
            f"which way they move {responsibility!r}: the ranges of that score through "
            "them are reported unbounded on the sides not checked",
        )
        for responsibility in sorted(exploration.inexact_loops)
    ]


def _variant_variables(scenario: Scenario) -> set[str]:
    """The variables some variant (of a scene, a debrief or an epilogue) reads."""
    return {
        atom.var
        for condition, path in conditions(scenario)
        if "variants" in path
        for atom in atoms(condition)
        if isinstance(atom, VariableIs)
    }


def check_structure(scenario: Scenario, *, framework: Framework | None = None) -> list[Problem]:
    """The first pass alone: every structural diagnostic, in time linear in the scenario."""
    return Structure(scenario, framework or load_framework()).run()
