"""The engine against a plain oracle: the identical Result on generated questionnaires."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp import testing
from fourresp.assessment import Response, ScorerRegistry, score
from fourresp.assessment._scoring import plan_for
from fourresp.content import load_framework
from fourresp.errors import DocumentError
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


_odd_answers = st.sampled_from([True, False, "4", 1e300, -7, 2**60, float("nan"), [1]])


@st.composite
def _light_cases(draw):
    """A questionnaire and answer sets: complete, partial, shuffled, or with answers that
    do not fit (a boolean, text, off the scale, an unknown item)."""
    questionnaire = draw(testing.questionnaires(max_items=25))
    sets = []
    for _ in range(draw(st.integers(1, 4))):
        answers = draw(testing.answers_for(questionnaire, skips=True))
        pairs = list(answers.items())
        if draw(st.booleans()):
            pairs = draw(st.permutations(pairs))
        keep = draw(st.integers(0, len(pairs)))
        answers = dict(pairs[:keep] if draw(st.booleans()) else pairs)
        if draw(st.integers(0, 3)) == 0:
            item = draw(st.sampled_from([*answers, "not-an-item"] if answers else ["x"]))
            answers[item] = draw(_odd_answers)
        sets.append(answers)
    return questionnaire, sets


@pytest.mark.parametrize("plain", [False, True], ids=["additive", "plain-function"])
@settings(max_examples=80, deadline=None)
@given(_light_cases())
def test_light_rows_hold_the_figures_of_the_full_result(plain, case):
    questionnaire, answer_sets = case
    framework = load_framework()
    name = ("plain-" if plain else "") + questionnaire.scoring.scorer
    plan = plan_for(questionnaire, framework=framework, scorers=REGISTRY, scorer=name)
    for answers in answer_sets * 2:
        response = Response(
            questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
        )
        try:
            expected = oracle_score(
                questionnaire, response, framework=framework, scorers=REGISTRY, scorer=name
            )
        except DocumentError as exc:
            with pytest.raises(DocumentError) as raised:
                plan.light(response)
            assert raised.value.problems == exc.problems
            continue
        overall, responsibilities = plan.light(response)
        assert overall == expected.overall
        assert tuple(responsibilities) == expected.responsibilities
