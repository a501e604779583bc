"""xAPI statements, SurveyJS export and import, Twine (Twee 3) export and import."""

from __future__ import annotations

import math
import os
import re
import shutil
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fourresp
from fourresp import testing
from fourresp.assessment import Response, load_questionnaire, score
from fourresp.cli import main
from fourresp.errors import ArgumentError, DocumentError
from fourresp.exchange import from_surveyjs, from_twee, to_surveyjs, to_twee
from fourresp.scenario import Runner, load_scenario
from fourresp.xapi import agent, questionnaire_statements, scenario_statements, validate_statement

BASE = "https://example.org/xapi"
WHEN = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"


def _default_attempt():
    questionnaire = load_questionnaire()
    answers = {item.id: 2 if item.reverse else 4 for item in questionnaire.items}
    answers[questionnaire.items[0].id] = None
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    return questionnaire, response, score(questionnaire, response)


def _finished_run():
    scenario = load_scenario()
    runner = Runner(scenario)
    run = runner.start()
    while not run.finished:
        run = runner.choose(run, runner.choices(run)[0].id)
    return scenario, run


def _check_rules(statement):
    """The spec's rules, checked independently of the library's own schema."""
    uuid.UUID(statement["id"])
    uuid.UUID(statement["context"]["registration"])
    assert re.fullmatch(r".+T.+(Z|[+-]\d\d:\d\d)", statement["timestamp"])
    assert sum(key in statement["actor"] for key in ("mbox", "mbox_sha1sum", "account")) == 1
    for activity in [statement["object"], *statement["context"]["contextActivities"]["grouping"]]:
        assert re.match(r"^[a-z][a-z0-9+.-]*:", activity["id"])
        for language_map in (
            activity["definition"].get("name", {}),
            activity["definition"].get("description", {}),
        ):
            assert all(
                re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", tag) for tag in language_map
            )
    score_ = statement.get("result", {}).get("score")
    if score_:
        assert -1 <= score_["scaled"] <= 1
        assert score_["min"] <= score_["raw"] <= score_["max"]
    for key in statement.get("result", {}).get("extensions", {}):
        assert key.startswith("https://")


def test_questionnaire_statements_follow_the_rules():
    questionnaire, response, result = _default_attempt()
    statements = questionnaire_statements(
        questionnaire,
        response,
        result,
        actor=agent(mbox="ada@example.org"),
        activity_base=BASE,
        timestamp=WHEN,
        duration=timedelta(minutes=7, seconds=3),
    )
    assert len(statements) == len(questionnaire.items)  # one skipped, plus the closing one
    for statement in statements:
        _check_rules(statement)
    answered = statements[0]
    assert answered["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert answered["object"]["definition"]["interactionType"] == "likert"
    assert [c["id"] for c in answered["object"]["definition"]["scale"]] == ["1", "2", "3", "4", "5"]
    closing = statements[-1]
    assert closing["verb"]["id"].endswith("/completed")
    assert closing["result"]["score"]["scaled"] == pytest.approx(result.overall.percent / 100)
    assert closing["result"]["duration"] == "PT0H7M3.00S"
    assert f"{BASE}/extensions/responsibility/client" in closing["result"]["extensions"]
    assert len({s["context"]["registration"] for s in statements}) == 1


def test_scenario_statements_follow_the_rules():
    scenario, run = _finished_run()
    statements = scenario_statements(
        scenario,
        run,
        actor=agent(account_home_page="https://lms.example.org", account_name="ada"),
        activity_base=BASE,
        timestamp=lambda: WHEN,
    )
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]
    assert verbs[:2] == ["launched", "initialized"]
    assert verbs.count("selected") == run.length
    assert verbs[-2:] in (["completed", "passed"], ["completed", "failed"])
    selected = statements[2]
    assert selected["verb"]["id"] == "http://id.tincanapi.com/verb/selected"
    assert (
        selected["result"]["response"]
        == scenario.scene(run.steps[0].scene).choice(run.steps[0].choice).text
    )
    for statement in statements:
        _check_rules(statement)


def test_deterministic_ids_with_a_namespace_random_without():
    questionnaire, response, result = _default_attempt()

    def make(**extra):
        return questionnaire_statements(
            questionnaire,
            response,
            result,
            actor=agent(mbox="ada@example.org"),
            activity_base=BASE,
            timestamp=WHEN,
            **extra,
        )

    first, second = make(namespace=NAMESPACE), make(namespace=NAMESPACE)
    assert [s["id"] for s in first] == [s["id"] for s in second]
    assert all(uuid.UUID(s["id"]).version == 5 for s in first)
    assert make()[0]["id"] != make()[0]["id"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"actor": {"objectType": "Agent"}}, "actor"),
        ({"activity_base": "not an iri"}, "IRI"),
        ({"timestamp": datetime(2026, 11, 29)}, "timezone"),
        ({"namespace": "not-a-uuid"}, "UUID"),
        ({"registration": "nope"}, "UUID"),
    ],
)
def test_bad_app_values_are_refused_never_emitted(change, message):
    questionnaire, response, result = _default_attempt()
    arguments = {
        "actor": agent(mbox="ada@example.org"),
        "activity_base": BASE,
        "timestamp": WHEN,
        **change,
    }
    with pytest.raises(ArgumentError, match=message):
        questionnaire_statements(questionnaire, response, result, **arguments)


