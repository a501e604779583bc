"""The converter factory: converters are built on demand, never registered at import."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fourresp
import fourresp.assessment
import fourresp.content
import fourresp.scenario
from fourresp import testing
from fourresp._document import _convert
from fourresp._document._convert import make_converter, shared_converter
from fourresp._load import document_kinds, get_kind
from fourresp.assessment._models import assessment_hooks
from fourresp.scenario import Scenario
from fourresp.scenario._models import scenario_hooks


def _run(code: str) -> None:
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True)


def test_importing_every_public_module_builds_no_converter_and_registers_nothing():
    _run(
        """
        import cattrs
        import fourresp, fourresp.content, fourresp.assessment, fourresp.scenario
        import fourresp.supporters, fourresp.badges, fourresp.charts, fourresp.exchange
        import fourresp.xapi, fourresp.testing, fourresp.cli
        from fourresp._document._convert import shared_converter

        assert shared_converter.cache_info().currsize == 0, shared_converter.cache_info()
        # cattrs' own shared converter is left as cattrs made it: it still coerces.
        assert cattrs.structure("3", int) == 3
        """
    )


def test_loading_a_framework_imports_neither_domain():
    _run(
        """
        import sys
        from fourresp.content import load_framework

        load_framework()
        assert "fourresp.assessment" not in sys.modules
        assert "fourresp.scenario" not in sys.modules
        """
    )


def test_two_made_converters_are_independent_of_each_other_and_of_the_library():
    first, second = make_converter(), make_converter()
    assert first is not second
    first.register_structure_hook(str, lambda value, _: str(value).upper())
    assert first.structure("quiet", str) == "QUIET"
    assert second.structure("quiet", str) == "quiet"
    assert shared_converter().structure("quiet", str) == "quiet"
    with pytest.raises(TypeError, match="expected a string"):
        second.structure(3, str)


def test_hook_sets_are_applied_in_order_to_the_converter_being_built():
    seen: list[tuple[str, cattrs.Converter]] = []
    built = make_converter(
        lambda converter: seen.append(("a", converter)),
        lambda converter: seen.append(("b", converter)),
    )
    assert [name for name, _ in seen] == ["a", "b"]
    assert all(converter is built for _, converter in seen)


def test_the_library_builds_each_converter_once(monkeypatch):
    builds: list[tuple[object, ...]] = []
    real = _convert.make_converter

    def counting(*hook_sets):
        builds.append(hook_sets)
        return real(*hook_sets)

    monkeypatch.setattr(_convert, "make_converter", counting)
    shared_converter.cache_clear()
    try:
        for _ in range(2):
            framework = fourresp.load(fourresp.to_document(fourresp.content.load_framework()))
            scenario = fourresp.scenario.load_scenario()
            fourresp.load(fourresp.to_document(scenario))
            questionnaire = fourresp.assessment.load_questionnaire()
            fourresp.load(fourresp.to_document(questionnaire))
        assert fourresp.load(fourresp.to_document(framework)) == framework
    finally:
        shared_converter.cache_clear()
    assert len(builds) == 3
    assert set(builds) == {(), (scenario_hooks,), (assessment_hooks,)}


def test_kinds_that_share_hook_sets_share_the_converter():
    converters = {name: shared_converter(*get_kind(name).hooks) for name in document_kinds()}
    assert converters["questionnaire"] is converters["response"] is converters["result"]
    assert converters["scenario"] is converters["run"]
    assert converters["framework"] is converters["pledge"] is shared_converter()
    assert converters["framework"] is not converters["scenario"]


@given(testing.scenarios(), st.booleans())
def test_a_made_converter_reads_and_writes_scenarios_as_the_library_does(scenario, fresh_first):
    made = make_converter(scenario_hooks)
    library = shared_converter(scenario_hooks)
    first, second = (made, library) if fresh_first else (library, made)
    document = first.unstructure(scenario)
    assert document == second.unstructure(scenario)
    assert second.structure(document, Scenario) == scenario
    assert {"kind": "scenario", **document} == fourresp.to_document(scenario)
