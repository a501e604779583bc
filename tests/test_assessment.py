"""The scoring engine: bounds, keying, monotonicity, order, determinism, missing answers."""

from __future__ import annotations

import math
from collections import Counter

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import fourresp
from fourresp import testing
from fourresp.assessment import (
    MissingPolicy,
    Response,
    ScorerOutput,
    ScorerRegistry,
    check_response,
    load_questionnaire,
    score,
)

questionnaire_and_answers = testing.questionnaires().flatmap(
    lambda q: st.tuples(st.just(q), testing.answers_for(q))
)


def _response(questionnaire, answers):
    return Response(questionnaire=questionnaire.id, version=questionnaire.version, answers=answers)


def _all_scores(result):
    yield result.overall
    for item in result.responsibilities:
        yield item.score
    for item in result.aspects:
        yield item.score


@given(questionnaire_and_answers)
def test_every_score_is_within_bounds(pair):
    questionnaire, answers = pair
    result = score(questionnaire, _response(questionnaire, answers))
    for value in _all_scores(result):
        assert value.status == "scored"
        assert 0 <= value.percent <= 100
        assert value.answered + value.missing > 0


@given(testing.questionnaires(), st.booleans())
def test_extremes_give_0_and_100_on_non_reversed_items(questionnaire, highest):
    questionnaire = attrs.evolve(
        questionnaire,
        items=tuple(attrs.evolve(item, reverse=False) for item in questionnaire.items),
    )
    answers = {
        item.id: questionnaire.scale_of(item).max if highest else questionnaire.scale_of(item).min
        for item in questionnaire.items
    }
    result = score(questionnaire, _response(questionnaire, answers))
    for value in _all_scores(result):
        assert value.percent == (100 if highest else 0)


@given(questionnaire_and_answers, st.data())
def test_raising_one_answer_moves_its_responsibility_the_keyed_way(pair, data):
    questionnaire, answers = pair
    item = data.draw(st.sampled_from(questionnaire.items))
    scale = questionnaire.scale_of(item)
    assume(answers[item.id] < scale.max)
    higher = dict(answers)
    higher[item.id] = data.draw(st.sampled_from([p for p in scale.points if p > answers[item.id]]))
    before = score(questionnaire, _response(questionnaire, answers))
    after = score(questionnaire, _response(questionnaire, higher))
    owner = fourresp.content.load_framework().responsibility_of(item.aspect).id
    old, new = before.responsibility(owner).score.percent, after.responsibility(owner).score.percent
    if item.reverse:
        assert new <= old + 1e-9
    else:
        assert new >= old - 1e-9


@given(questionnaire_and_answers, st.randoms(use_true_random=False))
def test_item_and_answer_order_change_nothing(pair, rng):
    questionnaire, answers = pair
    items = list(questionnaire.items)
    rng.shuffle(items)
    shuffled_answers = list(answers.items())
    rng.shuffle(shuffled_answers)
    reordered = attrs.evolve(questionnaire, items=tuple(items))
    first = score(questionnaire, _response(questionnaire, answers))
    second = score(reordered, _response(reordered, dict(shuffled_answers)))
    assert first == second


@given(questionnaire_and_answers)
def test_scoring_is_deterministic_and_results_round_trip(pair):
    questionnaire, answers = pair
    first = score(questionnaire, _response(questionnaire, answers))
    assert first == score(questionnaire, _response(questionnaire, answers))
    document = fourresp.to_document(first)
    assert fourresp.validate(document) == ()
    assert fourresp.load(document) == first


