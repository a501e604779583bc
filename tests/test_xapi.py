"""xAPI statements: the rules, ids that never collide, identical resends, and a real LRS."""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrs_server
from fourresp import testing
from fourresp._iri import is_iri
from fourresp.assessment import Response, load_questionnaire, score
from fourresp.cli import main
from fourresp.errors import ArgumentError
from fourresp.scenario import Runner, load_scenario
from fourresp.xapi import (
    EXTENSIONS,
    agent,
    questionnaire_statements,
    scenario_statements,
    validate_statement,
)
from fourresp.xapi._values import iso_duration as duration_text

BASE = "https://example.org/xapi"
WHEN = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
ADA = agent(mbox="ada@example.org")


def _attempt(answers=None, **response):
    questionnaire = load_questionnaire()
    if answers is None:
        answers = {item.id: 2 if item.reverse else 4 for item in questionnaire.items}
        answers[questionnaire.items[0].id] = None
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers, **response
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
    score_ = statement.get("result", {}).get("score")
    if score_:
        assert -1 <= score_["scaled"] <= 1
        assert score_["min"] <= score_["raw"] <= score_["max"]
    for key in statement.get("result", {}).get("extensions", {}):
        assert key.startswith(f"{BASE}/extensions/")


def _verbs(statements):
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def test_questionnaire_statements_follow_the_rules():
    questionnaire, response, result = _attempt()
    statements = questionnaire_statements(
        questionnaire,
        response,
        result,
        actor=ADA,
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
    assert closing["result"]["completion"] is True
    assert closing["result"]["score"]["scaled"] == pytest.approx(result.overall.percent / 100)
    assert closing["result"]["duration"] == "PT7M3.00S"
    percents = closing["result"]["extensions"][f"{BASE}/{EXTENSIONS['responsibility-percent']}"]
    assert percents == {r.responsibility: r.score.percent for r in result.responsibilities}
    assert len({s["context"]["registration"] for s in statements}) == 1


def test_a_reversed_item_is_scored_as_the_library_counts_it():
    questionnaire, response, result = _attempt()
    statements = questionnaire_statements(
        questionnaire, response, result, actor=ADA, activity_base=BASE, timestamp=WHEN
    )
    by_item = {s["object"]["id"].rsplit("/", 1)[-1]: s for s in statements[:-1]}
    reversed_item = next(i for i in questionnaire.items if i.reverse and i.id in by_item)
    answered = by_item[reversed_item.id]["result"]
    assert answered["response"] == "2"  # the point chosen
    assert answered["extensions"] == {f"{BASE}/{EXTENSIONS['answer']}": 2}
    assert answered["score"] == {"scaled": 0.75, "raw": 4, "min": 1, "max": 5}  # keyed 6 - 2


def test_an_attempt_too_short_to_score_is_terminated_not_completed():
    questionnaire = load_questionnaire()
    _, response, result = _attempt({questionnaire.items[0].id: 3})
    assert result.overall.status == "insufficient"
    statements = questionnaire_statements(
        questionnaire, response, result, actor=ADA, activity_base=BASE, timestamp=WHEN
    )
    assert _verbs(statements) == ["answered", "terminated"]
    closing = statements[-1]["result"]
    assert closing["completion"] is False
    assert "score" not in closing
    assert set(
        closing["extensions"][f"{BASE}/{EXTENSIONS['responsibility-percent']}"].values()
    ) == {None}


def test_scenario_statements_are_choice_interactions_answered_by_id():
    scenario, run = _finished_run()
    statements = scenario_statements(
        scenario,
        run,
        actor=agent(account_home_page="https://lms.example.org", account_name="ada"),
        activity_base=BASE,
        timestamp=lambda: WHEN,
    )
    verbs = _verbs(statements)
    assert verbs[:2] == ["launched", "initialized"]
    assert verbs.count("selected") == run.length
    assert verbs[-2:] in (["completed", "passed"], ["completed", "failed"])
    for step, selected in zip(run.steps, statements[2:], strict=False):
        definition = selected["object"]["definition"]
        assert definition["interactionType"] == "choice"
        ids = [c["id"] for c in definition["choices"]]
        assert ids == [c.id for c in scenario.scene(step.scene).choices]
        assert selected["result"]["response"] == step.choice
        assert step.choice in ids
    net = statements[-2]["result"]["extensions"]
    assert list(net) == [f"{BASE}/{EXTENSIONS['responsibility-net-marks']}"]
    for statement in statements:
        _check_rules(statement)


def test_each_extension_iri_has_one_meaning():
    assert len(set(EXTENSIONS.values())) == len(EXTENSIONS)
    questionnaire, response, result = _attempt()
    scenario, run = _finished_run()
    q = questionnaire_statements(
        questionnaire, response, result, actor=ADA, activity_base=BASE, timestamp=WHEN
    )
    s = scenario_statements(scenario, run, actor=ADA, activity_base=BASE, timestamp=WHEN)
    assert not set(q[-1]["result"]["extensions"]) & set(s[-2]["result"]["extensions"])


# -- ids: deterministic, never shared across actors or attempts -------------------------

actors = st.one_of(
    st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.org", fullmatch=True).map(lambda m: agent(mbox=m)),
    st.text("abcxyz0123", min_size=1, max_size=8).map(
        lambda name: agent(account_home_page="https://lms.example.org", account_name=name)
    ),
)
attempts = testing.questionnaires(max_items=10).flatmap(
    lambda q: st.tuples(st.just(q), testing.answers_for(q, skips=True))
)


def _statements(questionnaire, answers, actor, **extra):
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    return questionnaire_statements(
        questionnaire,
        response,
        score(questionnaire, response),
        actor=actor,
        activity_base=BASE,
        **{"timestamp": WHEN, "namespace": NAMESPACE, **extra},
    )


@settings(max_examples=40)
@given(attempts, actors, actors)
def test_two_actors_with_one_namespace_never_share_a_statement_id(attempt, first, second):
    questionnaire, answers = attempt
    one = _statements(questionnaire, answers, first)
    other = _statements(questionnaire, answers, second)
    if first == second:
        assert one == other
    else:
        assert not {s["id"] for s in one} & {s["id"] for s in other}
        assert one[0]["context"]["registration"] != other[0]["context"]["registration"]


@settings(max_examples=25)
@given(attempts, actors)
def test_a_resend_of_the_same_attempt_is_byte_identical(attempt, actor):
    questionnaire, answers = attempt
    first = json.dumps(_statements(questionnaire, answers, actor))
    assert first == json.dumps(_statements(questionnaire, answers, actor))
    assert all(uuid.UUID(s["id"]).version == 5 for s in json.loads(first))


def test_attempts_told_apart_by_registration_or_time_share_no_id():
    questionnaire, response, _ = _attempt()
    answers = dict(response.answers)
    base = {s["id"] for s in _statements(questionnaire, answers, ADA)}
    other_time = _statements(questionnaire, answers, ADA, timestamp=WHEN + timedelta(days=1))
    other_registration = _statements(
        questionnaire, answers, ADA, registration="1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    )
    assert not base & {s["id"] for s in other_time}
    assert not base & {s["id"] for s in other_registration}
    assert other_registration[0]["context"]["registration"] == (
        "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    )


def test_deterministic_ids_take_the_attempts_own_time_and_refuse_a_clock():
    questionnaire, response, result = _attempt(completed_at="2026-11-29T10:15:00+01:00")
    statements = questionnaire_statements(
        questionnaire, response, result, actor=ADA, activity_base=BASE, namespace=NAMESPACE
    )
    assert {s["timestamp"] for s in statements} == {"2026-11-29T10:15:00.000+01:00"}
    with pytest.raises(ArgumentError, match="clock"):
        questionnaire_statements(
            questionnaire,
            response,
            result,
            actor=ADA,
            activity_base=BASE,
            namespace=NAMESPACE,
            timestamp=lambda: WHEN,
        )
    scenario, run = _finished_run()
    with pytest.raises(ArgumentError, match="timestamp"):
        scenario_statements(scenario, run, actor=ADA, activity_base=BASE, namespace=NAMESPACE)


def test_random_ids_without_a_namespace():
    questionnaire, response, result = _attempt()

    def make():
        return questionnaire_statements(
            questionnaire, response, result, actor=ADA, activity_base=BASE, timestamp=WHEN
        )

    assert make()[0]["id"] != make()[0]["id"]
    assert uuid.UUID(make()[0]["id"]).version == 4


def test_an_unfinished_run_is_a_prefix_of_the_finished_one():
    scenario, run = _finished_run()
    partial = run.previous
    assert partial is not None
    arguments = {"actor": ADA, "activity_base": BASE, "timestamp": WHEN, "namespace": NAMESPACE}
    earlier = scenario_statements(scenario, partial, **arguments)
    later = scenario_statements(scenario, run, **arguments)
    assert "completed" not in _verbs(earlier)
    assert later[: len(earlier)] == earlier


# -- values from the app: refused, never emitted ------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"actor": {"objectType": "Agent"}}, "actor"),
        ({"activity_base": "not an iri"}, "IRI"),
        ({"activity_base": "https://x/%zz"}, "IRI"),
        ({"activity_base": "https://[::1/xapi"}, "IRI"),
        ({"activity_base": "https://example.org/\x00"}, "IRI"),
        ({"timestamp": datetime(2026, 11, 29)}, "timezone"),
        ({"namespace": "not-a-uuid"}, "UUID"),
        ({"registration": "nope"}, "UUID"),
    ],
)
def test_bad_app_values_are_refused_never_emitted(change, message):
    questionnaire, response, result = _attempt()
    arguments = {"actor": ADA, "activity_base": BASE, "timestamp": WHEN, **change}
    with pytest.raises(ArgumentError, match=message):
        questionnaire_statements(questionnaire, response, result, **arguments)


def test_agents_need_exactly_one_identifier():
    with pytest.raises(ArgumentError, match="exactly one"):
        agent(mbox="a@b.org", mbox_sha1sum="0" * 40)
    with pytest.raises(ArgumentError, match="e-mail"):
        agent(mbox="not an address")
    with pytest.raises(ArgumentError, match="IRI"):
        agent(account_home_page="https://[::1/x", account_name="ada")
    assert agent(mbox="mailto:a@b.org")["mbox"] == "mailto:a@b.org"


def test_the_validator_refuses_broken_statements():
    questionnaire, response, result = _attempt()
    statement = questionnaire_statements(
        questionnaire, response, result, actor=ADA, activity_base=BASE, timestamp=WHEN
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
    bad_extension = {**statement, "result": {"extensions": {"https://x/%zz": 1}}}
    with pytest.raises(ArgumentError, match="RFC 3987"):
        validate_statement(bad_extension)


# -- IRIs by RFC 3987 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "https://x/%zz",
        "https://[::1/xapi",
        "https://example.org/a\x00b",
        "https://example.org/a b",
        "no-scheme",
        "https://x/#a#b",
        "https://x/<tag>",
        "1http://x",
        "",
    ],
)
def test_iris_the_rfc_refuses(text):
    assert not is_iri(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/xapi",
        "https://[::1]/xapi",
        "https://[2001:db8::7]:8080/a?b=c#d",
        "http://192.0.2.1/x",
        "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "tag:example.org,2026:fourresp",
        "https://example.org/caf%C3%A9/caf\u00e9",
        "mailto:ada@example.org",
    ],
)
def test_iris_the_rfc_allows(text):
    assert is_iri(text)


