"""Scenarios: the default scenario, every diagnostic, the runner, save and resume, exports."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import fourresp
from fourresp import testing
from fourresp.cli import main
from fourresp.content import load_framework
from fourresp.errors import ChoiceError, DocumentError, ResumeError
from fourresp.scenario import (
    Runner,
    check_scenario,
    default_scenario_path,
    load_scenario,
    scorecard_chart,
    scorecard_markdown,
    to_dot,
    to_mermaid,
)

DEFAULT = load_scenario()
# The first edition of the default scenario, kept as a large fixture whose ids the
# defect and resume tests below name.
LEGACY_PATH = Path(__file__).resolve().parent / "legacy_scenario.yaml"
LEGACY = load_scenario(LEGACY_PATH)


def _document() -> dict:
    return yaml.safe_load(LEGACY_PATH.read_text(encoding="utf-8"))


# -- the default scenario ------------------------------------------------------------


def test_the_default_scenario_is_clean_and_big_enough():
    report = check_scenario(DEFAULT)
    assert report.diagnostics == ()
    assert check_scenario(LEGACY).diagnostics == ()
    assert len(DEFAULT.scenes) >= 15
    assert sum(len(scene.choices) for scene in DEFAULT.scenes) >= 45
    assert len({ending.verdict for ending in DEFAULT.endings}) >= 5
    assert all(ending.reachable for ending in report.endings)
    acts = {scene.act for scene in DEFAULT.scenes if scene.act}
    assert len({act.split(" - ")[1].split(":")[0] for act in acts if " - " in act}) >= 4
    signs: dict[str, set[str]] = {}
    for scene in DEFAULT.scenes:
        for choice in scene.choices:
            assert choice.feedback, f"{scene.id}/{choice.id} has no feedback"
            for mark in choice.effects.marks:
                signs.setdefault(mark.aspect, set()).add(mark.sign)
    assert {a.id for a in load_framework().aspects} == {
        a for a, s in signs.items() if s == {"+", "-"}
    }


def test_score_ranges_per_ending_are_exact_on_a_small_scenario():
    document = {
        "id": "tiny",
        "version": "1.0",
        "title": "Tiny",
        "introduction": "Two steps.",
        "start": "a",
        "scenes": {
            "a": {
                "text": "A",
                "choices": [
                    {
                        "id": "up",
                        "text": "up",
                        "goto": "b",
                        "effects": {
                            "marks": [
                                {"aspect": "client-performance-goals", "sign": "+", "weight": 2}
                            ]
                        },
                    },
                    {
                        "id": "down",
                        "text": "down",
                        "goto": "b",
                        "effects": {"marks": [{"aspect": "client-diagnose-need", "sign": "-"}]},
                    },
                ],
            },
            "b": {
                "text": "B",
                "choices": [
                    {"id": "end", "text": "end", "goto": "c"},
                    {
                        "id": "more",
                        "text": "more",
                        "goto": "c",
                        "effects": {"marks": [{"aspect": "self-skills", "sign": "+"}]},
                    },
                ],
            },
            "c": {"text": "C", "ending": "done"},
        },
        "endings": {"done": {"title": "Done", "verdict": "done", "debrief": "Done."}},
    }
    from fourresp._document._convert import shared_converter
    from fourresp.scenario import Scenario
    from fourresp.scenario._models import scenario_hooks

    scenario = shared_converter(scenario_hooks).structure(document, Scenario)
    report = check_scenario(scenario)
    (ending,) = report.endings
    ranges = {r.responsibility: (r.min, r.max) for r in ending.ranges}
    assert ranges == {"client": (-1, 2), "learners": (0, 0), "peers": (0, 0), "self": (0, 1)}
    assert report.longest_path == 2


# -- every diagnostic, put into an otherwise valid scenario ---------------------------


def _break(change):
    document = _document()
    change(document)
    return document


def _scenes(document):
    return document["scenes"]


def _first_choice(document, scene="sales-request"):
    return _scenes(document)[scene]["choices"][0]


DEFECTS = {
    "unknown-start": (lambda d: d.update(start="nowhere"), "nowhere"),
    "unknown-target": (lambda d: _first_choice(d).update(goto="nowhere"), "nowhere"),
    "duplicate-id": (
        lambda d: _scenes(d)["sales-request"]["choices"][1].update(id="ask-about-results"),
        "ask-about-results",
    ),
    "unreachable-scene": (
        lambda d: _scenes(d).update(island={"text": "Alone.", "ending": "order-taker"}),
        "island",
    ),
    "no-way-out": (
        lambda d: (
            _scenes(d)["day-end"].pop("ending")
            or _scenes(d)["day-end"].update(
                choices=[{"id": "again", "text": "Again", "goto": "day-end", "feedback": "Loop."}]
            )
        ),
        "day-end",
    ),
    "unreachable-ending": (
        lambda d: d["endings"].update(
            unused={"title": "Unused", "verdict": "never", "debrief": "Never reached."}
        ),
        "unused",
    ),
    "dead-end": (lambda d: _scenes(d)["day-end"].pop("ending"), "day-end"),
    "undeclared-variable": (
        lambda d: _first_choice(d).update(condition={"var": "mood", "op": "==", "value": 1}),
        "mood",
    ),
    "unused-variable": (
        lambda d: d["variables"].update(spare={"type": "boolean", "initial": False}),
        "spare",
    ),
    "type-mismatch": (
        lambda d: _first_choice(d).update(condition={"var": "pilot-agreed", "op": ">", "value": 1}),
        "pilot-agreed",
    ),
    "unknown-aspect": (
        lambda d: _first_choice(d)["effects"]["marks"].append(
            {"aspect": "client-magic", "sign": "+"}
        ),
        "client-magic",
    ),
    "unknown-responsibility": (
        lambda d: d["ending_rules"][1].update(
            condition={"responsibility": "family", "op": ">=", "value": 1}
        ),
        "family",
    ),
    "unknown-scene": (
        lambda d: _first_choice(d).update(condition={"visited": "nowhere"}),
        "nowhere",
    ),
    "unknown-ending": (lambda d: _scenes(d)["dismissed"].update(ending="fired"), "fired"),
    "impossible-condition": (
        lambda d: _first_choice(d).update(condition={"var": "trust", "op": ">", "value": 9}),
        "ask-about-results",
    ),
    "stuck": (
        lambda d: (
            [
                c.update(condition={"var": "trust", "op": ">=", "value": 1})
                for c in _scenes(d)["sales-wrap"]["choices"]
            ]
            and _scenes(d)["sales-request"]["choices"][1]["effects"]
            .setdefault("set", [])
            .append({"var": "trust", "add": -1})
        ),
        "sales-wrap",
    ),
    "no-rule-matches": (lambda d: d["ending_rules"].pop(), "day-end"),
    "no-ending-rules": (lambda d: d.pop("ending_rules"), "by-rules"),
    "choices-and-ending": (
        lambda d: _scenes(d)["dismissed"].update(
            choices=[{"id": "x", "text": "x", "goto": "afternoon", "feedback": "x"}]
        ),
        "dismissed",
    ),
    "bad-bounds": (lambda d: d["variables"]["trust"].update(min=5), "trust"),
    "reserved-id": (
        lambda d: d["endings"].update({"by-rules": {"title": "X", "verdict": "x", "debrief": "x"}}),
        "by-rules",
    ),
    "unmarked-aspect": (
        lambda d: [
            c["effects"].update(
                marks=[m for m in c["effects"]["marks"] if m["aspect"] != "self-technology"]
            )
            for s in _scenes(d).values()
            for c in s.get("choices", [])
            if "effects" in c
        ],
        "self-technology",
    ),
    "one-sided-aspect": (
        lambda d: _scenes(d)["self-tools"]["choices"][1]["effects"].update(
            marks=[{"aspect": "self-skills", "sign": "-"}]
        ),
        "self-technology",
    ),
    "unbounded-score": (
        lambda d: _scenes(d)["self-review"]["choices"].append(
            {
                "id": "loop-back",
                "text": "Go back over it",
                "goto": "self-webinar",
                "feedback": "Again.",
                "effects": {"marks": [{"aspect": "self-reflection", "sign": "+"}]},
            }
        ),
        "self",
    ),
}


@pytest.mark.parametrize("code", sorted(DEFECTS))
def test_each_defect_is_reported_with_its_code_and_id(code, tmp_path, capsys):
    change, subject = DEFECTS[code]
    document = _break(change)
    from fourresp._document._convert import shared_converter
    from fourresp.scenario import Scenario
    from fourresp.scenario._models import scenario_hooks

    body = {key: value for key, value in document.items() if key != "kind"}
    scenario = shared_converter(scenario_hooks).structure(body, Scenario)
    found = {(d.code, d.subject) for d in check_scenario(scenario).diagnostics}
    assert (code, subject) in found, sorted(found)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:" in out


def test_a_duplicate_scene_id_is_a_duplicate_key_with_both_lines(tmp_path):
    text = default_scenario_path().read_text(encoding="utf-8")
    text = text.replace("  scoping-modules:\n", "  the-request:\n", 1)
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    problems = fourresp.validate(path)
    assert any(p.code == "duplicate-key" and "the-request" in p.message for p in problems)


def test_state_space_limit_is_a_clear_warning():
    report = check_scenario(DEFAULT, state_limit=50)
    (warning,) = [d for d in report.diagnostics if d.code == "state-space-too-large"]
    assert warning.severity == "warning"
    assert "50" in warning.message
    assert all(ending.reachable is None for ending in report.endings)


# -- generated scenarios and the runner -------------------------------------------------


@given(testing.scenarios())
def test_generated_scenarios_pass_the_validator_and_round_trip(scenario):
    report = check_scenario(scenario)
    assert report.errors == (), [(d.code, d.subject) for d in report.errors]
    assert fourresp.load(fourresp.to_document(scenario)) == scenario


@given(testing.scenarios(loops=False), st.data())
def test_random_play_throughs_end_within_the_computed_bound(scenario, data):
    runner = Runner(scenario, seed=0)  # a fixed order of options, so draws replay
    bound = check_scenario(scenario).longest_path
    assert bound is not None
    run = runner.start()
    while not run.finished:
        options = runner.choices(run)
        assert options, "a run was stuck"
        if data.draw(st.booleans()):  # a refused choice changes nothing
            with pytest.raises(ChoiceError):
                runner.choose(run, "no-such-choice")
        run = runner.choose(run, data.draw(st.sampled_from(options)).id)
        assert run.length <= bound
    assert run.ending is not None


@settings(max_examples=40)
@given(testing.scenarios(), st.data())
def test_save_resume_and_undo_behave_like_carrying_on(scenario, data):
    runner = Runner(scenario)
    run = data.draw(testing.runs(scenario, max_steps=15))
    saved = json.loads(json.dumps(runner.save(run)))
    assert fourresp.validate(saved, kind="run") == ()
    resumed = runner.resume(saved)
    assert resumed == run
    assert runner.scorecard(resumed) == runner.scorecard(run)
    if not run.finished:
        choice = data.draw(st.sampled_from(runner.choices(run))).id
        assert runner.choose(resumed, choice) == runner.choose(run, choice)
        assert runner.undo(runner.choose(run, choice)) is run


@settings(max_examples=30)
@given(testing.scenarios(), st.data())
def test_the_same_choices_give_the_same_scorecard(scenario, data):
    run = data.draw(testing.runs(scenario, max_steps=20))
    choices = [step.choice for step in run.steps]
    again = Runner(scenario).start()
    runner = Runner(scenario)
    for choice in choices:
        again = runner.choose(again, choice)
    assert runner.scorecard(again) == Runner(scenario).scorecard(run)


def test_a_closed_or_unknown_choice_is_refused_and_the_run_is_unchanged():
    runner = Runner(LEGACY)
    run = runner.start()
    with pytest.raises(ChoiceError, match="no choice 'fly-away'"):
        runner.choose(run, "fly-away")
    run = runner.choose(run, "book-the-course")
    run = runner.choose(run, "press-ahead")
    run = runner.choose(run, "two-days-of-theory")
    run = runner.choose(run, "send-the-agenda")
    assert run.scene == "workshop-start"
    with pytest.raises(ChoiceError, match="nothing to undo"):
        runner.undo(runner.start())


def test_a_conditional_choice_opens_only_when_its_condition_holds():
    runner = Runner(LEGACY)
    run = runner.start()
    for choice in ("ask-about-results", "look-before-deciding", "recommend-fix-and-job-aid"):
        run = runner.choose(run, choice)
    assert "bring-in-it-and-finance" in [c.id for c in runner.choices(run)]
    low = runner.start()
    for choice in (
        "send-the-catalogue",
        "ask-what-is-behind-it",
        "look-before-deciding",
        "recommend-fix-and-job-aid",
    ):
        low = runner.choose(low, choice)
    assert low.variables["trust"] == 2
    assert "bring-in-it-and-finance" not in [c.id for c in runner.choices(low)]
    with pytest.raises(ChoiceError, match="not open"):
        runner.choose(low, "bring-in-it-and-finance")


# -- resuming after edits -----------------------------------------------------------


def _saved_run():
    runner = Runner(LEGACY)
    run = runner.start()
    for choice in ("ask-about-results", "look-before-deciding", "recommend-fix-and-job-aid"):
        run = runner.choose(run, choice)
    return runner.save(run), run


def _edited(change):
    from fourresp._document._convert import shared_converter
    from fourresp.scenario import Scenario
    from fourresp.scenario._models import scenario_hooks

    document = _document()
    change(document)
    return Runner(
        shared_converter(scenario_hooks).structure(
            {k: v for k, v in document.items() if k != "kind"}, Scenario
        )
    )


def test_resuming_an_unchanged_path_after_an_edit_elsewhere():
    saved, run = _saved_run()
    runner = _edited(lambda d: d.update(title="A day in the life, revised"))
    resumed = runner.resume(saved)
    assert [s.choice for s in resumed.steps] == [s.choice for s in run.steps]
    assert resumed.scene == run.scene


@pytest.mark.parametrize(
    ("change", "step", "message"),
    [
        (
            lambda d: _scenes(d)["sales-goals"]["choices"][0].update(goto="sales-course-design"),
            1,
            "now leads to",
        ),
        (
            lambda d: _scenes(d)["sales-request"]["choices"][0]["effects"]["marks"].pop(),
            0,
            "effects have changed",
        ),
        (
            lambda d: (
                _scenes(d).update({"sales-diagnosis-2": _scenes(d).pop("sales-diagnosis")})
                or _scenes(d)["sales-goals"]["choices"][0].update(goto="sales-diagnosis-2")
            ),
            1,
            "now leads to",
        ),
        (
            # renamed without updating the choice that leads there
            lambda d: _scenes(d).update({"sales-diagnosis-2": _scenes(d).pop("sales-diagnosis")}),
            1,
            "not a scene",
        ),
    ],
)
def test_resuming_refuses_the_first_step_that_no_longer_fits(change, step, message):
    saved, _ = _saved_run()
    runner = _edited(change)
    with pytest.raises(ResumeError, match=message) as caught:
        runner.resume(saved)
    assert caught.value.step == step


def test_corrupted_and_foreign_saves_are_refused():
    saved, _ = _saved_run()
    runner = Runner(LEGACY)
    broken = copy.deepcopy(saved)
    broken["steps"][0]["digest"] = "not hex"
    with pytest.raises(DocumentError):
        runner.resume(broken)
    with pytest.raises(DocumentError):
        runner.resume({"kind": "run", "steps": "everything"})
    foreign = dict(saved, scenario="another-scenario")
    with pytest.raises(ResumeError, match="another-scenario"):
        runner.resume(foreign)
    with pytest.raises(DocumentError):
        runner.resume(b"\x00\x01 not a document")


# -- scorecard and exports ----------------------------------------------------------------


def test_scorecard_report_and_chart():
    from xml.etree import ElementTree

    runner = Runner(DEFAULT)
    run = runner.start()
    while not run.finished:
        run = runner.choose(run, runner.choices(run)[0].id)
    card = runner.scorecard(run)
    assert card.ending is not None
    assert card.steps == run.length
    assert len(card.feedback) == run.length
    assert all(0 <= r.percent <= 100 for r in card.responsibilities if r.percent is not None)
    markdown = scorecard_markdown(card)
    assert markdown.startswith("# Scorecard: ")
    ElementTree.fromstring(scorecard_chart(card))


def test_exports_escape_ids_and_labels():
    from fourresp._document._convert import shared_converter
    from fourresp.scenario import Scenario
    from fourresp.scenario._models import scenario_hooks

    document = {
        "id": "tricky",
        "version": "1.0",
        "title": 'Quotes " and <tags>',
        "introduction": "x",
        "start": "end",
        "scenes": {
            "end": {
                "text": 'Says "hi" | <b>bold</b>',
                "choices": [{"id": "go", "text": 'A "quoted" | choice', "goto": "graph"}],
            },
            "graph": {"text": "The end.", "ending": "done"},
        },
        "endings": {"done": {"title": "Done", "verdict": "done", "debrief": "Done."}},
    }
    scenario = shared_converter(scenario_hooks).structure(document, Scenario)
    mermaid = to_mermaid(scenario)
    assert re.search(r"^\s+s_end\[", mermaid, re.M)
    assert "<b>" not in mermaid
    assert '"quoted"' not in mermaid
    dot = to_dot(scenario)
    assert '\\"hi\\"' in dot
    assert dot.count("->") == 1


def test_cli_play_graph_and_validate(tmp_path, capsys):
    assert main(["graph", "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith('digraph "a-day-in-the-life"')
    assert main(["play", "--choices", "ask-about-results,propose-a-blend", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert fourresp.validate(document["run"], kind="run") == ()
    assert main(["play", "--choices", "ask-about-results,fly-away"]) == 1
    assert "choice 2 ('fly-away')" in capsys.readouterr().err
    assert main(["validate", str(default_scenario_path())]) == 0


def test_every_code_the_validator_can_give_is_documented():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    guide = (root / "docs" / "scenario-diagnostics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", guide, re.M))
    source = "".join(
        path.read_text(encoding="utf-8")
        for path in sorted((root / "src" / "fourresp" / "scenario").glob("_*.py"))
    )
    emitted = set(re.findall(r'code="([a-z-]+)"', source)) | set(
        re.findall(r'self\.add\(\s*"([a-z-]+)"', source)
    )
    assert emitted
    assert emitted <= documented, emitted - documented
    tested_elsewhere = {  # in test_scenario_engine.py
        "positional-bias",
        "length-bias",
        "dominant-ending",
        "one-choice-aspect",
        "unshown-variant",
        "unknown-placeholder",
        "exploration-skipped",
    }
    # the two that say what the exact analysis skipped: in test_scenario_oracle.py and
    # test_scenario_budget.py
    skipped = {"state-space-too-large", "analysis-skipped"}
    assert documented <= set(DEFECTS) | skipped | tested_elsewhere
