"""Choice order, variants, epilogues, percent conditions, placeholders and the balance report."""

from __future__ import annotations

import copy
import json
import operator
import random
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fourresp import to_document
from fourresp.cli import main
from fourresp.errors import ArgumentError
from fourresp.scenario import (
    AllOf,
    AnyOf,
    AspectTotal,
    Not,
    ResponsibilityPercent,
    ResponsibilityTotal,
    Runner,
    Scenario,
    VariableIs,
    Visited,
    check_scenario,
)
from fourresp.testing import scenarios

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_OPS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _structure(document):
    from fourresp._document._convert import shared_converter
    from fourresp.scenario._models import scenario_hooks

    return shared_converter(scenario_hooks).structure(
        {k: v for k, v in document.items() if k != "kind"}, Scenario
    )


def _holds(condition, runner, run):
    """A plain interpreter of conditions over a run's public state: the test oracle."""
    if isinstance(condition, AllOf):
        return all(_holds(c, runner, run) for c in condition.all)
    if isinstance(condition, AnyOf):
        return any(_holds(c, runner, run) for c in condition.any)
    if isinstance(condition, Not):
        return not _holds(condition.not_, runner, run)
    if isinstance(condition, VariableIs):
        return _OPS[condition.op](run.variables[condition.var], condition.value)
    if isinstance(condition, AspectTotal):
        return _OPS[condition.op](run.marks.get(condition.aspect, (0, 0, 0))[2], condition.value)
    card = {r.responsibility: r for r in runner.scorecard(run).responsibilities}
    if isinstance(condition, ResponsibilityTotal):
        return _OPS[condition.op](card[condition.responsibility].net, condition.value)
    if isinstance(condition, ResponsibilityPercent):
        percent = card[condition.percent].percent
        return _OPS[condition.op](100.0 if percent is None else percent, condition.value)
    if isinstance(condition, Visited):
        return condition.visited in run.visited
    raise AssertionError(condition)


def _play(runner, rng, max_steps=60):
    run = runner.start()
    for _ in range(max_steps):
        options = runner.choices(run)
        if not options:
            break
        run = runner.choose(run, rng.choice(options).id)
    return run


# -- choice order ----------------------------------------------------------------------


@SLOW
@given(scenarios(variants=True), st.integers(0, 2**64 - 1), st.randoms(use_true_random=False))
def test_presented_order_is_a_permutation_stable_under_undo_and_resume(scenario, seed, rng):
    runner = Runner(scenario, seed=seed)
    run = runner.start()
    for _ in range(12):
        if run.finished:
            break
        shown = runner.choices(run)
        authored = [c for c in runner.scenario.scene(run.scene).choices if c in shown]
        assert sorted(c.id for c in shown) == sorted(c.id for c in authored)
        if scenario.order == "authored":
            assert list(shown) == authored
        after = runner.choose(run, rng.choice(shown).id)
        assert runner.choices(Runner.undo(after)) == shown
        resumed = Runner(scenario).resume(json.loads(json.dumps(runner.save(after))))
        assert resumed.seed == seed
        assert runner.choices(resumed) == runner.choices(after)
        run = after


def test_the_order_depends_on_the_seed_and_runs_differ(default_like):
    orders = set()
    for seed in range(30):
        runner = Runner(default_like, seed=seed)
        orders.add(tuple(c.id for c in runner.choices(runner.start())))
    assert len(orders) > 1
    same = Runner(default_like, seed=3)
    assert same.choices(same.start()) == same.choices(same.start())
    seeds = {Runner(default_like).start().seed for _ in range(20)}
    assert len(seeds) > 1


def test_an_old_save_without_a_seed_still_resumes(default_like):
    runner = Runner(default_like, seed=11)
    run = runner.start()
    run = runner.choose(run, runner.choices(run)[0].id)
    saved = runner.save(run)
    assert saved["seed"] == 11
    del saved["seed"]
    resumed = Runner(default_like).resume(saved)
    assert resumed.steps == run.steps
    assert Runner(default_like, seed=5).resume(saved).seed == 5


