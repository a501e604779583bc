"""SurveyJS export and import: the calculated values equal the library's scores."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp import testing
from fourresp.assessment import Response, load_questionnaire, score
from fourresp.cli import main
from fourresp.errors import DocumentError
from fourresp.exchange import SurveyImport, from_surveyjs, responsibility_expression, to_surveyjs

ROOT = Path(__file__).resolve().parent.parent


class _Expression:
    """A small evaluator for the SurveyJS expressions fourresp writes: numbers, {names},
    '' (no value), + - * /, comparisons, 'and', parentheses, iif(a, b, c) and the postfix
    'notempty'. An empty result is None, as SurveyJS leaves the value undefined."""

    TOKEN = re.compile(
        r"\s*(\{[^}]*\}|'[a-z0-9-]*'|\d+(?:\.\d+)?(?:e-?\d+)?|iif|notempty|and\b|>=|<=|[-+*/(),<>])"
    )

    def __init__(self, text, values):
        self.tokens = self.TOKEN.findall(text)
        assert "".join(self.tokens) == re.sub(r"\s+", "", text), text
        self.values = values
        self.at = 0
        self.skipping = 0  # inside the branch of iif() not taken: parse, do not compute

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected=None):
        token = self.tokens[self.at]
        assert expected is None or token == expected, (token, expected)
        self.at += 1
        return token

    def evaluate(self):
        value = self.conjunction()
        assert self.peek() is None
        return value

    def conjunction(self):
        value = self.comparison()
        while self.peek() == "and":
            self.take()
            right = self.comparison()
            value = bool(value) and bool(right)
        return value

    def comparison(self):
        left = self.sum()
        while self.peek() in (">", "<", ">=", "<="):
            op, right = self.take(), self.sum()
            if self.skipping:
                continue
            left = {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right}[
                op
            ]
        return left

    def sum(self):
        value = self.product()
        while self.peek() in ("+", "-"):
            op, right = self.take(), self.product()
            if not self.skipping:
                value = value + right if op == "+" else value - right
        return value

    def product(self):
        value = self.postfix()
        while self.peek() in ("*", "/"):
            op, right = self.take(), self.postfix()
            if not self.skipping:
                value = value * right if op == "*" else value / right
        return value

    def postfix(self):
        value = self.atom()
        if self.peek() == "notempty":
            self.take()
            return value is not None
        return value

    def atom(self):
        token = self.take()
        if token == "(":
            value = self.conjunction()
            self.take(")")
            return value
        if token == "iif":
            self.take("(")
            condition = bool(self.conjunction())
            self.take(",")
            yes = self.branch(taken=condition)
            self.take(",")
            no = self.branch(taken=not condition)
            self.take(")")
            return yes if condition else no
        if token == "''":
            return None
        if token.startswith("'"):
            return token[1:-1]
        if token.startswith("{"):
            return self.values.get(token[1:-1])
        if token == "-":
            value = self.atom()
            return value if self.skipping else -value
        return float(token)

    def branch(self, *, taken):
        self.skipping += not taken
        try:
            return self.conjunction()
        finally:
            self.skipping -= not taken


def _library_values(questionnaire, answers):
    """What the survey's calculated values must be, by fourresp's own scoring."""
    result = score(
        questionnaire,
        Response(questionnaire=questionnaire.id, version=questionnaire.version, answers=answers),
    )
    expected = {}
    groups = [(r.responsibility, r.score) for r in result.responsibilities]
    for name, figures in [*groups, ("overall", result.overall)]:
        expected[f"{name}-raw"] = figures.raw
        if questionnaire.scoring.scorer in ("sum", "percent", "mean", "weighted-mean"):
            expected[f"{name}-percent"] = figures.percent
            if questionnaire.bands_for(name):
                expected[f"{name}-band"] = figures.band.id if figures.band else None
    return expected


def _evaluate(survey, answers):
    """Every calculated value in order (a later one may read an earlier one)."""
    values = dict(answers)
    computed = {}
    for calculated in survey["calculatedValues"]:
        computed[calculated["name"]] = values[calculated["name"]] = _Expression(
            calculated["expression"], values
        ).evaluate()
    return computed


def _on_a_band_edge(name, computed, questionnaire):
    """A percent a hair's breadth from a band's edge may round to either side of it."""
    group = name.removesuffix("-band")
    percent = computed.get(f"{group}-percent")
    edges = {edge for band in questionnaire.bands_for(group) for edge in (band.from_, band.to)}
    return percent is not None and any(abs(percent - edge) < 1e-9 for edge in edges)


def _same(computed, expected, questionnaire):
    assert computed.keys() == expected.keys()
    for name, value in expected.items():
        if name.endswith("-band"):
            assert computed[name] == value or _on_a_band_edge(name, computed, questionnaire), name
        elif value is None:
            assert computed[name] is None, (name, computed[name])
        else:
            assert computed[name] is not None, name
            assert math.isclose(computed[name], value, rel_tol=1e-9, abs_tol=1e-9), name


questionnaire_and_answers = testing.questionnaires(max_items=16).flatmap(
    lambda q: st.tuples(st.just(q), testing.answers_for(q, skips=True))
)


@settings(max_examples=150)
@given(questionnaire_and_answers)
def test_calculated_values_equal_the_librarys_scores_insufficient_ones_included(pair):
    questionnaire, answers = pair
    survey = to_surveyjs(questionnaire)
    computed = _evaluate(survey, answers)
    _same(computed, _library_values(questionnaire, answers), questionnaire)
    names = [e["name"] for page in survey["pages"] for e in page["elements"]]
    assert sorted(names) == sorted(item.id for item in questionnaire.items)


def test_a_single_answer_gives_no_score_where_the_library_says_insufficient():
    questionnaire = load_questionnaire()
    first = questionnaire.items[0]
    survey = to_surveyjs(questionnaire)
    computed = _evaluate(survey, {first.id: 3})
    assert set(computed.values()) == {None}
    assert "client-band" in computed
    client = [i for i in questionnaire.items if i.aspect.startswith("client")]
    assert _Expression(responsibility_expression(client, questionnaire), {}).evaluate() is None


def test_unanswered_items_are_prorated_not_zeros():
    questionnaire = load_questionnaire()
    survey = to_surveyjs(questionnaire)
    expression = next(
        c["expression"] for c in survey["calculatedValues"] if c["name"] == "client-raw"
    )
    client = [i for i in questionnaire.items if i.aspect.startswith("client")]
    answers = {item.id: 4 for item in client[1:]}  # the first one unanswered
    keyed = sum((6 - 4) if item.reverse else 4 for item in client[1:])
    assert _Expression(expression, answers).evaluate() == pytest.approx(
        keyed * len(client) / (len(client) - 1)
    )


def test_the_survey_carries_instructions_and_scale_labels():
    questionnaire = load_questionnaire()
    survey = to_surveyjs(questionnaire)
    assert survey["title"] == questionnaire.title
    assert survey["description"] == questionnaire.introduction
    assert {page["description"] for page in survey["pages"]} == {questionnaire.instructions}
    first = survey["pages"][0]["elements"][0]
    labels = [questionnaire.scale.label_for(p) for p in questionnaire.scale.points]
    assert [v["text"] for v in first["rateValues"]] == labels
    assert all(c["includeIntoResult"] for c in survey["calculatedValues"])


def test_results_come_back_as_a_response_and_unknown_keys_are_listed():
    questionnaire = load_questionnaire()
    data = {item.id: 3 for item in questionnaire.items[:10]}
    data |= {"client-1-Comment": "hi", "pageNo": 2, "client-raw": 12.0, "overall-percent": 50}
    imported = from_surveyjs(questionnaire, data, respondent="ada")
    assert isinstance(imported, SurveyImport)
    assert imported.ignored == ("client-1-Comment", "pageNo")  # the survey's own values: silent
    response = imported.response
    assert response.answers[questionnaire.items[0].id] == 3
    assert response.answers[questionnaire.items[-1].id] is None
    assert response.respondent == "ada"
    with pytest.raises(DocumentError) as caught:
        from_surveyjs(questionnaire, {"client-1": "3", "client-2": True})
    assert [p.code for p in caught.value.problems] == ["not-a-number", "not-a-number"]
    assert caught.value.problems[0].path == "$.client-1"


def test_the_import_surveyjs_command_scores_a_result(tmp_path, capsys):
    questionnaire = load_questionnaire()
    data = {item.id: 2 if item.reverse else 4 for item in questionnaire.items}
    data["client-1-Comment"] = "a note"
    path = tmp_path / "survey-data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", "surveyjs", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["overall"]["percent"] == pytest.approx(75.0)
    assert "client-1-Comment" in captured.err
    assert main(["export", "surveyjs"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"][0]["name"] == "client"
    path.write_text('{"client-1": "four"}', encoding="utf-8")
    assert main(["import", "surveyjs", str(path)]) == 1
    assert "expected a number" in capsys.readouterr().err


# -- the real SurveyJS library under Node ------------------------------------------------

SURVEY_CORE = os.environ.get("FOURRESP_SURVEY_CORE") or str(ROOT / "build" / "survey-core")
_RUN_SURVEY = """
const fs = require("fs");
const Survey = require("survey-core");
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const out = [];
for (const [json, data] of cases) {
  const survey = new Survey.Model(json);
  survey.data = data;
  const values = {};
  for (const value of survey.calculatedValues) {
    values[value.name] = value.value === undefined || value.value === "" ? null : value.value;
  }
  const labels = survey.getAllQuestions().map(
    (q) => [q.name, q.visibleRateValues.map((v) => v.text)]);
  out.push({values, labels, result: survey.data});
}
console.log(JSON.stringify(out));
"""


def _survey_core_missing():
    if not shutil.which("node"):
        return "node is not installed"
    if not (Path(SURVEY_CORE) / "node_modules" / "survey-core").is_dir():
        return f"no survey-core under {SURVEY_CORE} (run `make survey-core`)"
    return None


@pytest.fixture(scope="module")
def survey_core():
    reason = _survey_core_missing()
    if reason is not None:
        if os.environ.get("FOURRESP_REQUIRE_SURVEY_CORE"):
            pytest.fail(f"survey-core is required here but cannot be had: {reason}")
        pytest.skip(f"survey-core tests skipped: {reason}")

    def run(cases):
        completed = subprocess.run(
            ["node", "-e", _RUN_SURVEY],
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            cwd=SURVEY_CORE,
            check=True,
            timeout=120,
        )
        return json.loads(completed.stdout)

    return run


@pytest.mark.slow  # runs survey-core under Node
def test_the_real_surveyjs_computes_the_librarys_values(survey_core):
    cases = []

    @settings(max_examples=60, database=None)
    @given(questionnaire_and_answers)
    def collect(pair):
        questionnaire, answers = pair
        cases.append((questionnaire, answers))

    collect()
    questionnaire = load_questionnaire()
    cases.append((questionnaire, {questionnaire.items[0].id: 3}))  # one answer: insufficient
    cases.append((questionnaire, {item.id: 4 for item in questionnaire.items}))
    outputs = survey_core(
        [
            [to_surveyjs(q), {key: value for key, value in answers.items() if value is not None}]
            for q, answers in cases
        ]
    )
    insufficient = 0
    for (q, answers), output in zip(cases, outputs, strict=True):
        expected = _library_values(q, answers)
        _same(output["values"], expected, q)
        insufficient += any(value is None for value in expected.values())
        for name, labels in output["labels"]:
            scale = q.scale_of(q.item(name))
            assert labels == [scale.label_for(p) or str(p) for p in scale.points]
        imported = from_surveyjs(q, output["result"])
        assert imported.ignored == ()
        assert score(q, imported.response) == score(
            q, Response(questionnaire=q.id, version=q.version, answers=answers)
        )
    assert insufficient > 0  # the check covered groups with too few answers
