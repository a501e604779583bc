"""Additive scorers: scoring from sums gives what reading every answer gives."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fourresp
from fourresp import testing
from fourresp.assessment import (
    AdditiveScorer,
    Answers,
    KeyedAnswer,
    Response,
    ScorerOutput,
    ScorerRegistry,
    load_questionnaire,
    score,
)
from fourresp.assessment._totals import Packing

with_answers = testing.questionnaires().flatmap(
    lambda q: st.tuples(st.just(q), testing.answers_for(q, skips=True))
)


def _response(questionnaire, answers):
    return Response(questionnaire=questionnaire.id, version=questionnaire.version, answers=answers)


def _as_plain_function(scorer):
    """The same scorer, hidden behind a function, so the engine reads every answer."""

    def plain(answers, *, total_items, parameters):
        return scorer(answers, total_items=total_items, parameters=parameters)

    return plain


def _scores(result):
    return [result.overall, *(r.score for r in result.responsibilities)] + [
        a.score for a in result.aspects
    ]


@given(with_answers)
def test_sums_give_what_reading_every_answer_gives(pair):
    questionnaire, answers = pair
    name = questionnaire.scoring.scorer
    plain = ScorerRegistry(built_ins=False)
    plain.register(name, _as_plain_function(ScorerRegistry().get(name)))
    response = _response(questionnaire, answers)
    from_sums = score(questionnaire, response, scorers=ScorerRegistry())
    from_answers = score(questionnaire, response, scorers=plain)
    if name != "mean":
        # whole numbers, halves and weights of 0.5 to 3: every sum is exact
        assert from_sums == from_answers
        return
    # "mean" divides by spans such as 3, so sums of sums may differ in the last bit
    for ours, theirs in zip(_scores(from_sums), _scores(from_answers), strict=True):
        assert (ours.status, ours.answered, ours.missing) == (
            theirs.status,
            theirs.answered,
            theirs.missing,
        )
        for field in ("raw", "mean", "percent", "value"):
            a, b = getattr(ours, field), getattr(theirs, field)
            assert (a is None) == (b is None)
            if a is not None:
                assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9), field


_term = st.one_of(
    st.integers(-400, 400).map(lambda n: n / 4),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@given(
    st.lists(
        st.lists(st.tuples(_term, _term, _term), min_size=1, max_size=6),
        min_size=1,
        max_size=40,
    ),
    st.data(),
)
def test_packed_totals_add_up_exactly(rows, data):
    # Any finite floats, not only halves and quarters: every float is a multiple of
    # a power of two, so the packed sums are exact and round like math.fsum.
    packing = Packing(rows)
    chosen = [data.draw(st.sampled_from(row)) for row in rows]
    packed = sum(packing.pack(vector) for vector in chosen)
    expected = tuple(math.fsum(column) for column in zip(*chosen, strict=True))
    assert packing.unpack(packed) == expected


class _TopHalf(AdditiveScorer):
    """The share of answers in the top half of their scale."""

    def terms(self, answer):
        return (1.0 if answer.keyed > (answer.minimum + answer.maximum) / 2 else 0.0,)

    def from_sums(self, sums, *, answered, total_items, parameters):
        return ScorerOutput(value=sums[0], percent=100 * sums[0] / answered)


def test_an_additive_plugin_is_used_end_to_end():
    registry = ScorerRegistry()
    registry.register("top-half", _TopHalf())
    questionnaire = load_questionnaire()
    answers = {item.id: (4 if item.reverse else 2) for item in questionnaire.items}
    client = [i for i in questionnaire.items if i.aspect.startswith("client")]
    for item in client[:2]:
        answers[item.id] = 2 if item.reverse else 4  # keyed 4: the top half
    result = score(
        questionnaire, _response(questionnaire, answers), scorers=registry, scorer="top-half"
    )
    assert result.scorer == "top-half"
    client_items = result.responsibility("client").score.answered
    assert result.responsibility("client").score.percent == pytest.approx(200 / client_items)
    assert result.overall.value == 2
    assert fourresp.validate(fourresp.to_document(result)) == ()
    testing.check_scorer(_TopHalf(), max_examples=20)


@pytest.mark.parametrize(
    "terms",
    [[1.0], (math.nan,), ("1",), (True,)],
    ids=["a list", "not finite", "a string", "a boolean"],
)
def test_an_additive_scorer_with_bad_terms_is_refused_by_name(terms):
    class Broken(_TopHalf):
        def terms(self, answer):
            return terms

    registry = ScorerRegistry()
    registry.register("broken-terms", Broken())
    questionnaire = load_questionnaire()
    response = _response(questionnaire, {item.id: 3 for item in questionnaire.items})
    with pytest.raises(fourresp.ArgumentError, match=r"'broken-terms'.*tuple of finite numbers"):
        score(questionnaire, response, scorers=registry, scorer="broken-terms")


def test_terms_of_changing_length_are_refused():
    class Ragged(_TopHalf):
        def terms(self, answer):
            return (1.0,) * int(answer.keyed)

    registry = ScorerRegistry()
    registry.register("ragged", Ragged())
    questionnaire = load_questionnaire()
    response = _response(questionnaire, {item.id: 3 for item in questionnaire.items})
    with pytest.raises(fourresp.ArgumentError, match="same length"):
        score(questionnaire, response, scorers=registry, scorer="ragged")


def test_the_conformance_kit_catches_sums_that_disagree_with_calling():
    class TwoFaced(_TopHalf):
        def __call__(self, answers, *, total_items, parameters):
            return ScorerOutput(value=-1.0, percent=50.0)

    with pytest.raises(AssertionError, match="from_sums"):
        testing.check_scorer(TwoFaced(), max_examples=10, shrink=False)


def test_an_additive_scorer_called_directly_sums_its_terms():
    answers = [KeyedAnswer(item=str(n), keyed=n, minimum=1, maximum=5) for n in (1, 4, 5, 5)]
    output = _TopHalf()(answers, total_items=4, parameters={})
    assert output == ScorerOutput(value=3.0, percent=75.0)


def test_answers_compare_as_mappings_and_keep_their_order():
    first = Answers({"b": 2, "a": 1, "c": None})
    assert list(first) == ["b", "a", "c"]
    assert first.pairs == (("b", 2), ("a", 1), ("c", None))
    again = Answers([("a", 1), ("c", None), ("b", 2)])
    assert first == again
    assert hash(first) == hash(again)
    assert first == {"a": 1, "b": 2, "c": None}
    assert first != {"a": 1}
    assert Answers.of(first) is first
    assert repr(Answers({"a": 1})) == "Answers({'a': 1})"