def test_agents_need_exactly_one_identifier():
    with pytest.raises(ArgumentError, match="exactly one"):
        agent(mbox="a@b.org", mbox_sha1sum="0" * 40)
    with pytest.raises(ArgumentError, match="e-mail"):
        agent(mbox="not an address")
    assert agent(mbox="mailto:a@b.org")["mbox"] == "mailto:a@b.org"


def test_the_validator_refuses_broken_statements():
    questionnaire, response, result = _default_attempt()
    statement = questionnaire_statements(
        questionnaire,
        response,
        result,
        actor=agent(mbox="a@b.org"),
        activity_base=BASE,
        timestamp=WHEN,
    )[0]
    broken = {**statement, "result": {"score": {"scaled": 1.5, "raw": 9, "min": 1, "max": 5}}}
    with pytest.raises(ArgumentError):
        validate_statement(broken)
    outside = {**statement, "result": {"score": {"scaled": 0.5, "raw": 9, "min": 1, "max": 5}}}
    with pytest.raises(ArgumentError, match="raw score"):
        validate_statement(outside)
    naive = {**statement, "timestamp": "2026-11-29T09:30:00"}
    with pytest.raises(ArgumentError, match="timestamp"):
        validate_statement(naive)


# -- SurveyJS: the calculated values, evaluated ----------------------------------------


class _Expression:
    """A small evaluator for the SurveyJS expressions fourresp writes: numbers, {names},
    + - * /, comparisons, parentheses, iif(a, b, c) and the postfix 'notempty'."""

    TOKEN = re.compile(r"\s*(\{[^}]*\}|\d+(?:\.\d+)?|iif|notempty|>=|<=|[-+*/(),<>])")

    def __init__(self, text, values):
        self.tokens = self.TOKEN.findall(text)
        assert "".join(self.tokens) == re.sub(r"\s+", "", text), text
        self.values = values
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected=None):
        token = self.tokens[self.at]
        assert expected is None or token == expected, (token, expected)
        self.at += 1
        return token

    def evaluate(self):
        value = self.comparison()
        assert self.peek() is None
        return value

    def comparison(self):
        left = self.sum()
        while self.peek() in (">", "<", ">=", "<="):
            op, right = self.take(), self.sum()
            left = {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right}[
                op
            ]
        return left

    def sum(self):
        value = self.product()
        while self.peek() in ("+", "-"):
            op, right = self.take(), self.product()
            value = value + right if op == "+" else value - right
        return value

    def product(self):
        value = self.postfix()
        while self.peek() in ("*", "/"):
            op, right = self.take(), self.postfix()
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
            value = self.comparison()
            self.take(")")
            return value
        if token == "iif":
            self.take("(")
            condition = self.comparison()
            self.take(",")
            yes = self.comparison()
            self.take(",")
            no = self.comparison()
            self.take(")")
            return yes if condition else no
        if token.startswith("{"):
            return self.values.get(token[1:-1])
        if token == "-":
            return -self.atom()
        return float(token)


questionnaire_and_answers = testing.questionnaires().flatmap(
    lambda q: st.tuples(st.just(q), testing.answers_for(q))
)


@given(questionnaire_and_answers)
def test_surveyjs_calculated_values_give_fourresps_raw_scores(pair):
    questionnaire, answers = pair
    survey = to_surveyjs(questionnaire)
    result = score(
        questionnaire,
        Response(questionnaire=questionnaire.id, version=questionnaire.version, answers=answers),
    )
    calculated = {c["name"]: c["expression"] for c in survey["calculatedValues"]}
    for item in result.responsibilities:
        value = _Expression(calculated[f"{item.responsibility}-raw"], answers).evaluate()
        assert math.isclose(value, item.score.raw, rel_tol=1e-9, abs_tol=1e-9)
    names = [e["name"] for page in survey["pages"] for e in page["elements"]]
    assert sorted(names) == sorted(item.id for item in questionnaire.items)


def test_surveyjs_unanswered_items_are_not_zeros():
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


