"""Hypothesis strategies for property-based tests of code that uses fourresp.

Each function returns a strategy, the way :mod:`hypothesis.strategies` does, so
they compose::

    from hypothesis import given
    from fourresp import testing

    @given(testing.frameworks())
    def test_my_report_mentions_every_aspect(framework):
        report = my_report(framework)
        assert all(aspect.title in report for aspect in framework.aspects)

Every value they produce is valid: it passes the library's schemas and checks,
and loads back equal to itself. Strategies are written by hand rather than with
``builds()``, which would ignore the models' constraints.

Arguments are checked when a strategy is made, not when it is first drawn from:
an impossible size range or an unknown scorer name raises
:class:`hypothesis.errors.InvalidArgument` at once, naming the argument. That is
the exception Hypothesis's own strategies raise for a bad argument, so a test
suite treats these the same way (an error in the test's setup, never a failing
example to shrink).

Hypothesis is not a runtime dependency of fourresp: install it (for example with
the ``test`` extra) to use this module.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401  (checked first, for the message below)
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "fourresp.testing needs Hypothesis: pip install 'fourresp[test]' or pip install hypothesis"
    ) from exc

from fourresp._public import publish
from fourresp.testing._assessment import answers_for, questionnaires, responses
from fourresp.testing._content import (
    aspects,
    framework_documents,
    frameworks,
    identifiers,
    locales,
    resources,
    responsibilities,
    texts,
    versions,
)
from fourresp.testing._scenario import runs, scenario_documents, scenarios
from fourresp.testing._scorers import check_scorer, keyed_answers

__all__ = [
    "answers_for",
    "aspects",
    "check_scorer",
    "framework_documents",
    "frameworks",
    "identifiers",
    "keyed_answers",
    "locales",
    "questionnaires",
    "resources",
    "responses",
    "responsibilities",
    "runs",
    "scenario_documents",
    "scenarios",
    "texts",
    "versions",
]

publish(__name__, globals())
