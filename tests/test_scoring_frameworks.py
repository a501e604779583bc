"""Scoring against frameworks and registries of an app's own: reordered, partial, short-lived.

Highlights that tie on percent keep the framework's order of the aspects, whatever
the order of the questionnaire's items; a plan is never taken for another
framework, registry or scorer than the one asked for, even when those objects
are made and dropped one after another.
"""

from __future__ import annotations

import gc

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp import testing
from fourresp.assessment import (
    Highlights,
    Response,
    ScorerOutput,
    ScorerRegistry,
    load_questionnaire,
    score,
)
from fourresp.content import load_framework
from scoring_oracle import oracle_score

REGISTRY = ScorerRegistry()


@st.composite
def _frameworks(draw):
    """The default framework with its responsibilities and aspects reordered, some
    aspects (and so some items' aspects) left out, and texts changed."""
    base = load_framework()
    responsibilities = []
    for responsibility in draw(st.permutations(base.responsibilities)):
        aspects = draw(st.permutations(responsibility.aspects))
        keep = draw(st.integers(0, len(aspects)))
        responsibilities.append(attrs.evolve(responsibility, aspects=tuple(aspects[:keep])))
    return attrs.evolve(base, responsibilities=tuple(responsibilities), title=draw(st.text()))


_cases = st.tuples(
    testing.questionnaires(max_items=25), _frameworks(), st.integers(0, 40), st.data()
)


@settings(max_examples=150, deadline=None)
@given(_cases)
def test_reordered_and_partial_frameworks_score_as_the_oracle_does(case):
    questionnaire, framework, count, data = case
    # coarse scales and wide highlight thresholds: many aspects tie on percent
    highlights = Highlights(
        count=count,
        strength_from=data.draw(st.sampled_from([0.0, 50.0, 75.0])),
        improve_below=data.draw(st.sampled_from([50.0, 60.0, 100.0])),
    )
    questionnaire = attrs.evolve(questionnaire, highlights=highlights)
    for _ in range(data.draw(st.integers(1, 4))):
        answers = data.draw(testing.answers_for(questionnaire, skips=True))
        response = Response(
            questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
        )
        expected = oracle_score(questionnaire, response, framework=framework, scorers=REGISTRY)
        for scorer in (None, "", questionnaire.scoring.scorer):
            ours = score(questionnaire, response, framework=framework, scorer=scorer)
            assert ours == expected
            ours = score(questionnaire, response, framework=framework, scorers=REGISTRY)
            assert ours == expected


def _fixed(percent):
    def scorer(answers, *, total_items, parameters):
        return ScorerOutput(value=percent, percent=percent)

    return scorer


def test_registries_made_and_dropped_in_turn_each_give_their_own_scorer():
    questionnaire = load_questionnaire()
    answers = {item.id: questionnaire.scale_of(item).max for item in questionnaire.items}
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    for round_ in range(200):
        percent = float(round_ % 101)
        registry = ScorerRegistry(built_ins=False)
        registry.register("fixed", _fixed(percent))
        result = score(questionnaire, response, scorers=registry, scorer="fixed")
        assert result.overall.percent == percent
        del registry, result
        gc.collect()


def test_frameworks_made_and_dropped_in_turn_each_give_their_own_titles():
    questionnaire = load_questionnaire()
    answers = {item.id: questionnaire.scale_of(item).max for item in questionnaire.items}
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    base = load_framework()
    for round_ in range(100):
        first = base.responsibilities[0]
        framework = attrs.evolve(
            base,
            responsibilities=(
                attrs.evolve(first, title=f"round {round_}"),
                *base.responsibilities[1:],
            ),
        )
        result = score(questionnaire, response, framework=framework)
        assert result.responsibilities[0].title == f"round {round_}"
        del framework, result
        gc.collect()