# -- durations ----------------------------------------------------------------------------


def test_durations_are_rounded_before_they_are_split():
    assert duration_text(timedelta(seconds=59.999)) == "PT1M0.00S"
    assert duration_text(timedelta(seconds=3599.996)) == "PT1H0M0.00S"
    assert duration_text(timedelta(0)) == "PT0.00S"
    assert duration_text(timedelta(hours=26, seconds=1.5)) == "PT26H0M1.50S"


@given(st.integers(0, 10**12))
def test_a_duration_reads_back_as_the_rounded_time(microseconds):
    text = duration_text(timedelta(microseconds=microseconds))
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(\d+)\.(\d\d)S", text)
    assert match is not None, text
    hours, minutes, seconds, hundredths = (int(g or 0) for g in match.groups())
    assert minutes < 60
    assert seconds < 60
    total = ((hours * 60 + minutes) * 60 + seconds) * 100 + hundredths
    assert abs(total * 10_000 - microseconds) <= 5_000


# -- the command ---------------------------------------------------------------------------


def test_the_xapi_command(tmp_path, capsys):
    runner = Runner(load_scenario())
    run = runner.choose(runner.start(), "ask-about-results")
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(runner.save(run)), encoding="utf-8")
    common = ["--activity-base", BASE, "--namespace", NAMESPACE]
    common += ["--timestamp", "2026-11-29T09:30:00Z"]
    argv = ["xapi", "scenario", "--run", str(saved), "--actor-account", "https://lms.example.org"]
    assert main([*argv, "ada", *common]) == 0
    statements = json.loads(capsys.readouterr().out)
    assert _verbs(statements) == ["launched", "initialized", "selected"]
    assert statements[0]["actor"]["account"] == {
        "homePage": "https://lms.example.org",
        "name": "ada",
    }
    assert statements[-1]["result"]["response"] == "ask-about-results"
    registration = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    assert main([*argv, "ada", *common, "--registration", registration]) == 0
    again = json.loads(capsys.readouterr().out)
    assert {s["context"]["registration"] for s in again} == {registration}
    with pytest.raises(SystemExit) as caught:
        main(["xapi", "scenario", "--actor-mbox", "ada@example.org"])
    assert caught.value.code == 2
    assert "--activity-base" in capsys.readouterr().err