def test_a_bad_seed_is_refused():
    with pytest.raises(ArgumentError):
        Runner(_structure(_tiny()), seed=-1)
    with pytest.raises(SystemExit) as exited:
        main(["play", "--seed", "x", "--choices", "a"])
    assert exited.value.code == 2


def test_resume_takes_a_path_text_or_a_mapping(tmp_path, default_like):
    runner = Runner(default_like, seed=2)
    run = runner.start()
    run = runner.choose(run, runner.choices(run)[-1].id)
    saved = runner.save(run)
    path = tmp_path / "run.json"
    text = json.dumps(saved)
    path.write_text(text, encoding="utf-8")
    for source in (str(path), path, text, saved):
        resumed = runner.resume(source)
        assert resumed.steps == run.steps
        assert resumed.seed == 2
    yaml_path = tmp_path / "run.yaml"
    yaml_path.write_text(
        "kind: run\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in saved.items() if k != "kind"),
        encoding="utf-8",
    )
    assert runner.resume(str(yaml_path)).steps == run.steps


# -- variants, epilogues, percent, placeholders ------------------------------------------


@SLOW
@given(scenarios(variants=True), st.randoms(use_true_random=False))
def test_variants_never_select_text_whose_condition_is_false(scenario, rng):
    runner = Runner(scenario, seed=rng.randrange(1000))
    run = runner.start()
    for _ in range(40):
        scene = runner.scene(run)
        expected = next(
            (v.text for v in scene.variants if _holds(v.condition, runner, run)), scene.text
        )
        assert runner.text(run) == expected
        if run.finished:
            break
        run = runner.choose(run, rng.choice(runner.choices(run)).id)
    ending = runner.ending(run)
    if ending is not None:
        card = runner.scorecard(run)
        debrief = next(
            (v.text for v in ending.variants if _holds(v.condition, runner, run)),
            ending.debrief,
        )
        rated = [r for r in card.responsibilities if r.percent is not None]
        if rated:
            strongest = max(rated, key=lambda r: r.percent).title
            weakest = min(rated, key=lambda r: r.percent).title
            debrief = debrief.replace("{strongest}", strongest).replace("{weakest}", weakest)
        if "{" not in debrief:
            assert card.debrief == debrief
        if ending.epilogue is None:
            assert card.epilogue is None


def test_percent_rules_follow_the_scorecard():
    document = _tiny()
    document["ending_rules"] = [
        {"ending": "good", "condition": {"percent": "client", "op": ">=", "value": 60}},
        {"ending": "poor"},
    ]
    scenario = _structure(document)
    report = check_scenario(scenario)
    assert report.ok, report.diagnostics
    runner = Runner(scenario, seed=0)
    for first in ("listen", "order"):
        for second in ("measure", "skip"):
            run = runner.choose(runner.choose(runner.start(), first), second)
            card = {r.responsibility: r for r in runner.scorecard(run).responsibilities}
            percent = card["client"].percent
            assert run.ending == ("good" if percent is None or percent >= 60 else "poor")
    reached = {e.ending for e in report.endings if e.reachable}
    assert reached == {"good", "poor"}


def test_placeholders_are_filled_from_the_scorecard():
    document = _tiny()
    document["endings"]["good"]["debrief"] = "Strongest: {strongest}. Weakest: {weakest}."
    document["endings"]["good"]["epilogue"] = {
        "text": "Months later.",
        "variants": [{"condition": {"visited": "measured"}, "text": "You measured: {strongest}."}],
    }
    runner = Runner(_structure(document), seed=1)
    run = runner.choose(runner.choose(runner.start(), "listen"), "measure")
    card = runner.scorecard(run)
    assert card.debrief == (
        "Strongest: Responsibility to the client. Weakest: Responsibility to the learners."
    )
    assert card.epilogue == "You measured: Responsibility to the client."
    from fourresp.scenario import scorecard_markdown

    assert "You measured" in scorecard_markdown(card)


