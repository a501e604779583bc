"""The strategies in fourresp.testing refuse impossible arguments when made, naming them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis.errors import InvalidArgument

from fourresp import testing
from fourresp.assessment import load_questionnaire
from fourresp.scenario import load_scenario


def test_an_unknown_scorer_is_refused_at_once_by_name() -> None:
    with pytest.raises(InvalidArgument, match="'nope'"):
        testing.questionnaires(scorers=("nope",))
    with pytest.raises(InvalidArgument, match="'nope'"):
        testing.questionnaires(scorers=("sum", "nope"))


def test_no_scorers_at_all_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="scorers"):
        testing.questionnaires(scorers=())
    with pytest.raises(InvalidArgument, match="scorers"):
        testing.questionnaires(scorers="sum")  # type: ignore[arg-type]


BAD: list[tuple[Callable[..., Any], dict[str, Any], str]] = [
    (testing.identifiers, {"max_parts": 0}, "max_parts"),
    (testing.texts, {"max_size": 0}, "max_size"),
    (testing.texts, {"max_size": 2.5}, "max_size"),
    (testing.responsibilities, {"min_aspects": 0}, "min_aspects"),
    (testing.responsibilities, {"min_aspects": 4, "max_aspects": 2}, "min_aspects"),
    (testing.frameworks, {"min_responsibilities": 0}, "min_responsibilities"),
    (testing.frameworks, {"max_responsibilities": 0}, "max_responsibilities"),
    (testing.frameworks, {"min_aspects": 3, "max_aspects": 1}, "min_aspects"),
    (testing.framework_documents, {"min_aspects": 0}, "min_aspects"),
    (testing.questionnaires, {"min_items": 0}, "min_items"),
    (testing.questionnaires, {"min_items": 5, "max_items": 4}, "min_items"),
    (testing.scenarios, {"min_scenes": 1}, "min_scenes"),
    (testing.scenarios, {"min_scenes": 6, "max_scenes": 3}, "min_scenes"),
    (testing.scenario_documents, {"max_scenes": 1}, "max_scenes"),
    (testing.keyed_answers, {"min_size": 0}, "min_size"),
    (testing.keyed_answers, {"min_size": 3, "max_size": 2}, "min_size"),
]


@pytest.mark.parametrize(("strategy", "arguments", "named"), BAD)
def test_impossible_sizes_are_refused_when_the_strategy_is_made(
    strategy: Callable[..., Any], arguments: dict[str, Any], named: str
) -> None:
    with pytest.raises(InvalidArgument, match=named):
        strategy(**arguments)


def test_runs_refuse_a_negative_step_count() -> None:
    scenario = load_scenario()
    with pytest.raises(InvalidArgument, match="max_steps"):
        testing.runs(scenario, max_steps=-1)


def test_check_scorer_refuses_no_examples() -> None:
    from fourresp.assessment._scorers import score_sum

    with pytest.raises(InvalidArgument, match="max_examples"):
        testing.check_scorer(score_sum, max_examples=0)


def test_the_default_arguments_are_accepted() -> None:
    questionnaire = load_questionnaire()
    for strategy in (
        testing.identifiers(),
        testing.texts(),
        testing.responsibilities(),
        testing.frameworks(),
        testing.questionnaires(),
        testing.responses(questionnaire),
        testing.scenarios(),
        testing.runs(load_scenario()),
        testing.keyed_answers(),
    ):
        strategy.validate()
