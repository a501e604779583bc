"""Rows read the quick way are the rows the plain way gives, good rows and bad alike.

The plain way (every document through the quick check or the loader, then the
engine's checks on the response) is the oracle: batches of generated rows, well
formed or broken in the ways files are (duplicate keys, escapes, booleans, text,
NaN, values off the scale or between points, unknown items, wrong ids, stray
keys), are read both ways and must give equal rows, problems included.
"""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fourresp
from fourresp import testing
from fourresp._document._limits import DEFAULT_LIMITS
from fourresp.assessment import (
    ReliabilityAccumulator,
    load_questionnaire,
    read_responses,
    score_rows,
)
from fourresp.assessment._batch import _light, table_rows
from fourresp.assessment._jsonrow import hooked as _hooked
from fourresp.assessment._jsonrow import parsed as _parsed
from fourresp.assessment._scoring import plan_for
from fourresp.errors import DocumentError

DEFAULT = load_questionnaire()

_texts = st.text(max_size=12) | st.sampled_from(
    ["ada", "'=1+1", '"quoted": "x"', "back\\slash", "\ud800", "\x1b[2J", "", "é" * 3, "a" * 201]
)
_odd_values = st.sampled_from(
    [True, False, "3", [3], {"a": 1}, 1e300, -1, 2**60, 0.5, 3.0000000001, 3.0, None]
)


@st.composite
def _document(draw, questionnaire):
    answers = dict(draw(testing.answers_for(questionnaire, skips=True)))
    if draw(st.booleans()):
        answers = dict(draw(st.permutations(list(answers.items()))))
    for _ in range(draw(st.integers(0, 2))):
        choice = draw(st.integers(0, 2))
        if choice == 0 and answers:
            answers[draw(st.sampled_from(sorted(answers)))] = draw(_odd_values)
        elif choice == 1 and answers:
            answers.pop(draw(st.sampled_from(sorted(answers))))
        elif choice == 2:
            answers[draw(st.sampled_from(["zz-1", "a b", "x" * 70]))] = 3
    document: dict[str, object] = {"answers": answers}
    if draw(st.integers(0, 9)) == 0:
        document["answers"] = draw(st.sampled_from([[], "answers", None]))
    for key, values in (
        ("respondent", _texts | st.none()),
        ("questionnaire", st.sampled_from([questionnaire.id, "other", "Bad Id"])),
        ("version", st.sampled_from([questionnaire.version, "9.9", "v1"])),
        ("started_at", st.sampled_from(["2026-11-29T10:00:00Z", "yesterday"])),
        ("kind", st.sampled_from(["response", "result"])),
        ("$schema", st.just("response.schema.json")),
        ("extra", st.integers()),
    ):
        if draw(st.integers(0, 4)) == 0 or (key == "respondent" and draw(st.booleans())):
            document[key] = draw(values)
    return document


def _line(draw, questionnaire):
    document = draw(_document(questionnaire))
    comma, colon = draw(st.sampled_from([(", ", ": "), (",", ":"), (" , ", " : ")]))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()), separators=(comma, colon))
    mutation = draw(st.integers(0, 7))
    answers = document.get("answers")
    opening = '"answers"' + colon + "{"
    if mutation == 0 and isinstance(answers, dict) and answers:
        # a key written twice: a parse without the hook would keep the later one
        key = json.dumps(draw(st.sampled_from(sorted(answers))))
        text = text.replace(opening, opening + key + colon + "1" + comma, 1)
    elif mutation == 1:
        text = text.replace("{", '{"respondent"' + colon + '"twice"' + comma, 1)
    elif mutation == 2 and isinstance(answers, dict) and answers:
        key = json.dumps(draw(st.sampled_from(sorted(answers))))
        odd = draw(st.sampled_from(["NaN", "-Infinity", "1e400", "9" * 400, 'true, "z": ']))
        text = text.replace(key + colon, key + colon + odd, 1)
    elif mutation == 3:
        text = text[: draw(st.integers(0, len(text)))]
    return text


@st.composite
def _batches(draw):
    questionnaire = draw(st.just(DEFAULT) | testing.questionnaires(max_items=8))
    lines = [_line(draw, questionnaire) for _ in range(draw(st.integers(1, 5)))]
    return questionnaire, "\n".join(lines) + "\n"