# -- the balance report -------------------------------------------------------------


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(loops=False, variants=True), st.integers(0, 2**32))
def test_balance_probabilities_sum_to_one_and_match_monte_carlo(scenario, seed):
    rng = random.Random(seed)
    report = check_scenario(scenario, balance=True)
    assert report.balance is not None
    chances = {e.ending: e.probability for e in report.balance.endings}
    assert sum(chances.values()) == pytest.approx(1.0)
    runner = Runner(scenario, seed=0)
    plays = 10_000
    counts: dict[str, int] = {}
    for _ in range(plays):
        run = _play(runner, rng)
        assert run.finished
        counts[run.ending] = counts.get(run.ending, 0) + 1
    for ending, chance in chances.items():
        assert abs(counts.get(ending, 0) / plays - chance) <= 0.02, (ending, chance, counts)


@SLOW
@given(scenarios(loops=False))
def test_balance_ranges_and_positional_endings_match_brute_force(scenario):
    report = check_scenario(scenario, balance=True)
    assert report.balance is not None
    runner = Runner(scenario, seed=0)
    low: dict[str, int] = {}
    high: dict[str, int] = {}
    stack = [runner.start()]
    while stack:
        run = stack.pop()
        if run.finished:
            for item in runner.scorecard(run).responsibilities:
                low[item.responsibility] = min(low.get(item.responsibility, 99), item.net)
                high[item.responsibility] = max(high.get(item.responsibility, -99), item.net)
            continue
        stack.extend(runner.choose(run, c.id) for c in runner.choices(run))
    assert {r.responsibility: (r.min, r.max) for r in report.balance.ranges} == {
        name: (low[name], high[name]) for name in low
    }
    authored = Runner(attrs.evolve(scenario, order="authored"), seed=0)
    for last, found in ((False, report.balance.always_first), (True, report.balance.always_last)):
        run = authored.start()
        while not run.finished:
            options = authored.choices(run)
            run = authored.choose(run, options[-1 if last else 0].id)
        assert run.ending == found


def test_balance_is_off_by_default_and_bounded():
    scenario = _structure(_tiny())
    assert check_scenario(scenario).balance is None
    report = check_scenario(scenario, balance=True, state_limit=2)
    assert report.balance is None
    assert "exploration-skipped" in {d.code for d in report.diagnostics}


# -- defects: each new code, and its documentation ---------------------------------


def _tiny():
    """A small scenario: two decisions, the client's percent at stake, two endings."""
    return {
        "kind": "scenario",
        "id": "tiny",
        "version": "1.0.0",
        "title": "Tiny",
        "introduction": "A short day.",
        "start": "ask",
        "scenes": {
            "ask": {
                "text": "A manager wants a course.",
                "choices": [
                    {
                        "id": "listen",
                        "text": "Ask what should change.",
                        "goto": "next",
                        "effects": {
                            "marks": [
                                {"aspect": "client-diagnose-need", "sign": "+"},
                                {"aspect": "learners-own-goals", "sign": "-"},
                            ]
                        },
                    },
                    {
                        "id": "order",
                        "text": "Book it.",
                        "goto": "next",
                        "effects": {"marks": [{"aspect": "client-diagnose-need", "sign": "-"}]},
                    },
                ],
            },
            "next": {
                "text": "A month on.",
                "choices": [
                    {
                        "id": "measure",
                        "text": "Check the results.",
                        "goto": "measured",
                        "effects": {"marks": [{"aspect": "client-measure-results", "sign": "+"}]},
                    },
                    {
                        "id": "skip",
                        "text": "Move on to the next request.",
                        "goto": "done",
                        "effects": {"marks": [{"aspect": "client-measure-results", "sign": "-"}]},
                    },
                ],
            },
            "measured": {"text": "Sales rose.", "ending": "by-rules"},
            "done": {"text": "Nobody knows.", "ending": "by-rules"},
        },
        "endings": {
            "good": {"title": "Good", "verdict": "good", "debrief": "Well done."},
            "poor": {"title": "Poor", "verdict": "poor", "debrief": "Not yet."},
        },
        "ending_rules": [
            {"ending": "good", "condition": {"responsibility": "client", "op": ">=", "value": 2}},
            {"ending": "poor"},
        ],
    }