# -- the independent model and a real LRS -------------------------------------------------


# Ralph's tests start its model in a subprocess (once per worker that runs them)
# and an LRS server: slow, and kept on one worker.
@pytest.fixture(scope="module")
def ralph():
    reason = lrs_server.why_not()
    if reason is not None:
        if os.environ.get("FOURRESP_REQUIRE_LRS"):
            pytest.fail(f"the Ralph LRS is required here but cannot be had: {reason}")
        pytest.skip(f"LRS tests skipped: {reason}")
    validator = lrs_server.Validator()
    yield validator
    validator.close()


@pytest.mark.slow
@pytest.mark.xdist_group("ralph")
@settings(max_examples=30, deadline=None)
@given(attempts, actors)
def test_ralphs_xapi_model_accepts_every_statement_of_generated_attempts(ralph, attempt, actor):
    questionnaire, answers = attempt
    for statement in _statements(questionnaire, answers, actor):
        assert ralph.problem(statement) is None


@pytest.mark.slow
@pytest.mark.xdist_group("ralph")
@settings(max_examples=10, deadline=None)
@given(testing.scenarios(), st.randoms(use_true_random=False))
def test_ralphs_xapi_model_accepts_every_statement_of_generated_runs(ralph, scenario, random):
    runner = Runner(scenario)
    run = runner.start()
    while not run.finished and runner.choices(run) and run.length < 30:
        run = runner.choose(run, random.choice(runner.choices(run)).id)
    for statement in scenario_statements(
        scenario, run, actor=ADA, activity_base=BASE, timestamp=WHEN, namespace=NAMESPACE
    ):
        assert ralph.problem(statement) is None