@given(
    testing.questionnaires().flatmap(
        lambda q: st.tuples(st.just(q), testing.answers_for(q, skips=True))
    )
)
def test_missing_answer_policy(pair):
    questionnaire, answers = pair
    result = score(questionnaire, _response(questionnaire, answers))
    fraction = questionnaire.missing.min_answered_fraction
    for value in _all_scores(result):
        total = value.answered + value.missing
        enough = value.answered > 0 and value.answered / total >= fraction
        if value is result.overall and any(
            r.score.status == "insufficient" for r in result.responsibilities
        ):
            assert value.status == "insufficient"
        elif enough:
            assert value.status == "scored"
            assert value.percent is not None
        else:
            assert value.status == "insufficient"
            assert value.percent is None
            assert value.band is None


@given(
    testing.questionnaires().flatmap(
        lambda q: st.tuples(st.just(q), testing.responses(q, valid=False))
    )
)
def test_every_invalid_response_is_refused_whole(pair):
    questionnaire, response = pair
    assert check_response(questionnaire, response)
    with pytest.raises(fourresp.DocumentError) as caught:
        score(questionnaire, response)
    assert all(problem.path.startswith("$.") for problem in caught.value.problems)


def test_registered_plugin_scorer_is_used_end_to_end():
    registry = ScorerRegistry()

    @registry.scorer("lowest")
    def lowest(answers, *, total_items, parameters):
        worst = min((a.keyed - a.minimum) / (a.maximum - a.minimum) for a in answers)
        return ScorerOutput(value=worst, percent=100 * worst)

    questionnaire = load_questionnaire()
    answers = {item.id: 5 for item in questionnaire.items}
    answers["client-1"] = 1
    result = score(
        questionnaire, _response(questionnaire, answers), scorers=registry, scorer="lowest"
    )
    assert result.scorer == "lowest"
    assert result.responsibility("client").score.percent == 0
    assert fourresp.validate(fourresp.to_document(result)) == ()


def test_a_name_claimed_twice_is_an_error():
    registry = ScorerRegistry()
    with pytest.raises(fourresp.ArgumentError, match="already registered"):
        registry.register("sum", lambda answers, **_: ScorerOutput(value=0, percent=0))


def test_a_misbehaving_plugin_is_refused_by_name():
    registry = ScorerRegistry()
    registry.register("broken", lambda answers, **_: ScorerOutput(value=math.nan, percent=120))
    questionnaire = load_questionnaire()
    answers = {item.id: 3 for item in questionnaire.items}
    with pytest.raises(fourresp.ArgumentError, match="'broken'"):
        score(questionnaire, _response(questionnaire, answers), scorers=registry, scorer="broken")


def test_unknown_scorer_is_not_found():
    questionnaire = load_questionnaire()
    with pytest.raises(fourresp.NotFoundError, match="known"):
        score(questionnaire, _response(questionnaire, {}), scorer="nope")


def test_default_questionnaire_covers_every_aspect_and_validates():
    questionnaire = load_questionnaire()
    framework = fourresp.content.load_framework()
    assert {item.aspect for item in questionnaire.items} == {a.id for a in framework.aspects}
    assert any(item.reverse for item in questionnaire.items)
    assert len(questionnaire.items) >= 20
    assert questionnaire.scale.points == (1, 2, 3, 4, 5)
    assert [label.label for label in questionnaire.scale.labels] == [
        "Never",
        "Rarely",
        "Sometimes",
        "Often",
        "Always",
    ]
    for group in ["overall", *(r.id for r in framework)]:
        assert questionnaire.bands_for(group)
    assert all(questionnaire.feedback_for(a.id) for a in framework.aspects)
    assert fourresp.load(fourresp.to_document(questionnaire)) == questionnaire


def _keyed(item, value):
    """The raw answer that keys to ``value`` on the 1-5 scale."""
    return 6 - value if item.reverse else value


def test_default_questionnaire_result_has_highlights():
    questionnaire = load_questionnaire()
    answers = {
        item.id: _keyed(item, 5 if item.aspect.startswith("client") else 2)
        for item in questionnaire.items
    }
    result = score(questionnaire, _response(questionnaire, answers))
    assert result.strengths
    assert result.improvements
    assert all(h.percent >= 85 for h in result.strengths)
    assert all(h.percent < 60 for h in result.improvements)
    for highlight in result.strengths + result.improvements:
        assert result.aspect(highlight.aspect).items >= 2


