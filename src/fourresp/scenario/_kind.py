"""The ``scenario`` document kind: the loader runs the whole validator as its checks."""

from __future__ import annotations

from collections.abc import Iterator

from fourresp._load import DocumentKind
from fourresp.errors import Problem
from fourresp.scenario._models import Scenario, scenario_hooks
from fourresp.scenario._validate import check_scenario

__all__ = ["SCENARIO_KIND"]


def scenario_problems(scenario: Scenario) -> Iterator[Problem]:
    """Every diagnostic of :func:`~fourresp.scenario.check_scenario`, for the loader to locate."""
    yield from check_scenario(scenario).diagnostics


SCENARIO_KIND = DocumentKind(
    name="scenario",
    schema="scenario",
    model=Scenario,
    summary="a branching practice scenario: scenes, choices, conditions, effects and endings",
    checks=scenario_problems,
    hooks=(scenario_hooks,),
)