@pytest.fixture(scope="module")
def default_like():
    return _structure(_tiny())


def _authored_first_best(d):
    d["order"] = "authored"


def _longest_best(d):
    for scene in d["scenes"].values():
        for choice in scene.get("choices", []):
            if any(m["sign"] == "+" for m in choice["effects"]["marks"]):
                choice["text"] = "A long and thoughtful option that explains itself at length."


NEW_DEFECTS = {
    "positional-bias": (_authored_first_best, "tiny"),
    "length-bias": (_longest_best, "tiny"),
    "dominant-ending": (
        lambda d: d["ending_rules"][0]["condition"].update(value=-9),
        "good",
    ),
    "one-choice-aspect": (lambda d: None, "learners-own-goals"),
    "unshown-variant": (
        lambda d: d["scenes"]["next"].update(
            variants=[
                {"condition": {"visited": "ask"}, "text": "Always."},
                {"condition": {"visited": "next"}, "text": "Never: the first wins."},
            ]
        ),
        "next",
    ),
    "unknown-placeholder": (
        lambda d: d["endings"]["good"].update(debrief="Your {best} work."),
        "good",
    ),
    "exploration-skipped": (
        lambda d: d["scenes"]["measured"].update(
            variants=[{"condition": {"visited": "ask"}, "text": "x"}]
        ),
        "tiny",
    ),
}


@pytest.mark.parametrize("code", sorted(NEW_DEFECTS))
def test_each_new_defect_is_reported_with_its_code(code):
    document = _tiny()
    change, subject = NEW_DEFECTS[code]
    change(document)
    scenario = _structure(document)
    limit = 3 if code == "exploration-skipped" else 200_000
    found = {
        (d.code, d.subject)
        for d in check_scenario(scenario, balance=True, state_limit=limit).diagnostics
    }
    assert (code, subject) in found, sorted(found)


def test_the_tiny_scenario_has_no_error_and_only_coverage_warnings_without_balance():
    codes = {d.code for d in check_scenario(_structure(_tiny())).diagnostics}
    assert codes <= {"unmarked-aspect", "one-sided-aspect"}


def test_every_new_code_is_documented_and_has_a_defect_test():
    root = Path(__file__).resolve().parent.parent
    guide = (root / "docs" / "scenario-diagnostics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", guide, re.M))
    package = root / "src" / "fourresp" / "scenario"
    source = "".join(
        (package / name).read_text(encoding="utf-8") for name in ("_balance.py", "_authoring.py")
    )
    emitted = set(re.findall(r'code="([a-z-]+)"', source))
    assert emitted
    assert emitted <= documented, emitted - documented
    old = {  # codes the validator already gave, tested in test_scenario.py and above
        "undeclared-variable",
        "unknown-aspect",
        "unknown-responsibility",
        "unknown-scene",
        "type-mismatch",
    }
    assert emitted - old <= set(NEW_DEFECTS)