def test_an_aspect_answered_on_one_item_is_never_highlighted():
    # every answered aspect is scored, however few of its items were answered
    questionnaire = attrs.evolve(
        load_questionnaire(), missing=MissingPolicy(min_answered_fraction=0.0)
    )
    assert max(Counter(item.aspect for item in questionnaire.items).values()) >= 2
    for keyed in (5, 1):  # all at the top (strengths), then all at the bottom
        every = {item.id: _keyed(item, keyed) for item in questionnaire.items}
        one_each = dict.fromkeys(every)
        for item in questionnaire.items:  # one answered item per aspect, the rest skipped
            if not any(
                one_each[i.id] is not None for i in questionnaire.items if i.aspect == item.aspect
            ):
                one_each[item.id] = every[item.id]
        full = score(questionnaire, _response(questionnaire, every))
        thin = score(questionnaire, _response(questionnaire, one_each))
        assert full.strengths or full.improvements  # aspects of two items or more are named
        assert all(a.items == a.score.answered for a in full.aspects + thin.aspects)
        assert all(a.items == 1 and a.score.percent is not None for a in thin.aspects)
        assert thin.strengths == ()
        assert thin.improvements == ()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            lambda text: text.replace(
                "      from: 60\n      to: 85", "      from: 65\n      to: 85", 1
            ),
            "band-gap",
        ),
        (
            lambda text: text.replace(
                "      from: 60\n      to: 85", "      from: 55\n      to: 85", 1
            ),
            "band-overlap",
        ),
        (
            lambda text: text.replace("aspect: client-diagnose-need", "aspect: client-nope", 1),
            "unknown-aspect",
        ),
        (lambda text: text.replace("  - id: client-2\n", "  - id: client-1\n", 1), "duplicate-id"),
    ],
)
def test_questionnaire_validator_refuses_broken_documents(change, code, tmp_path):
    from fourresp.assessment import default_questionnaire_path

    path = tmp_path / "q.yaml"
    path.write_text(
        change(default_questionnaire_path().read_text(encoding="utf-8")), encoding="utf-8"
    )
    problems = fourresp.validate(path)
    assert code in [problem.code for problem in problems]
    assert all(problem.line is not None for problem in problems)


def test_a_scorer_of_an_apps_own_registry_is_resolved_when_scoring(tmp_path):
    from fourresp.assessment import default_questionnaire_path

    path = tmp_path / "q.yaml"
    text = default_questionnaire_path().read_text(encoding="utf-8")
    path.write_text(text.replace("scorer: percent", "scorer: my-scorer", 1), encoding="utf-8")
    questionnaire = fourresp.load(path)  # loads: nothing looks the scorer up yet
    assert questionnaire.scoring.scorer == "my-scorer"
    registry = ScorerRegistry()

    @registry.scorer("my-scorer")
    def lowest(answers, *, total_items, parameters):
        worst = min((a.keyed - a.minimum) / (a.maximum - a.minimum) for a in answers)
        return ScorerOutput(value=worst, percent=100 * worst)

    answers = {item.id: 3 for item in questionnaire.items}
    result = score(questionnaire, _response(questionnaire, answers), scorers=registry)
    assert result.scorer == "my-scorer"
    assert result.overall.percent == 50
    with pytest.raises(fourresp.NotFoundError, match="no scorer called 'my-scorer'"):
        score(questionnaire, _response(questionnaire, answers))


