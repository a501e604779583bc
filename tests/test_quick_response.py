"""The quick check of response mappings never accepts what the full loader refuses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fourresp
from fourresp import testing
from fourresp.assessment._quick import quick_response

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["", " ", "\ud800", "\x1b[31m", "2026-11-29T10:00:00Z", "a" * 201]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
_keys = st.sampled_from(
    [
        "kind",
        "questionnaire",
        "version",
        "answers",
        "respondent",
        "started_at",
        "completed_at",
        "$schema",
        "other",
    ]
)


@st.composite
def _documents(draw):
    questionnaire = draw(testing.questionnaires(max_items=6))
    response = draw(testing.responses(questionnaire, skips=True))
    document = fourresp.to_document(response)
    for _ in range(draw(st.integers(0, 3))):  # break it a little, or a lot
        key = draw(_keys)
        if key == "answers" and draw(st.booleans()) and isinstance(document.get(key), dict):
            document[key][draw(st.text(max_size=4))] = draw(_json)
        elif draw(st.booleans()):
            document[key] = draw(_json)
        else:
            document.pop(key, None)
    return document


@settings(max_examples=120, deadline=None)
@given(_documents())
def test_quick_accepts_only_what_the_loader_accepts_and_builds_the_same(document):
    quick = quick_response(document)
    try:
        # an explicit Limits skips the quick path: this is the full loader
        full = fourresp.load(document, kind="response", limits=fourresp.Limits())
    except fourresp.DocumentError:
        assert quick is None
        with pytest.raises(fourresp.DocumentError):
            fourresp.load(document, kind="response")  # the quick path first, as apps call it
    else:
        assert quick is None or quick == full
        assert fourresp.load(document, kind="response") == full


@given(st.builds(dict, kind=st.just("response")))
def test_a_mapping_without_answers_goes_the_full_way(document):
    assert quick_response(document) is None