def test_validate_balance_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "tiny.yaml"
    import yaml

    path.write_text(yaml.safe_dump(_tiny()), encoding="utf-8")
    assert main(["validate", "--allow-warnings", "--balance", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning one-choice-aspect: " in out  # severity and code, then the message
    assert "by a single choice" in out
    assert "Balance (" in out
    assert "always the first option" in out
    assert main(["validate", "--balance", "--format", "json", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)[0]
    assert sum(report["balance"]["endings"].values()) == pytest.approx(1.0)
    assert "one-choice-aspect" in {p["code"] for p in report["problems"]}
    assert main(["validate", "--format", "json", str(path)]) == 1
    plain = json.loads(capsys.readouterr().out)[0]
    assert "balance" not in plain
    assert "one-choice-aspect" not in {p["code"] for p in plain["problems"]}


def test_save_json_round_trip_keeps_the_new_fields():
    document = _tiny()
    document["order"] = "authored"
    document["scenes"]["next"]["variants"] = [{"condition": {"visited": "ask"}, "text": "x"}]
    document["endings"]["good"]["epilogue"] = {"text": "Later."}
    scenario = _structure(document)
    assert _structure(to_document(scenario)) == scenario


def test_random_play_helper_is_deterministic_for_a_seeded_rng(default_like):
    runner = Runner(default_like, seed=4)
    assert _play(runner, random.Random(1)).steps == _play(runner, random.Random(1)).steps


# -- the default scenario, to the rules it was written to ----------------------------

IDEAL = (
    "ask-about-results",
    "propose-a-blend",
    "agree-three-measures",
    "take-his-sheet",
    "build-around-tasks",
    "try-it-live",
    "declare-and-step-back",
    "help-frame-it",
    "webinar-and-apply",
    "score-against-criteria",
    "look-back-honestly",
    "evaluation-course",
    "keep-the-review",
    "share-the-guides",
)


def _play_ids(runner, choices):
    run = runner.start()
    for choice in choices:
        run = runner.choose(run, choice)
    return run


@pytest.fixture(scope="module")
def default():
    from fourresp.scenario import load_scenario

    return load_scenario()


@pytest.fixture(scope="module")
def default_balance(default):
    return check_scenario(default, balance=True)


def test_the_ideal_path_is_short_and_reaches_the_top_ending(default):
    runner = Runner(default, seed=0)
    run = _play_ids(runner, IDEAL)
    assert run.finished
    assert run.ending == "true-professional"
    assert len(IDEAL) <= 16


def test_breach_then_owning_up_then_perfect_play_never_reaches_the_top(default):
    runner = Runner(default, seed=0)
    for breach in ("accept-quietly", "accept-and-disclose-later"):
        path = list(IDEAL)
        path[path.index("declare-and-step-back")] = breach
        path[path.index("look-back-honestly")] = "own-up"
        run = _play_ids(runner, path)
        assert run.variables["breach"] is True
        assert run.variables["owned-up"] is True
        assert run.ending == "owned-up"
        assert runner.ending(run).passed is not True
        # without owning up, strong client and learner work still ends compromised
        path[path.index("own-up")] = "play-it-down"
        assert _play_ids(runner, path).ending == "compromised-results"
    # whatever is played after a breach, the top ending is out of reach
    (top,) = [e for e in check_scenario(default).endings if e.ending == "true-professional"]
    assert top.reachable


def test_the_default_scenario_meets_the_balance_acceptance(default_balance):
    assert default_balance.diagnostics == ()
    balance = default_balance.balance
    assert balance is not None
    chances = {e.ending: e.probability for e in balance.endings}
    assert sum(chances.values()) == pytest.approx(1.0)
    assert 0 < chances["true-professional"] <= 0.05
    assert max(chances.values()) <= 0.6
    assert balance.always_first != "true-professional"
    assert balance.always_last != "true-professional"
    assert len(chances) >= 5


def test_every_aspect_is_marked_both_ways_in_different_scenes(default):
    from fourresp.content import load_framework

    scenes: dict[tuple[str, str], set[str]] = {}
    for scene in default.scenes:
        for choice in scene.choices:
            assert choice.feedback
            assert "Responsibility to" in choice.feedback  # the mentor names it
            for mark in choice.effects.marks:
                scenes.setdefault((mark.aspect, mark.sign), set()).add(scene.id)
    for aspect in load_framework().aspects:
        for sign in "+-":
            assert len(scenes.get((aspect.id, sign), ())) >= 2, (aspect.id, sign)


def test_trade_offs_consequences_and_endings(default):
    from fourresp.content import load_framework

    owners = {a.id: r.id for r in load_framework() for a in r.aspects}
    trade_offs = set()
    for scene in default.scenes:
        for choice in scene.choices:
            gains = {owners[m.aspect] for m in choice.effects.marks if m.sign == "+"}
            losses = {owners[m.aspect] for m in choice.effects.marks if m.sign == "-"}
            if gains - losses and losses - gains:
                trade_offs.add(scene.id)
    assert len(trade_offs) >= 6, trade_offs
    carried = [s.id for s in default.scenes if s.variants] + [
        s.id for s in default.scenes if any(c.condition for c in s.choices)
    ]
    assert len(set(carried)) >= 5, carried
    assert len(default.endings) >= 5
    assert all(e.epilogue is not None for e in default.endings)
    assert all(e.epilogue.variants for e in default.endings)  # each reflects the run
    assert default.order == "shuffled"
    for ending in default.endings:
        for name in ("client", "learners", "peers", "yourself"):
            assert name in ending.debrief, (ending.id, name)
        assert "{strongest}" in ending.debrief


def test_the_day_keeps_to_one_working_day_of_four_meetings(default):
    times = []
    for scene in default.scenes:
        assert scene.act
        hour, minute = scene.act.split(" - ")[0].split(":")
        times.append((scene.id, int(hour) * 60 + int(minute)))
    meetings = {s.act for s in default.scenes if "Meeting" in (s.act or "")}
    assert {act.split("Meeting ")[1][0] for act in meetings} == {"1", "2", "3", "4"}
    runner = Runner(default, seed=0)
    run = _play_ids(runner, IDEAL)
    clock = dict(times)
    visited = [clock[scene] for scene in run.visited]
    assert visited == sorted(visited)  # time never runs backwards on a path


@SLOW
@given(
    scenarios(loops=False),
    st.sampled_from(["client", "learners", "peers", "self"]),
    st.sampled_from([">=", "<", "=="]),
    st.integers(0, 100),
)
def test_percent_rules_in_the_validator_match_brute_force(scenario, name, op, value):
    """The validator's exploration reads percents exactly as the runner does."""
    from fourresp.scenario import EndingRule

    endings = [e.id for e in scenario.endings]
    rules = (
        EndingRule(
            ending=endings[0], condition=ResponsibilityPercent(percent=name, op=op, value=value)
        ),
        EndingRule(ending=endings[-1]),
    )
    scenes = tuple(
        attrs.evolve(s, ending="by-rules") if s.ending is not None else s for s in scenario.scenes
    )
    changed = attrs.evolve(scenario, scenes=scenes, ending_rules=rules)
    runner = Runner(changed, seed=0)
    reached: set[str] = set()
    stack = [runner.start()]
    while stack:
        run = stack.pop()
        if run.finished:
            reached.add(run.ending)
            continue
        stack.extend(runner.choose(run, c.id) for c in runner.choices(run))
    report = check_scenario(changed)
    assert {e.ending for e in report.endings if e.reachable} == reached
    codes = {d.code for d in report.diagnostics}
    assert "impossible-condition" not in codes
    assert "no-rule-matches" not in codes
    balance = check_scenario(changed, balance=True).balance
    assert balance is not None
    assert {e.ending for e in balance.endings if e.probability > 0} == reached


@pytest.mark.parametrize(
    ("condition", "code", "subject"),
    [
        ({"var": "mood", "op": "==", "value": 1}, "undeclared-variable", "mood"),
        ({"var": "flag", "op": "<", "value": 1}, "type-mismatch", "flag"),
        ({"aspect": "client-magic", "op": ">=", "value": 1}, "unknown-aspect", "client-magic"),
        ({"responsibility": "family", "op": ">=", "value": 1}, "unknown-responsibility", "family"),
        ({"percent": "family", "op": ">=", "value": 50}, "unknown-responsibility", "family"),
        ({"visited": "nowhere"}, "unknown-scene", "nowhere"),
    ],
)
def test_variant_conditions_are_checked_like_any_other(condition, code, subject):
    document = _tiny()
    document["variables"] = {"flag": {"type": "boolean", "initial": False}}
    document["scenes"]["ask"]["choices"][0]["effects"]["set"] = [{"var": "flag", "to": True}]
    document["endings"]["good"]["epilogue"] = {
        "text": "Later.",
        "variants": [{"condition": condition, "text": "x"}],
    }
    found = {(d.code, d.subject, d.path) for d in check_scenario(_structure(document)).diagnostics}
    assert (code, subject, "$.endings.good.epilogue.variants[0].condition") in found, found


_KNOWN = "known: client, learners, peers, self"
_BY_TYPE = "compare a boolean with == or != to true or false, an integer with a whole number"


@pytest.mark.parametrize(
    ("condition", "in_choice", "in_variant"),
    [
        (
            {"var": "mood", "op": "==", "value": 1},
            "the condition reads 'mood', which is not declared: add it under 'variables' "
            "with its type and initial value",
            "the variant reads 'mood', which is not declared: add it under 'variables'",
        ),
        (
            {"var": "flag", "op": "<", "value": 1},
            "'flag' is a boolean: compare it with == or != to true or false, not < 1",
            f"'flag' is a boolean: the variant compares it < 1; {_BY_TYPE}",
        ),
        (
            {"var": "count", "op": "==", "value": True},
            "'count' is an integer: compare it with a whole number, not True",
            f"'count' is an integer: the variant compares it == True; {_BY_TYPE}",
        ),
        (
            {"aspect": "client-magic", "op": ">=", "value": 1},
            "the condition reads aspect 'client-magic', which is not an aspect of "
            "'four-responsibilities'",
            "the variant reads aspect 'client-magic', which is not an aspect of "
            "'four-responsibilities'",
        ),
        (
            {"responsibility": "family", "op": ">=", "value": 1},
            f"the condition reads responsibility 'family'; {_KNOWN}",
            f"the variant reads responsibility 'family'; {_KNOWN}",
        ),
        (
            {"percent": "family", "op": ">=", "value": 50},
            f"the condition reads the percent of 'family'; {_KNOWN}",
            f"the condition reads the percent of 'family'; {_KNOWN}",
        ),
        (
            {"visited": "nowhere"},
            "the condition asks whether 'nowhere' was visited, but there is no such scene",
            "the variant asks whether 'nowhere' was visited, but there is no such scene",
        ),
    ],
)
def test_reference_and_type_problems_are_worded_for_where_the_condition_is(
    condition, in_choice, in_variant
):
    def messages(document):
        return [d.message for d in check_scenario(_structure(document)).diagnostics]

    document = _tiny()
    document["variables"] = {
        "flag": {"type": "boolean", "initial": False},
        "count": {"type": "integer", "initial": 0},
    }
    document["scenes"]["ask"]["choices"][0]["effects"]["set"] = [
        {"var": "flag", "to": True},
        {"var": "count", "add": 1},
    ]
    variant = copy.deepcopy(document)
    variant["endings"]["good"]["epilogue"] = {
        "text": "Later.",
        "variants": [{"condition": condition, "text": "x"}],
    }
    document["scenes"]["ask"]["choices"][0]["condition"] = condition
    assert in_choice in messages(document)
    assert in_variant in messages(variant)


def test_a_variable_read_only_by_a_variant_is_not_unused():
    document = _tiny()
    document["variables"] = {"mood": {"type": "integer", "initial": 1}}
    codes = {d.code for d in check_scenario(_structure(document)).diagnostics}
    assert "unused-variable" in codes
    document["scenes"]["next"]["variants"] = [
        {"condition": {"var": "mood", "op": ">=", "value": 1}, "text": "Cheerful."}
    ]
    codes = {d.code for d in check_scenario(_structure(document)).diagnostics}
    assert "unused-variable" not in codes