def test_plans_are_kept_by_the_arguments_as_given_and_never_cross_registries():
    from fourresp.assessment._scoring import plan_for

    questionnaire = load_questionnaire()
    answers = {item.id: 3 for item in questionnaire.items}
    response = _response(questionnaire, answers)
    assert plan_for(questionnaire) is plan_for(questionnaire)
    assert plan_for(questionnaire, scorer="sum") is not plan_for(questionnaire)

    def registry_scoring(percent):
        registry = ScorerRegistry()
        registry.register("fixed", lambda answers, **_: ScorerOutput(value=0.0, percent=percent))
        return registry

    # Registries made and dropped one after another may share an id; each one's
    # own scorer is used all the same, as a kept plan holds its registry.
    for percent in (10.0, 20.0, 30.0, 40.0):
        result = score(questionnaire, response, scorers=registry_scoring(percent), scorer="fixed")
        assert result.overall.percent == percent
    with pytest.raises(fourresp.NotFoundError):
        plan_for(questionnaire, scorer="fixed")


def test_mapping_sources_keep_key_order():
    document = {
        "kind": "response",
        "questionnaire": "q",
        "version": "1.0",
        "answers": {"b": 1, "a": 2, "c": None},
    }
    assert list(fourresp.load(document).answers) == ["b", "a", "c"]


@given(
    testing.questionnaires().flatmap(
        lambda q: st.tuples(
            st.just(q), st.lists(testing.answers_for(q, skips=True), min_size=1, max_size=8)
        )
    )
)
def test_remembered_outcomes_equal_fresh_scoring(batch):
    from fourresp.assessment import _scoring

    questionnaire, answer_sets = batch
    responses = [_response(questionnaire, answers) for answers in answer_sets]
    remembered = [score(questionnaire, response) for response in responses * 2]
    for response, expected in zip(responses * 2, remembered, strict=True):
        _scoring._plans.clear()
        assert score(questionnaire, response) == expected


@pytest.mark.parametrize("name", ["sum", "mean", "percent", "weighted-mean"])
def test_built_in_scorers_pass_the_conformance_kit(name):
    testing.check_scorer(ScorerRegistry().get(name), max_examples=40)


def test_the_conformance_kit_catches_a_bad_scorer():
    def out_of_range(answers, *, total_items, parameters):
        return ScorerOutput(value=1.0, percent=150.0)

    with pytest.raises(AssertionError, match="percent"):
        testing.check_scorer(out_of_range, max_examples=5, shrink=False)


@pytest.mark.parametrize(
    "scale",
    [
        {"min": 0, "max": 1_000_000_000, "step": 1},  # a billion points
        {"min": 0, "max": 1000, "step": 1e-320},  # so many that counting them overflows
        {"min": -1e308, "max": 1e308, "step": 1},  # a span beyond floats
    ],
    ids=["billion-points", "tiny-step", "huge-span"],
)
def test_a_scale_with_too_many_points_is_refused_at_once(scale):
    document = fourresp.to_document(load_questionnaire())
    document["scale"] = scale
    with pytest.raises(fourresp.DocumentError) as caught:
        fourresp.load(document)
    assert [(p.code, p.path) for p in caught.value.problems] == [("bad-scale", "$.scale.step")]
    assert "101 points" in caught.value.problems[0].message


def test_a_questionnaire_built_in_code_with_a_huge_scale_is_refused_before_scoring():
    from fourresp.assessment import Scale

    questionnaire = attrs.evolve(load_questionnaire(), scale=Scale(min=0, max=10**9))
    answers = {item.id: 3 for item in questionnaire.items}
    with pytest.raises(fourresp.DocumentError, match="101 points"):
        score(questionnaire, _response(questionnaire, answers))


def test_too_many_answer_points_in_all_are_refused():
    document = fourresp.to_document(load_questionnaire())
    template = document["items"][0]
    document["items"] = [dict(template, id=f"item-{n}") for n in range(1001)]
    document["scale"] = {"min": 0, "max": 100, "step": 1}
    with pytest.raises(fourresp.DocumentError) as caught:
        fourresp.load(document)
    assert [(p.code, p.path) for p in caught.value.problems] == [("too-large", "$.items")]
