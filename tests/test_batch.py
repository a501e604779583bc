"""Batches (JSON Lines and CSV) and their reliability statistics."""

from __future__ import annotations

import io
import itertools
import json
import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp import testing
from fourresp.assessment import (
    Response,
    load_questionnaire,
    read_responses,
    reliability,
    score,
    score_batch,
)
from fourresp.content import load_framework
from fourresp.errors import ArgumentError, DocumentError

QUESTIONNAIRE = load_questionnaire()
ITEM_IDS = [item.id for item in QUESTIONNAIRE.items]


def _response(questionnaire, answers):
    return Response(questionnaire=questionnaire.id, version=questionnaire.version, answers=answers)


def _keyed(questionnaire, answers, item):
    scale = questionnaire.scale_of(item)
    value = answers[item.id]
    return scale.min + scale.max - value if item.reverse else value


def _groups(questionnaire):
    framework = load_framework()
    yield "overall", list(questionnaire.items)
    for responsibility in framework:
        ids = {aspect.id for aspect in responsibility.aspects}
        items = [item for item in questionnaire.items if item.aspect in ids]
        if items:
            yield responsibility.id, items


def _independent_alpha(columns):
    """Cronbach's alpha from the statistics module, sample variances throughout."""
    k = len(columns)
    totals = [math.fsum(row) for row in zip(*columns, strict=True)]
    item_variances = math.fsum(statistics.variance(column) for column in columns)
    return k / (k - 1) * (1 - item_variances / statistics.variance(totals))


batches = testing.questionnaires(min_items=2, max_items=12).flatmap(
    lambda q: st.tuples(st.just(q), st.lists(testing.answers_for(q), min_size=0, max_size=25))
)


@given(batches)
def test_alpha_and_item_total_agree_with_an_independent_computation(batch):
    questionnaire, answer_sets = batch
    report = reliability(questionnaire, (_response(questionnaire, a) for a in answer_sets))
    assert report.responses == len(answer_sets)
    for name, items in _groups(questionnaire):
        group = report.group(name)
        assert group.items == len(items)
        assert group.respondents == len(answer_sets)
        columns = [[_keyed(questionnaire, a, item) for a in answer_sets] for item in items]
        if len(answer_sets) < 2:
            assert group.alpha is None
            assert group.note == "fewer than two complete responses"
            continue
        if len(items) < 2:
            assert group.alpha is None
            continue
        totals = [math.fsum(row) for row in zip(*columns, strict=True)]
        if statistics.variance(totals) == 0:
            assert group.alpha is None
            assert group.note == "the total score does not vary"
        else:
            assert group.alpha == pytest.approx(_independent_alpha(columns), abs=1e-9)
        for index, entry in enumerate(group.item_total):
            column = columns[index]
            rest = [t - x for t, x in zip(totals, column, strict=True)]
            if statistics.variance(column) == 0:
                assert entry.correlation is None
                assert entry.note == "the item does not vary"
            elif statistics.variance(rest) == 0:
                assert entry.correlation is None
            else:
                expected = statistics.correlation(column, rest)
                assert entry.correlation == pytest.approx(expected, abs=1e-9)
                assert -1 - 1e-12 <= entry.correlation <= 1 + 1e-12


@given(batches, st.randoms(use_true_random=False))
def test_reliability_does_not_depend_on_the_order_of_responses(batch, rng):
    questionnaire, answer_sets = batch
    shuffled = list(answer_sets)
    rng.shuffle(shuffled)
    first = reliability(questionnaire, [_response(questionnaire, a) for a in answer_sets])
    second = reliability(questionnaire, [_response(questionnaire, a) for a in shuffled])
    assert first == second


