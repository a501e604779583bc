"""The engine against a plain oracle: the identical Result on generated questionnaires."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp import testing
from fourresp.assessment import Response, ScorerRegistry, score
from fourresp.content import load_framework
from scoring_oracle import oracle_score

with_responses = testing.questionnaires(max_items=25).flatmap(
    lambda q: st.tuples(st.just(q), st.lists(testing.answers_for(q, skips=True), max_size=6))
)


def _plain(scorer):
    """The same scorer hidden behind a function, so the engine cannot sum its terms."""

    def plain(answers, *, total_items, parameters):
        return scorer(answers, total_items=total_items, parameters=parameters)

    return plain


def _registry():
    registry = ScorerRegistry()
    for name in ("sum", "mean", "percent", "weighted-mean"):
        registry.register(f"plain-{name}", _plain(registry.get(name)))
    return registry


REGISTRY = _registry()


@pytest.mark.parametrize("plain", [False, True], ids=["additive", "plain-function"])
@settings(max_examples=80, deadline=None)
@given(with_responses)
def test_the_engine_gives_what_the_oracle_gives(plain, case):
    questionnaire, answer_sets = case
    framework = load_framework()
    name = ("plain-" if plain else "") + questionnaire.scoring.scorer
    # every response twice, so the second time comes from the engine's memos
    for answers in answer_sets * 2:
        response = Response(
            questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
        )
        expected = oracle_score(
            questionnaire, response, framework=framework, scorers=REGISTRY, scorer=name
        )
        ours = score(questionnaire, response, framework=framework, scorers=REGISTRY, scorer=name)
        assert ours == expected
