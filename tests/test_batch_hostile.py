"""Batches isolate rows: one hostile row is reported with its line, the other rows are scored."""

from __future__ import annotations

import csv
import io
import json

import pytest

import fourresp
from fourresp.assessment import load_questionnaire, score_batch, score_rows
from fourresp.cli import main

QUESTIONNAIRE = load_questionnaire()
ITEMS = [item.id for item in QUESTIONNAIRE.items]
FIRST = ITEMS[0]


def _answers(value=4):
    return dict.fromkeys(ITEMS, value)


def _json_row(respondent, answers):
    return json.dumps({"respondent": respondent, "answers": answers})


# Each hostile JSON Lines row, as raw text (some are not valid JSON at all).
def _with(answer, respondent=None):
    """A JSON line answering the first item with ``answer`` (raw JSON text)."""
    who = "" if respondent is None else f'"respondent": "{respondent}", '
    return "{" + who + '"answers": {"' + FIRST + '": ' + answer + "}}"


HOSTILE_JSONL = {
    "huge-integer": _with("9" * 5001),
    "integer-beyond-floats": _with("1" + "0" * 400),
    "1e400": _with("1e400"),
    "nan": _with("NaN"),
    "lone-surrogate": _with("4", respondent="\\ud800"),
    "deep": "[" * 100_000 + "]" * 100_000,
    "two-megabytes": _with("4", respondent="x" * (2 << 20)),
    "boolean": _with("true"),
    "not-an-object": "[1, 2, 3]",
    "escape-codes": _with("9", respondent="\\u001b[2J"),
}


def _jsonl_batch(hostile):
    lines = [_json_row(f"r{n}", _answers()) for n in range(10)]
    lines[4] = hostile
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(HOSTILE_JSONL))
def test_one_hostile_json_line_leaves_the_other_nine_scored(name):
    text = _jsonl_batch(HOSTILE_JSONL[name])
    rows = list(score_rows(io.StringIO(text), QUESTIONNAIRE, format="jsonl"))
    assert [row.line for row in rows] == list(range(1, 11))
    refused = [row for row in rows if row.overall is None]
    assert [row.line for row in refused] == [5]
    assert refused[0].problems
    assert all(problem.line == 5 for problem in refused[0].problems)
    full = list(score_batch(io.StringIO(text), QUESTIONNAIRE, format="jsonl"))
    assert [row.line for row in full if row.result is None] == [5]
    percents = [row.result.overall.percent for row in full if row.result]
    assert len(percents) == 9
    assert len(set(percents)) == 1


HOSTILE_CELLS = {
    "huge-integer": "9" * 5001,
    "1e400": "1e400",
    "nan": "nan",
    "formula": "=1+1",
    "two-megabytes": "9" * (2 << 20),
}


def _csv_batch(cell, column=FIRST):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["respondent", *ITEMS])
    for n in range(10):
        writer.writerow([f"r{n}", *(4 for _ in ITEMS)])
    text = out.getvalue().splitlines()
    cells = text[5].split(",")
    cells[1 + ITEMS.index(column)] = cell
    text[5] = ",".join(cells)
    return "\n".join(text) + "\n"


@pytest.mark.parametrize("name", sorted(HOSTILE_CELLS))
def test_one_hostile_csv_row_leaves_the_other_nine_scored(name):
    text = _csv_batch(HOSTILE_CELLS[name])
    rows = list(score_rows(io.StringIO(text), QUESTIONNAIRE, format="csv"))
    assert len(rows) == 10
    assert [row.line for row in rows if row.overall is None] == [6]
    assert sum(row.overall is not None for row in rows) == 9


def test_a_csv_syntax_error_does_not_end_the_batch():
    text = _csv_batch('4"x')
    rows = list(score_rows(io.StringIO(text), QUESTIONNAIRE, format="csv"))
    assert [row.line for row in rows if row.overall is None] == [6]
    assert sum(row.overall is not None for row in rows) == 9