def test_a_worked_example():
    # Three varying items, four people, every other item a constant 3.
    # Item variances 5/3, 11/12, 11/12 (sum 7/2); totals 4, 6, 9, 11 (variance 29/3).
    # With k items: alpha = k / (k - 1) * (1 - (7/2) / (29/3)) = k / (k - 1) * 37/58.
    from fourresp.assessment import ReliabilityAccumulator

    items = [item for item in QUESTIONNAIRE.items if not item.reverse][:3]
    rows = [(1, 1, 2), (2, 2, 2), (3, 3, 3), (4, 3, 4)]
    accumulator = ReliabilityAccumulator(QUESTIONNAIRE)
    for row in rows:
        answers = {item.id: 3 for item in QUESTIONNAIRE.items}
        answers.update({item.id: value for item, value in zip(items, row, strict=True)})
        accumulator.add(_response(QUESTIONNAIRE, answers))
    overall = accumulator.report().group("overall")
    k = len(QUESTIONNAIRE.items)
    assert overall.alpha == pytest.approx(k / (k - 1) * 37 / 58, abs=1e-15)
    assert overall.respondents == 4
    constant = next(e for e in overall.item_total if e.item not in {i.id for i in items})
    assert constant.correlation is None
    assert constant.note == "the item does not vary"
    assert _independent_alpha([[1, 2, 3, 4], [1, 2, 3, 3], [2, 2, 3, 4]]) == pytest.approx(
        3 / 2 * 37 / 58, abs=1e-15
    )


def test_skipped_items_leave_a_response_out_of_that_group_only():
    answers = dict.fromkeys(ITEM_IDS, 3)
    answers[ITEM_IDS[0]] = None  # a client item
    report = reliability(QUESTIONNAIRE, [_response(QUESTIONNAIRE, answers)] * 3)
    assert report.group("overall").respondents == 0
    assert report.group("client").respondents == 0
    assert report.group("learners").respondents == 3


def _csv(rows, header=("respondent", *ITEM_IDS)):
    return io.StringIO("\n".join(",".join(map(str, row)) for row in [header, *rows]) + "\n")


def test_csv_rows_are_scored_like_single_responses():
    answers = {item_id: (index % 5) + 1 for index, item_id in enumerate(ITEM_IDS)}
    stream = _csv([("ada", *answers.values()), ("bob", *[""] * len(ITEM_IDS))])
    rows = list(score_batch(stream, QUESTIONNAIRE, format="csv"))
    assert len(rows) == 2
    expected = score(QUESTIONNAIRE, _response(QUESTIONNAIRE, answers))
    assert rows[0].result.overall == expected.overall
    assert rows[0].respondent == "ada"
    assert rows[1].result.overall.status == "insufficient"  # bob skipped everything


def test_bad_rows_are_reported_at_their_line_and_the_rest_go_on(tmp_path):
    good = {"answers": dict.fromkeys(ITEM_IDS, 4), "respondent": "ok"}
    lines = [
        json.dumps(good),
        "",
        "{not json",
        json.dumps({"answers": {ITEM_IDS[0]: 9, "no-such-item": 1}}),
        json.dumps({"answers": {ITEM_IDS[0]: True}}),
        json.dumps({"answers": {}, "version": "0.0.1"}),
        json.dumps(good),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = list(score_batch(path, QUESTIONNAIRE))
    assert [row.line for row in rows] == [1, 3, 4, 5, 6, 7]
    assert rows[0].result is not None
    assert rows[-1].result is not None
    assert rows[1].problems[0].code == "json-syntax"
    assert {p.code for p in rows[2].problems} == {"off-scale", "unknown-item"}
    assert all(p.location.startswith(f"{path}:4") for p in rows[2].problems)
    assert rows[3].problems[0].code == "schema"  # a boolean where a number is due
    assert rows[4].problems[0].code == "wrong-version"


def test_csv_header_and_cells_are_checked():
    with pytest.raises(DocumentError) as caught:
        list(
            read_responses(
                _csv([], header=("respondent", "nope", "nope")), QUESTIONNAIRE, format="csv"
            )
        )
    assert {p.code for p in caught.value.problems} == {"unknown-item", "csv-header"}
    rows = list(
        read_responses(
            _csv([("a", "x", *[3] * (len(ITEM_IDS) - 1)), ("b", 1)]), QUESTIONNAIRE, format="csv"
        )
    )
    assert rows[0].problems[0].code == "not-a-number"
    assert rows[0].problems[0].path == f"$.answers.{ITEM_IDS[0]}"
    assert rows[1].problems[0].code == "csv-shape"
    assert [row.line for row in rows] == [2, 3]


def test_csv_with_a_byte_order_mark_and_quoted_newlines(tmp_path):
    path = tmp_path / "batch.csv"
    values = ",".join(["3"] * len(ITEM_IDS))
    path.write_text(
        "respondent," + ",".join(ITEM_IDS) + f'\n"two\nlines",{values}\nnext,{values}\n',
        encoding="utf-8-sig",
    )
    rows = list(score_batch(path, QUESTIONNAIRE))
    assert [row.respondent for row in rows] == ["two\nlines", "next"]
    assert [row.line for row in rows] == [2, 4]


def test_the_format_must_be_known():
    with pytest.raises(ArgumentError, match="jsonl"):
        list(read_responses("answers.txt", QUESTIONNAIRE))


def test_an_unreadable_file_is_a_document_error_and_an_undecodable_row_its_own(tmp_path):
    with pytest.raises(DocumentError, match="cannot read"):
        list(read_responses(tmp_path / "missing.csv", QUESTIONNAIRE))
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"answers": {}}\n{"respondent": "Jos\xe9"}\n{"answers": {}}\n')
    rows = list(read_responses(path, QUESTIONNAIRE))
    assert [row.response is not None for row in rows] == [True, False, True]
    (problem,) = rows[1].problems
    assert (problem.code, problem.line) == ("encoding", 2)
    assert "byte 0xE9" in problem.message


