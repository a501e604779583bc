"""The ``scenario`` document kind: the loader runs the whole validator as its checks."""

from __future__ import annotations

from collections.abc import Iterator

from fourresp._load import DocumentKind, Finding
from fourresp.scenario._models import Scenario, scenario_hooks
from fourresp.scenario._validate import check_scenario

__all__ = ["SCENARIO_KIND"]


def scenario_findings(scenario: Scenario) -> Iterator[Finding]:
    """Every diagnostic of :func:`~fourresp.scenario.check_scenario`, for the loader to locate."""
    for diagnostic in check_scenario(scenario).diagnostics:
        yield Finding(
            path=diagnostic.path,
            code=diagnostic.code,
            message=diagnostic.message,
            severity=diagnostic.severity,
        )


SCENARIO_KIND = DocumentKind(
    name="scenario",
    schema="scenario",
    model=Scenario,
    summary="a branching practice scenario: scenes, choices, conditions, effects and endings",
    checks=scenario_findings,
    hooks=(scenario_hooks,),
)