def test_csv_field_size_limit_is_left_alone():
    before = csv.field_size_limit()
    rows = score_rows(io.StringIO(_csv_batch("4")), QUESTIONNAIRE, format="csv")
    next(rows)  # a caller holding the iterator
    assert csv.field_size_limit() == before
    list(rows)
    assert csv.field_size_limit() == before


@pytest.mark.parametrize(("suffix", "name"), [("jsonl", "lone-surrogate"), ("jsonl", "deep")])
def test_the_cli_reports_the_hostile_row_and_exits_1(tmp_path, capsys, suffix, name):
    path = tmp_path / f"batch.{suffix}"
    path.write_text(_jsonl_batch(HOSTILE_JSONL[name]), encoding="utf-8")
    for output in ("text", "csv", "json"):
        assert main(["assess-batch", str(path), "--format", output]) == 1
        captured = capsys.readouterr()
        assert "9 scored, 1 refused" in captured.err
        assert f"{path}:5" in captured.err
        assert "Traceback" not in captured.err


def test_the_cli_scores_a_csv_with_a_hostile_row_and_neutralises_formulas(tmp_path, capsys):
    path = tmp_path / "batch.csv"
    text = _csv_batch("9" * 5001).replace("r3,", "=HYPERLINK(1),", 1)
    path.write_text(text, encoding="utf-8")
    assert main(["assess-batch", str(path), "--format", "csv"]) == 1
    captured = capsys.readouterr()
    assert "9 scored, 1 refused" in captured.err
    rows = list(csv.reader(io.StringIO(captured.out)))
    assert len(rows) == 10  # the header and nine rows
    respondents = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(1)" in respondents
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert rows[1][2].replace(".", "").isdigit()  # numbers are written as they are


def test_escape_codes_are_shown_escaped_on_the_terminal(tmp_path, capsys):
    path = tmp_path / "batch.jsonl"
    path.write_text(_jsonl_batch(HOSTILE_JSONL["escape-codes"]), encoding="utf-8")
    assert main(["assess-batch", str(path)]) == 1
    captured = capsys.readouterr()
    assert "\x1b" not in captured.err + captured.out


def test_light_rows_agree_with_full_results():
    text = _jsonl_batch(HOSTILE_JSONL["1e400"])
    light = list(score_rows(io.StringIO(text), QUESTIONNAIRE, format="jsonl"))
    full = list(score_batch(io.StringIO(text), QUESTIONNAIRE, format="jsonl"))
    for row, whole in zip(light, full, strict=True):
        assert row.line == whole.line
        if whole.result is None:
            assert row.overall is None
            assert row.problems == whole.problems
            with pytest.raises(fourresp.ArgumentError):
                row.full_result()
            continue
        assert row.overall == whole.result.overall
        assert row.responsibilities == whole.result.responsibilities
        assert row.full_result() == whole.result


def test_stricter_limits_send_every_row_the_full_way():
    strict = fourresp.Limits(max_nodes=10)  # fewer values than a row of 25 answers holds
    text = _jsonl_batch(_json_row("r", _answers()))
    rows = list(score_rows(io.StringIO(text), QUESTIONNAIRE, format="jsonl", limits=strict))
    assert all(row.overall is None for row in rows)
    assert {problem.code for row in rows for problem in row.problems} == {"too-many-nodes"}


def test_a_key_twice_in_one_row_is_placed_by_column_at_the_rows_line(tmp_path):
    from fourresp.assessment import load_questionnaire, read_responses

    questionnaire = load_questionnaire()
    item = questionnaire.items[0].id
    path = tmp_path / "rows.jsonl"
    path.write_text(
        '{"answers": {}}\n' + f'{{"answers": {{"{item}": 3, "{item}": 4}}}}\n', encoding="utf-8"
    )
    rows = list(read_responses(path, questionnaire))
    [problem] = rows[1].problems
    assert (problem.code, problem.line, problem.parts) == ("duplicate-key", 2, ("answers", item))
    assert "first at column 14" in problem.message
    assert "line 1" not in problem.message
