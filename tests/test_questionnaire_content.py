"""The default questionnaire as a measuring instrument: items, bands, feedback, sources."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

import fourresp
from fourresp.assessment import (
    Response,
    load_questionnaire,
    reliability,
    score,
)
from fourresp.content import load_framework

QUESTIONNAIRE = load_questionnaire()
FRAMEWORK = load_framework()
MAX_WORDS = 20


def _words(text: str) -> int:
    return len(text.split())


def test_every_aspect_has_at_least_two_items():
    counts = Counter(item.aspect for item in QUESTIONNAIRE.items)
    assert {aspect.id for aspect in FRAMEWORK.aspects} == set(counts)
    assert min(counts.values()) >= 2
    assert len(QUESTIONNAIRE.items) >= 40


def test_about_a_third_of_items_are_reverse_keyed_in_every_responsibility():
    reversed_items = [item for item in QUESTIONNAIRE.items if item.reverse]
    assert len(reversed_items) >= 12
    assert 0.25 <= len(reversed_items) / len(QUESTIONNAIRE.items) <= 0.4
    owner = {a.id: r.id for r in FRAMEWORK for a in r.aspects}
    # Every responsibility has some of each, so acquiescence cannot carry one alone.
    for responsibility in FRAMEWORK:
        keys = {
            item.reverse for item in QUESTIONNAIRE.items if owner[item.aspect] == responsibility.id
        }
        assert keys == {True, False}, responsibility.id


def test_no_item_is_over_twenty_words():
    too_long = {item.id: _words(item.text) for item in QUESTIONNAIRE.items}
    assert max(too_long.values()) <= MAX_WORDS, {k: v for k, v in too_long.items() if v > MAX_WORDS}


@pytest.mark.parametrize("item", QUESTIONNAIRE.items, ids=lambda item: item.id)
def test_each_item_is_one_first_person_behaviour(item):
    text = item.text
    # First person, a statement (not a question), one sentence.
    assert re.search(r"\b(I|My)\b", text), text
    assert text.endswith("."), text
    assert text.count(".") == 1, text
    # A trait or other people's behaviour is not something the respondent does.
    assert not re.match(r"^(I am|Managers|Clients|Learners|Colleagues|People)\b", text), text
    # "When I think ... I say so" invites "Always"; "and act on it" asks two things.
    assert not re.search(r"\bwhen I (think|believe|feel)\b", text, re.IGNORECASE), text
    assert " and act on it" not in text, text


def test_item_texts_are_distinct():
    texts = [" ".join(item.text.lower().split()) for item in QUESTIONNAIRE.items]
    assert len(set(texts)) == len(texts)


def _response(answers: dict[str, int]) -> Response:
    return Response(questionnaire=QUESTIONNAIRE.id, version=QUESTIONNAIRE.version, answers=answers)


def test_often_everywhere_does_not_reach_the_top_band():
    # "Often" (4) on every positive item, "Rarely" (2) on every reverse item.
    answers = {item.id: 2 if item.reverse else 4 for item in QUESTIONNAIRE.items}
    result = score(QUESTIONNAIRE, _response(answers))
    groups = [("overall", result.overall)] + [
        (item.responsibility, item.score) for item in result.responsibilities
    ]
    for group, group_score in groups:
        top = max(QUESTIONNAIRE.bands_for(group), key=lambda band: band.from_)
        assert group_score.band is not None
        assert group_score.band.id != top.id, group
        assert group_score.percent is not None
        assert group_score.percent < top.from_, group
    assert result.strengths == ()  # nothing stands out when everything is "Often"


def test_always_everywhere_reaches_the_top_band_and_never_the_bottom():
    answers = {item.id: 1 if item.reverse else 5 for item in QUESTIONNAIRE.items}
    result = score(QUESTIONNAIRE, _response(answers))
    top = max(QUESTIONNAIRE.bands_for("overall"), key=lambda band: band.from_)
    assert result.overall.band is not None
    assert result.overall.band.id == top.id


def test_bands_describe_practice_with_a_bottom_band_and_provisional_cutoffs():
    assert QUESTIONNAIRE.cutoffs.provisional is True
    assert QUESTIONNAIRE.cutoffs.note
    assert "pilot" in QUESTIONNAIRE.cutoffs.note
    groups = ["overall", *(r.id for r in FRAMEWORK)]
    assert {band_set.group for band_set in QUESTIONNAIRE.bands} == set(groups)
    for group in groups:
        bands = sorted(QUESTIONNAIRE.bands_for(group), key=lambda band: band.from_)
        assert len(bands) >= 4, group
        assert bands[0].from_ == 0
        assert bands[0].to <= 40, group  # a bottom band for very low scores
        assert bands[-1].from_ > 75, group
        for band in bands:
            assert band.name.endswith("practice"), band.name  # the practice, not the person
            assert band.to_improve, (group, band.id)
    texts = " ".join(b.doing_well for s in QUESTIONNAIRE.bands for b in s.bands)
    # Claims a self-report cannot support, and hollow praise, are gone.
    for phrase in ("inspired", "true professional", "You want to help", "You care about"):
        assert phrase not in texts


def test_every_aspect_has_feedback_with_a_next_step():
    for aspect in FRAMEWORK.aspects:
        feedback = QUESTIONNAIRE.feedback_for(aspect.id)
        assert feedback is not None, aspect.id
        assert feedback.doing_well
        assert feedback.to_improve
        assert _words(feedback.to_improve) <= 25, aspect.id


def test_references_are_complete_citations():
    references = [
        reference
        for band_set in QUESTIONNAIRE.bands
        for band in band_set.bands
        for reference in band.references
    ] + [
        reference for feedback in QUESTIONNAIRE.aspect_feedback for reference in feedback.references
    ]
    assert len({reference.title for reference in references}) >= 10
    for reference in references:
        assert reference.title
        assert reference.author
        assert reference.year is not None or reference.url is not None
        assert reference.url is None or reference.url.startswith("https://")
    with_feedback = sum(bool(feedback.references) for feedback in QUESTIONNAIRE.aspect_feedback)
    assert with_feedback >= 15


def test_instructions_are_honest():
    assert "no right answers" not in QUESTIONNAIRE.instructions
    assert "honest answers give you more useful advice" in QUESTIONNAIRE.instructions.lower()


def test_responses_to_the_first_version_are_refused_naming_both_versions(tmp_path):
    assert QUESTIONNAIRE.version == "2.0.0"
    saved = tmp_path / "old-answers.yaml"
    saved.write_text(
        "kind: response\n"
        "questionnaire: four-responsibilities-self-assessment\n"
        'version: "1.0.0"\n'
        "answers:\n  client-1: 4\n  client-2: 5\n",
        encoding="utf-8",
    )
    response = fourresp.load(saved)
    with pytest.raises(fourresp.DocumentError) as caught:
        score(QUESTIONNAIRE, response)
    (problem,) = caught.value.problems
    assert problem.code == "wrong-version"
    assert "version '1.0.0'" in problem.message
    assert "this is version '2.0.0'" in problem.message


def _latent_trait_responses(count: int, seed: int) -> list[Response]:
    """Respondents with one level of practice per responsibility, answers near it."""
    rng = random.Random(seed)
    owner = {a.id: r.id for r in FRAMEWORK for a in r.aspects}
    responses = []
    for _ in range(count):
        level = {r.id: rng.uniform(1, 5) for r in FRAMEWORK}
        answers = {}
        for item in QUESTIONNAIRE.items:
            value = min(5, max(1, round(rng.gauss(level[owner[item.aspect]], 0.8))))
            answers[item.id] = 6 - value if item.reverse else value
        responses.append(_response(answers))
    return responses


def test_every_responsibility_gets_an_alpha_on_two_thousand_respondents():
    report = reliability(QUESTIONNAIRE, _latent_trait_responses(2000, seed=18))
    for group in ["overall", *(r.id for r in FRAMEWORK)]:
        figures = report.group(group)
        assert figures.respondents == 2000
        assert figures.alpha is not None, (group, figures.note)
        assert figures.alpha > 0.7, group
        assert all(entry.correlation is not None for entry in figures.item_total)