def _plain_rows(questionnaire, text, reliability=None):
    """The oracle: every row the plain way (no quick rows), then the engine's light path."""
    plan = plan_for(questionnaire)
    return [
        _light(row, plan, None, reliability)
        for row in read_responses(io.StringIO(text), questionnaire, format="jsonl")
    ]


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_batches())
def test_score_rows_read_the_quick_way_equal_the_plain_way(case):
    questionnaire, text = case
    quick_figures, plain_figures = (
        ReliabilityAccumulator(questionnaire),
        ReliabilityAccumulator(questionnaire),
    )
    quick = list(
        score_rows(io.StringIO(text), questionnaire, format="jsonl", reliability=quick_figures)
    )
    plain = _plain_rows(questionnaire, text, plain_figures)
    assert quick == plain
    assert [row.response for row in quick] == [row.response for row in plain]
    assert quick_figures.report() == plain_figures.report()


@_SETTINGS
@given(_batches())
def test_table_rows_hold_the_figures_of_the_plain_rows(case):
    questionnaire, text = case
    table = list(table_rows(io.StringIO(text), questionnaire, format="jsonl"))
    plain = _plain_rows(questionnaire, text)
    assert len(table) == len(plain)
    for row, expected in zip(table, plain, strict=True):
        assert (row.line, row.respondent, row.overall, row.problems) == (
            expected.line,
            expected.respondent,
            expected.overall,
            expected.problems,
        )
        assert tuple(row.responsibilities) == expected.responsibilities


@st.composite
def _csv_batches(draw):
    questionnaire = draw(st.just(DEFAULT) | testing.questionnaires(max_items=8))
    ids = [item.id for item in questionnaire.items]
    lines = [",".join(["respondent", *ids])]
    for _ in range(draw(st.integers(1, 4))):
        answers = draw(testing.answers_for(questionnaire, skips=True))
        cells = ["" if value is None else str(value) for value in answers.values()]
        if draw(st.booleans()):
            odd = st.sampled_from(["abc", "true", "1e400", "99", "-1", "0.5", " 3 ", "nan"])
            cells[draw(st.integers(0, len(cells) - 1))] = draw(odd)
        who = draw(st.sampled_from(["ada", "", "=1+1", " bob ", '"a,b"']))
        lines.append(",".join([who, *cells]))
    return questionnaire, "\n".join(lines) + "\n"


@_SETTINGS
@given(_csv_batches())
def test_csv_rows_read_the_quick_way_equal_the_plain_way(case):
    questionnaire, text = case
    quick = list(score_rows(io.StringIO(text), questionnaire, format="csv"))
    plan = plan_for(questionnaire)
    plain = [
        _light(row, plan, None, None)
        for row in read_responses(io.StringIO(text), questionnaire, format="csv")
    ]
    assert quick == plain
    assert [row.response for row in quick] == [row.response for row in plain]


def _outcome(read, text):
    try:
        return "value", read(text, DEFAULT_LIMITS, "x.jsonl")
    except DocumentError as exc:
        return "problems", exc.problems


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_line_parses_as_with_a_duplicate_key_hook(data):
    text = _line(data.draw, DEFAULT)
    # equal values, or equal problems (NaN never gets as far as a value either way)
    assert _outcome(_parsed, text) == _outcome(_hooked, text)


def test_a_duplicate_key_is_found_however_the_line_is_spaced():
    for text in (
        '{"answers": {"client-1": 3, "client-1": 4}}',
        '{"answers": {"client-1": 3, "client-1" : 4}}',
        '{"answers": {"client-1": 3}, "answers": {"client-1": 4}}',
        '{"respondent": "a", "answers": {}, "respondent" :"b"}',
    ):
        with_hook = _outcome(_hooked, text)
        assert with_hook[0] == "problems"
        assert _outcome(_parsed, text) == with_hook
    rows = list(
        score_rows(
            io.StringIO('{"answers": {"client-1": 3, "client-1": 4}}\n'), DEFAULT, format="jsonl"
        )
    )
    assert [problem.code for problem in rows[0].problems] == ["duplicate-key"]


def test_the_quick_way_builds_the_response_the_loader_builds():
    answers = {item.id: 4 for item in DEFAULT.items}
    text = json.dumps({"respondent": "ada", "answers": answers}) + "\n"
    (row,) = score_rows(io.StringIO(text), DEFAULT, format="jsonl")
    document = {
        "questionnaire": DEFAULT.id,
        "version": DEFAULT.version,
        "respondent": "ada",
        "answers": answers,
    }
    assert row.response == fourresp.load(document, kind="response", limits=fourresp.Limits())
