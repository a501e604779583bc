"""Reports for people: the SVG chart and the Markdown report."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fourresp import testing
from fourresp._markdown import escape
from fourresp.assessment import (
    Cutoffs,
    Reference,
    Response,
    load_questionnaire,
    result_chart,
    result_markdown,
    score,
)
from fourresp.charts import MAX_LABEL, Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"
bars = st.lists(
    st.builds(
        Bar,
        label=st.text(max_size=120),
        percent=st.none() | st.floats(0, 100),
        note=st.none() | st.text(max_size=40),
        colour=st.none() | st.sampled_from(["#123456", "#abcdef"]),
    ),
    max_size=8,
)


@given(st.text(max_size=80), bars, st.none() | st.text(max_size=60))
def test_any_chart_is_well_formed_accessible_and_deterministic(title, items, subtitle):
    svg = bar_chart(title, items, subtitle=subtitle)
    assert svg == bar_chart(title, items, subtitle=subtitle)
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    for element in root.iter():
        assert element.tag.rsplit("}", 1)[-1] not in {"script", "foreignObject", "image", "a"}
        assert not any(name.lower().startswith("on") for name in element.attrib)
        assert not any("href" in name for name in element.attrib)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert all(len(text) <= MAX_LABEL for text in texts)


def test_charts_on_one_page_do_not_share_ids():
    first = bar_chart("A", [Bar(label="x", percent=10)])
    second = bar_chart("B", [Bar(label="x", percent=10)])
    ids = re.compile(r'id="([^"]+)"')
    assert not set(ids.findall(first)) & set(ids.findall(second))
    assert 'id="mine-title"' in bar_chart("A", [], id_prefix="mine")


@pytest.mark.parametrize(
    ("bar", "message"),
    [
        (Bar(label="x", percent=101), "0 to 100"),
        (Bar(label="x", percent=float("nan")), "0 to 100"),
        (Bar(label="x", percent=5, colour="red"), "#rrggbb"),
    ],
)
def test_bad_bars_are_refused(bar, message):
    with pytest.raises(ValueError, match=message):
        bar_chart("t", [bar])


def test_the_description_says_every_score_in_words():
    svg = bar_chart(
        "Scores",
        [Bar(label="Client", percent=72.4, note="Developing"), Bar(label="Self", percent=None)],
    )
    desc = ElementTree.fromstring(svg).find(f"{SVG}desc").text
    assert desc == "Scores. Client: 72 out of 100, Developing; Self: no score (not enough answers)."


questionnaire_and_answers = testing.questionnaires().flatmap(
    lambda q: st.tuples(st.just(q), testing.answers_for(q, skips=True))
)


@given(questionnaire_and_answers, st.text(min_size=1, max_size=60))
def test_markdown_reports_let_no_markup_through(pair, respondent):
    questionnaire, answers = pair
    response = Response(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        answers=answers,
        respondent=respondent,
    )
    result = score(questionnaire, response)
    report = result_markdown(result, questionnaire=questionnaire)
    assert "<" not in report
    line = next(line for line in report.splitlines() if line.startswith("Respondent: "))
    assert "\n" not in line
    svg = result_chart(result)
    ElementTree.fromstring(svg)


def test_the_default_report_reads_well():
    questionnaire = load_questionnaire()
    answers = {item.id: 5 if not item.reverse else 1 for item in questionnaire.items}
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    report = result_markdown(score(questionnaire, response), questionnaire=questionnaire)
    assert report.startswith(f"# Results: {questionnaire.title}\n")
    count = len(questionnaire.items)
    assert f"**Overall: 100% (Consistent practice)**, {count} answered, 0 skipped." in report
    assert "## What you do well" in report
    assert "## Where you can improve" not in report
    assert report.count("**Next step.**") == 5  # overall and each responsibility
    assert "_The bands' cut-offs are provisional." in report


def test_the_default_report_gives_next_steps_with_their_sources():
    questionnaire = load_questionnaire()
    answers = {item.id: 3 if not item.reverse else 4 for item in questionnaire.items}
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    result = score(questionnaire, response)
    report = result_markdown(result, questionnaire=questionnaire)
    assert result.improvements
    assert "## Where you can improve: next steps" in report
    section = report.split("## Where you can improve: next steps", 1)[1]
    cited = 0
    for highlight in result.improvements:
        feedback = questionnaire.feedback_for(highlight.aspect)
        assert escape(feedback.to_improve) in section
        for reference in feedback.references:
            assert f"*{escape(reference.title)}*" in section
            cited += 1
    assert cited == section.count("  - Source: ")
    assert cited > 0
    # Without the questionnaire there is nothing to cite, and nothing breaks.
    assert "Source:" not in result_markdown(result)


references = st.lists(
    st.builds(
        Reference,
        title=st.text(min_size=1, max_size=40),
        author=st.text(min_size=1, max_size=40),
        year=st.none() | st.integers(1000, 9999),
        url=st.none() | st.text(max_size=40).map(lambda tail: "https://x.org/" + tail),
    ),
    min_size=1,
    max_size=3,
)


@given(questionnaire_and_answers, references, st.text(min_size=1, max_size=60))
def test_sources_and_notes_in_reports_let_no_markup_through(pair, cited, note):
    questionnaire, answers = pair
    questionnaire = attrs.evolve(
        questionnaire,
        bands=tuple(
            attrs.evolve(
                band_set,
                bands=tuple(attrs.evolve(b, references=tuple(cited)) for b in band_set.bands),
            )
            for band_set in questionnaire.bands
        ),
        aspect_feedback=tuple(
            attrs.evolve(f, references=tuple(cited)) for f in questionnaire.aspect_feedback
        ),
        cutoffs=Cutoffs(provisional=True, note=note),
    )
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    report = result_markdown(score(questionnaire, response), questionnaire=questionnaire)
    assert "<" not in report
    provisional = [line for line in report.splitlines() if "cut-offs are provisional" in line]
    assert len(provisional) == 1
    for line in report.splitlines():
        if line.lstrip().startswith("- Source: "):
            # Only the title's emphasis: a star after an even run of backslashes is markup.
            assert len(re.findall(r"(?<!\\)(?:\\\\)*\*", line)) == 2, line