def test_surveyjs_results_come_back_as_a_response():
    questionnaire = load_questionnaire()
    data = {item.id: 3 for item in questionnaire.items[:10]}
    response = from_surveyjs(questionnaire, data, respondent="ada")
    assert response.answers[questionnaire.items[0].id] == 3
    assert response.answers[questionnaire.items[-1].id] is None
    assert score(questionnaire, response).overall.status in ("scored", "insufficient")
    with pytest.raises(DocumentError) as caught:
        from_surveyjs(questionnaire, {"client-1-Comment": "hi", "client-2": "3"})
    assert {p.code for p in caught.value.problems} == {"unknown-item", "not-a-number"}


# -- Twine / Twee 3 ------------------------------------------------------------------


@given(testing.scenarios())
def test_twee_export_then_import_gives_back_an_equal_scenario(scenario):
    assert from_twee(to_twee(scenario)) == scenario


def test_twee_has_what_twine_needs():
    text = to_twee(load_scenario())
    story_data = re.search(r":: StoryData\n(\{.*?\n\})", text, re.S).group(1)
    import json

    data = json.loads(story_data)
    assert re.fullmatch(
        r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}", data["ifid"]
    )
    assert data["start"] == "the-request"
    assert text == to_twee(load_scenario())
    assert "[[Ask what people must be able to do on the first day" in text


def test_twee_edited_in_twine_is_imported_and_checked():
    text = to_twee(load_scenario())
    edited = text.replace(
        "Priya has the project plan open before you sit down.",
        "Priya, frowning, has the project plan open before you sit down.",
    )
    scenario = from_twee(edited)
    assert scenario.scene("the-request").text.startswith("Priya, frowning,")
    new_passage = "\n:: side-room\nA quiet room.\n\n[[Go back->the-request]]\n"
    with pytest.raises(DocumentError) as caught:
        from_twee(text + new_passage)
    assert any(p.code == "unreachable-scene" for p in caught.value.problems)


def test_exchange_commands(tmp_path, capsys):
    twee = tmp_path / "story.twee"
    assert main(["export", "twee", "-o", str(twee)]) == 0
    assert main(["import", "twee", str(twee)]) == 0
    out = capsys.readouterr().out
    assert fourresp.load(out) == load_scenario()
    assert main(["export", "surveyjs"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["pages"][0]["name"] == "client"
    assert (
        main(
            [
                "xapi",
                "scenario",
                "--choices",
                "ask-about-results",
                "--actor-mbox",
                "ada@example.org",
                "--namespace",
                NAMESPACE,
            ]
        )
        == 0
    )
    statements = json.loads(capsys.readouterr().out)
    assert [s["verb"]["display"]["en-US"] for s in statements] == [
        "launched",
        "initialized",
        "selected",
    ]
    _ = timezone


SURVEY_CORE = os.environ.get("FOURRESP_SURVEY_CORE")  # a folder holding node_modules/survey-core
_RUN_SURVEY = """
const fs = require("fs");
const Survey = require("survey-core");
const [json, data] = JSON.parse(fs.readFileSync(0, "utf8"));
const survey = new Survey.Model(json);
survey.data = data;
const out = {};
for (const value of survey.calculatedValues) { out[value.name] = value.value; }
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(
    not (SURVEY_CORE and shutil.which("node")),
    reason="set FOURRESP_SURVEY_CORE to a folder where `npm install survey-core` ran",
)
@settings(max_examples=15)
@given(
    testing.questionnaires(max_items=12).flatmap(
        lambda q: st.tuples(st.just(q), testing.answers_for(q, skips=True))
    )
)
def test_the_real_surveyjs_computes_the_same_raw_scores(pair):
    import json
    import subprocess

    questionnaire, answers = pair
    result = score(
        questionnaire,
        Response(questionnaire=questionnaire.id, version=questionnaire.version, answers=answers),
    )
    data = {key: value for key, value in answers.items() if value is not None}
    completed = subprocess.run(
        ["node", "-e", _RUN_SURVEY],
        input=json.dumps([to_surveyjs(questionnaire), data]),
        capture_output=True,
        text=True,
        cwd=SURVEY_CORE,
        check=True,
        timeout=60,
    )
    computed = json.loads(completed.stdout)
    for item in result.responsibilities:
        if item.score.raw is not None:  # SurveyJS prorates skipped items as fourresp does
            assert computed[f"{item.responsibility}-raw"] == pytest.approx(item.score.raw)


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            [
                ":: StoryData\n",
                ':: StoryData\n{"start": "a"}\n',
                ":: a\n",
                ":: a [ending]\n",
                "<!-- fourresp\n",
                "-->\n",
                '{"choices": [{"id": "x"}]}\n',
                "[[go->b]]\n",
                ":: fourresp-scenario\n",
                "[" * 200,
                "text\n",
                "\\:: escaped\n",
            ]
        )
        | st.text(max_size=40),
        max_size=12,
    ).map("".join)
)
def test_any_twee_gives_a_scenario_or_a_document_error(source):
    try:
        from_twee(source)
    except DocumentError as error:
        assert error.problems