@pytest.mark.slow
@pytest.mark.xdist_group("ralph")
@settings(max_examples=200, deadline=None)
@given(
    st.text(
        st.sampled_from(list("ab:/?#[]@%0fzZ.-_~!$&'()*+,;= \x00\u00e9\ue000v")), max_size=20
    ).map(lambda tail: "https://" + tail)
    | st.text(max_size=12).map(lambda tail: "urn:" + tail)
)
def test_the_iri_check_agrees_with_the_checker_ralph_uses(ralph, text):
    assert is_iri(text) == ralph.is_iri(text)


@pytest.mark.slow
@pytest.mark.xdist_group("ralph")
def test_a_real_lrs_accepts_two_learners_with_one_namespace_and_an_identical_resend(ralph):
    scenario, run = _finished_run()
    questionnaire, response, result = _attempt()

    def batch(actor):
        return questionnaire_statements(
            questionnaire,
            response,
            result,
            actor=actor,
            activity_base=BASE,
            timestamp=WHEN,
            namespace=NAMESPACE,
        ) + scenario_statements(
            scenario, run, actor=actor, activity_base=BASE, timestamp=WHEN, namespace=NAMESPACE
        )

    first, second = batch(ADA), batch(agent(mbox="grace@example.org"))
    with lrs_server.server() as lrs:
        status, ids = lrs.post(first)
        assert status == 200, ids
        assert ids == [s["id"] for s in first]
        status, ids = lrs.post(second)
        assert status == 200, ids  # the second learner's batch is not a conflict
        status, reply = lrs.post(batch(ADA))  # a resend: accepted as identical
        assert status in (200, 204), reply
        changed = [dict(s, timestamp="2026-11-30T08:00:00.000+00:00") for s in first]
        status, reply = lrs.post(changed)  # what a clock would do: a conflict
        assert status == 409, reply


def test_the_xapi_command_for_a_questionnaire_takes_the_answers_time(tmp_path, capsys):
    questionnaire = load_questionnaire()
    answers = {item.id: 3 for item in questionnaire.items}
    document = {
        "kind": "response",
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "answers": answers,
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    argv = ["xapi", "questionnaire", "--answers", str(path), "--actor-mbox", "ada@example.org"]
    argv += ["--activity-base", BASE, "--namespace", NAMESPACE]
    assert main(argv) == 2  # deterministic ids, and no time to stamp them with
    assert "--timestamp" in capsys.readouterr().err
    path.write_text(
        json.dumps({**document, "completed_at": "2026-11-29T09:30:00Z"}), encoding="utf-8"
    )
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    assert capsys.readouterr().out == first  # a resend: byte-identical
    statements = json.loads(first)
    assert {s["timestamp"] for s in statements} == {"2026-11-29T09:30:00.000+00:00"}
    assert _verbs(statements)[-1] == "completed"