def test_an_overlong_line_is_refused_and_reading_goes_on():
    import attrs

    from fourresp import DEFAULT_LIMITS

    limits = attrs.evolve(DEFAULT_LIMITS, max_bytes=200)
    good = json.dumps({"answers": {ITEM_IDS[0]: 3}})
    stream = io.StringIO(json.dumps({"respondent": "x" * 1000}) + "\n" + good + "\n")
    rows = list(read_responses(stream, QUESTIONNAIRE, format="jsonl", limits=limits))
    assert rows[0].problems[0].code == "too-large"
    assert rows[1].response is not None
    assert rows[1].line == 2


class _EndlessCsv(io.TextIOBase):
    """A CSV of endless rows: reading it whole would never finish."""

    def __init__(self):
        self._lines = itertools.chain(
            [",".join(ITEM_IDS) + "\n"],
            (",".join(["4"] * len(ITEM_IDS)) + "\n" for _ in itertools.count()),
        )

    def readable(self):
        return True

    def readline(self, size=-1):
        return next(self._lines)

    def __next__(self):
        return next(self._lines)


def test_batches_stream_one_row_at_a_time():
    rows = itertools.islice(score_batch(_EndlessCsv(), QUESTIONNAIRE, format="csv"), 3)
    assert [row.line for row in rows] == [2, 3, 4]


@settings(max_examples=150)
@given(st.text(max_size=400), st.sampled_from(["csv", "jsonl"]))
def test_any_text_gives_rows_or_a_document_error(text, form):
    try:
        for row in read_responses(io.StringIO(text), QUESTIONNAIRE, format=form):
            assert (row.response is None) == bool(row.problems)
    except DocumentError as exc:
        assert exc.problems


def test_a_byte_order_mark_in_an_open_stream_is_not_part_of_the_first_column():
    header = "\ufeffrespondent," + ",".join(ITEM_IDS)
    csv_text = header + "\r\nada," + ",".join(["4"] * len(ITEM_IDS)) + "\r\n"
    jsonl_text = (
        "\ufeff"
        + json.dumps(
            {
                "questionnaire": QUESTIONNAIRE.id,
                "version": QUESTIONNAIRE.version,
                "respondent": "ada",
                "answers": dict.fromkeys(ITEM_IDS, 4),
            }
        )
        + "\n"
    )
    for text, format in ((csv_text, "csv"), (jsonl_text, "jsonl")):
        rows = list(score_batch(io.StringIO(text), QUESTIONNAIRE, format=format))
        assert [(row.respondent, row.problems) for row in rows] == [("ada", ())]
