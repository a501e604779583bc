"""Practice scenarios: branching stories whose choices mark the framework's aspects.

- Models (:class:`Scenario`, :class:`Scene`, :class:`Choice`, conditions, effects,
  :class:`Ending`), loaded and checked through the one loader (``kind: scenario``).
- :func:`check_scenario`: the static validator (every diagnostic at once, score
  ranges per ending, the longest path; with ``balance=True`` the balance report);
  codes in docs/scenario-diagnostics.md.
- :class:`Runner`: play (choices in an order from the run's seed), text variants,
  debriefs and epilogues, undo, save and resume (``kind: run``), scorecards.
- :func:`to_dot` and :func:`to_mermaid` for authors.

>>> from fourresp.scenario import Runner, check_scenario, load_scenario
>>> scenario = load_scenario()
>>> check_scenario(scenario).diagnostics
()

Each diagnostic is a :class:`fourresp.errors.Problem`. ``Diagnostic``, the type
they had before, stays importable from here for one release as a deprecated
alias of :class:`~fourresp.errors.Problem` (with a :class:`DeprecationWarning`).
"""

import warnings
from typing import TYPE_CHECKING

from fourresp._public import lazy

if TYPE_CHECKING:
    from fourresp.scenario._balance import BalanceReport, EndingChance, NetRange
    from fourresp.scenario._compiled import fingerprint
    from fourresp.scenario._defaults import default_scenario_path, load_scenario
    from fourresp.scenario._export import to_dot, to_mermaid
    from fourresp.scenario._models import (
        BY_RULES,
        AllOf,
        AnyOf,
        AspectTotal,
        Choice,
        Condition,
        Effects,
        Ending,
        EndingRule,
        Epilogue,
        Mark,
        Not,
        Order,
        ResponsibilityPercent,
        ResponsibilityTotal,
        Scenario,
        Scene,
        Update,
        Variable,
        VariableIs,
        Variant,
        Visited,
    )
    from fourresp.scenario._runner import Run, RunDocument, Runner, SavedStep, Step
    from fourresp.scenario._scorecard import (
        AspectScore,
        FeedbackItem,
        ResponsibilityScore,
        Scorecard,
        scorecard_chart,
        scorecard_markdown,
    )
    from fourresp.scenario._validate import (
        DEFAULT_STATE_LIMIT,
        EndingReport,
        ScenarioReport,
        ScoreRange,
        check_scenario,
        check_structure,
    )
else:
    # Each name's module is imported when the name is first used (see fourresp._public).
    _load_name, __dir__ = lazy(
        __name__,
        {
            "_balance": (
                "BalanceReport",
                "EndingChance",
                "NetRange",
            ),
            "_compiled": ("fingerprint",),
            "_defaults": (
                "default_scenario_path",
                "load_scenario",
            ),
            "_export": (
                "to_dot",
                "to_mermaid",
            ),
            "_models": (
                "BY_RULES",
                "AllOf",
                "AnyOf",
                "AspectTotal",
                "Choice",
                "Condition",
                "Effects",
                "Ending",
                "EndingRule",
                "Epilogue",
                "Mark",
                "Not",
                "Order",
                "ResponsibilityPercent",
                "ResponsibilityTotal",
                "Scenario",
                "Scene",
                "Update",
                "Variable",
                "VariableIs",
                "Variant",
                "Visited",
            ),
            "_runner": (
                "Run",
                "RunDocument",
                "Runner",
                "SavedStep",
                "Step",
            ),
            "_scorecard": (
                "AspectScore",
                "FeedbackItem",
                "ResponsibilityScore",
                "Scorecard",
                "scorecard_chart",
                "scorecard_markdown",
            ),
            "_validate": (
                "DEFAULT_STATE_LIMIT",
                "EndingReport",
                "ScenarioReport",
                "ScoreRange",
                "check_scenario",
                "check_structure",
            ),
        },
    )

__all__ = [
    "BY_RULES",
    "DEFAULT_STATE_LIMIT",
    "AllOf",
    "AnyOf",
    "AspectScore",
    "AspectTotal",
    "BalanceReport",
    "Choice",
    "Condition",
    "Effects",
    "Ending",
    "EndingChance",
    "EndingReport",
    "EndingRule",
    "Epilogue",
    "FeedbackItem",
    "Mark",
    "NetRange",
    "Not",
    "Order",
    "ResponsibilityPercent",
    "ResponsibilityScore",
    "ResponsibilityTotal",
    "Run",
    "RunDocument",
    "Runner",
    "SavedStep",
    "Scenario",
    "ScenarioReport",
    "Scene",
    "ScoreRange",
    "Scorecard",
    "Step",
    "Update",
    "Variable",
    "VariableIs",
    "Variant",
    "Visited",
    "check_scenario",
    "check_structure",
    "default_scenario_path",
    "fingerprint",
    "load_scenario",
    "scorecard_chart",
    "scorecard_markdown",
    "to_dot",
    "to_mermaid",
]

if TYPE_CHECKING:
    # for type checkers the deprecated alias is Problem itself (at run time, __getattr__)
    from fourresp.errors import Problem as _Problem

    Diagnostic = _Problem
else:

    def __getattr__(name: str) -> object:
        """An exported name, loaded on first use; or the deprecated ``Diagnostic``, warning."""
        if name != "Diagnostic":
            return _load_name(name)
        from fourresp.errors import Problem

        warnings.warn(
            "fourresp.scenario.Diagnostic is deprecated: diagnostics are fourresp.errors.Problem "
            "values; their path parts are .parts and .path is the JSON path (was .json_path)",
            DeprecationWarning,
            stacklevel=2,
        )
        return Problem
