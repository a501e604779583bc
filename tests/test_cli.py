"""The fourresp command: output, formats and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

import browser
import fourresp
from fourresp.cli import main
from fourresp.content import default_pack_path


def test_info_text_lists_responsibilities_and_aspects(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "The learning professional has a responsibility to their client" in out
    assert "[client-non-learning]" in out
    assert (
        "Excludes: Changing the form or scope of a learning solution (client-better-solution)."
        in " ".join(out.split())
    )
    assert "#FourResponsibilities" in out


def test_info_json_is_the_framework_document(capsys):
    assert main(["info", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["responsibilities"]) == 4
    assert sum(len(item["aspects"]) for item in document["responsibilities"]) == 20
    assert all(
        aspect["includes"] and aspect["excludes"]
        for item in document["responsibilities"]
        for aspect in item["aspects"]
    )
    assert fourresp.validate(document) == ()


def test_validate_clean_file_exits_0(capsys):
    assert main(["validate", str(default_pack_path())]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "1 file checked, 0 errors, 0 warnings" in captured.err


def test_validate_reports_one_line_per_problem(tmp_path, capsys):
    path = tmp_path / "pack.yaml"
    text = (
        default_pack_path().read_text(encoding="utf-8").replace('version: "1.0.0"', "version: 1.10")
    )
    path.write_text(text, encoding="utf-8")
    line_number = text.splitlines().index("version: 1.10") + 1
    assert main(["validate", str(path)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{path}:{line_number}:10: error schema: expected string")
    assert line.endswith("($.version)")


def _scenario_with_warnings_and_errors(tmp_path):
    import yaml

    from fourresp.scenario import default_scenario_path

    document = yaml.safe_load(default_scenario_path().read_text(encoding="utf-8"))
    for number in range(5):
        document["variables"][f"spare{number}"] = {"type": "integer", "initial": 0}
    first = next(iter(document["scenes"].values()))
    first["choices"][0]["goto"] = "nowhere"
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_validate_text_shows_codes_errors_first_and_folds_repeated_warnings(tmp_path, capsys):
    path = _scenario_with_warnings_and_errors(tmp_path)
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    severities = [line.split(": ")[1].split()[0] for line in lines if "more like this" not in line]
    assert severities == sorted(severities)  # "error" < "warning": every error comes first
    assert any(": error unknown-target: " in line for line in lines)
    assert [line for line in lines if "unused-variable" in line] == [
        next(line for line in lines if ": warning unused-variable: " in line),
        f"{path}: ... and 4 more like this (unused-variable)",
    ]
    errors = sum(": error " in line for line in lines)
    assert errors >= 1
    plural = "" if errors == 1 else "s"
    assert f"1 file checked, {errors} error{plural}, 5 warnings" in captured.err
    assert main(["validate", "--errors-only", str(path)]) == 1
    captured = capsys.readouterr()
    assert "warning" not in captured.out
    assert len(captured.out.splitlines()) == errors
    assert f"1 file checked, {errors} error{plural}\n" in captured.err


def test_validate_errors_only_exits_0_on_warnings_alone(tmp_path, capsys):
    import yaml

    from fourresp.scenario import default_scenario_path

    document = yaml.safe_load(default_scenario_path().read_text(encoding="utf-8"))
    document["variables"]["spare"] = {"type": "integer", "initial": 0}
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert main(["validate", "--errors-only", str(path)]) == 0
    assert capsys.readouterr().out.count("unused-variable") == 1


def test_validate_json_format(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "framework"}', encoding="utf-8")
    assert main(["validate", "--format", "json", str(bad), str(default_pack_path())]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [entry["ok"] for entry in report] == [False, True]
    assert report[0]["problems"][0]["code"] == "schema"


def test_validate_with_kind_flag(tmp_path, capsys):
    path = tmp_path / "pack.yaml"
    path.write_text(
        default_pack_path().read_text(encoding="utf-8").replace("kind: framework\n", ""),
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 1
    assert "add a 'kind' key" in capsys.readouterr().out
    assert main(["validate", "--kind", "framework", str(path)]) == 0


@pytest.mark.parametrize(
    "argv",
    [[], ["validate"], ["validate", "--kind", "nope", "x"], ["nope"], ["info", "--format", "xml"]],
)
def test_usage_errors_exit_2(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert capsys.readouterr().err


def test_schema_lists_and_prints(capsys):
    assert main(["schema"]) == 0
    assert "framework" in capsys.readouterr().out.split()
    assert main(["schema", "framework"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"].endswith("framework.schema.json")
    assert main(["schema", "nope"]) == 2


def test_info_on_a_broken_pack_exits_1(tmp_path, capsys):
    path = tmp_path / "framework.yaml"
    path.write_text("kind: framework\n", encoding="utf-8")
    assert main(["info", "--pack", str(path)]) == 1
    assert "missing required" in capsys.readouterr().err


def test_demo_writes_every_file_and_a_page_that_shows_them(tmp_path, capsys):
    from html.parser import HTMLParser
    from xml.etree import ElementTree

    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    for expected in (
        "framework.txt",
        "assessment/result.md",
        "assessment/chart.svg",
        "scenario/scorecard.md",
        "scenario/scorecard.json",
        "scenario/scorecard.svg",
        "scenario/graph.dot",
        "scenario/graph.mmd",
        "badges/shields-flat.svg",
        "badges/emblem.svg",
        "badges/supporter.svg",
        "badges/supporter-baked.svg",
        "badges/result.svg",
        "index.html",
    ):
        assert expected in files
        assert expected in printed
    for svg in out.rglob("*.svg"):
        ElementTree.fromstring(svg.read_text(encoding="utf-8"))
    from fourresp.badges import unbake

    assert unbake((out / "badges/supporter-baked.svg").read_text()).version == "2.0"

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.links = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            attributes = dict(attrs)
            for name in ("href", "src"):
                value = attributes.get(name)
                if value and ":" not in value and not value.startswith("#"):  # a file
                    self.links.append(value)

    page = Page()
    index = (out / "index.html").read_text(encoding="utf-8")
    page.feed(index)
    assert "script" not in page.tags
    assert page.tags.count("svg") >= 10
    for link in page.links:
        assert (out / link).is_file(), link
    ids = re.findall(r' id="([^"]+)"', index)
    assert len(ids) == len(set(ids)), "ids clash on the page"


def test_version_and_module_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "fourresp", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"fourresp {fourresp.__version__}"


def _answers_file(tmp_path, change=None):
    from fourresp.assessment import load_questionnaire

    questionnaire = load_questionnaire()
    answers = {item.id: 4 for item in questionnaire.items}
    if change:
        change(answers)
    document = {
        "kind": "response",
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "answers": answers,
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_assess_prints_scores_and_bands(tmp_path, capsys):
    assert main(["assess", "--answers", str(_answers_file(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Overall:")
    for title in ("client", "learners", "peers", "oneself"):
        assert title in out


def test_assess_json_validates_against_the_result_schema(tmp_path, capsys):
    assert main(["assess", "--answers", str(_answers_file(tmp_path)), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert fourresp.validate(document, kind="result") == ()


def test_assess_refuses_invalid_answers_naming_items(tmp_path, capsys):
    def spoil(answers):
        answers["client-1"] = 9
        answers["client-2"] = 2.5
        answers["ghost"] = 3

    assert main(["assess", "--answers", str(_answers_file(tmp_path, spoil))]) == 1
    err = capsys.readouterr().err
    for item_id in ("client-1", "client-2", "ghost"):
        assert item_id in err


def test_assess_refuses_a_boolean_answer_with_its_line(tmp_path, capsys):
    def spoil(answers):
        answers["client-2"] = True

    path = _answers_file(tmp_path, spoil)
    assert main(["assess", "--answers", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:1:" in err
    assert "$.answers.client-2" in err


def test_assess_markdown_and_chart(tmp_path, capsys):
    from xml.etree import ElementTree

    chart = tmp_path / "scores.svg"
    path = _answers_file(tmp_path)
    command = ["assess", "--answers", str(path), "--format", "markdown", "--chart", str(chart)]
    assert main(command) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Results: ")
    assert re.search(
        r"^\| Responsibility to the client \| \d+% \| [\w ]+ \| 10 of 10 \|$", out, re.M
    )
    # Next steps come with the public sources they draw on.
    assert "**Next step.**" in out
    assert "- Source: Will Thalheimer (2018), *The Learning-Transfer Evaluation Model" in out
    root = ElementTree.fromstring(chart.read_text(encoding="utf-8"))
    assert root.get("role") == "img"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def _ask(monkeypatch, typed, *args):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    return main(["assess", *args])


def test_assess_asks_in_the_terminal(monkeypatch, capsys, tmp_path):
    from fourresp.assessment import load_questionnaire

    count = len(load_questionnaire().items)
    # A wrong entry is asked again; "b" goes back; a label works; Enter skips.
    typed = "7\n4\nb\nalways\n\n" + "3\n" * (count - 2)
    saved = tmp_path / "mine.yaml"
    assert _ask(monkeypatch, typed, "--save", str(saved), "--respondent", "ada") == 0
    captured = capsys.readouterr()
    assert "Please type one of 1, 2, 3, 4, 5" in captured.err
    assert "1 Never" in captured.err
    assert f"You answered {count - 1} of {count} statements (1 skipped)." in captured.err
    assert captured.out.startswith("Overall:")
    response = fourresp.load(saved, kind="response")
    first, second = (item.id for item in load_questionnaire().items[:2])
    assert response.answers[first] == 5
    assert response.answers[second] is None
    assert response.respondent == "ada"


def test_assess_can_finish_early(monkeypatch, capsys):
    assert _ask(monkeypatch, "4\nq\n") == 0
    captured = capsys.readouterr()
    assert "You answered 1 of" in captured.err
    assert "not enough answers" in captured.out


def test_assess_at_the_end_of_input_scores_what_was_given(monkeypatch, capsys):
    assert _ask(monkeypatch, "") == 0
    assert "You answered 0 of" in capsys.readouterr().err


def _batch_file(tmp_path, rows):
    from fourresp.assessment import load_questionnaire

    ids = [item.id for item in load_questionnaire().items]
    lines = [",".join(["respondent", *ids])]
    lines += [",".join([name, *[str(value)] * len(ids)]) for name, value in rows]
    path = tmp_path / "batch.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_assess_batch_text_json_and_csv(tmp_path, capsys):
    path = _batch_file(tmp_path, [("ada", 4), ("bo", 2), ("cy", 5)])
    assert main(["assess-batch", str(path), "--reliability"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("line 2")
    assert "Reliability of 3 responses" in captured.out
    assert "3 scored, 0 refused" in captured.err

    assert main(["assess-batch", str(path), "--format", "json", "--reliability"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["kind"] for row in rows] == ["result", "result", "result", "reliability"]
    for row in rows[:3]:
        assert fourresp.validate(row["result"], kind="result") == ()
    assert rows[3]["groups"][0]["group"] == "overall"

    assert main(["assess-batch", str(path), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("line,respondent,overall_percent,overall_band,client_percent")
    assert lines[1].startswith("2,ada,58.75,occasional,60.00,frequent")


def test_assess_batch_reports_bad_rows_and_exits_1(tmp_path, capsys):
    path = _batch_file(tmp_path, [("ada", 4), ("bad", 9), ("cy", 5)])
    assert main(["assess-batch", str(path)]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2
    assert f"{path}:3:" in captured.err
    assert "2 scored, 1 refused" in captured.err


def test_badge_bake_and_unbake_commands(tmp_path, capsys):
    from xml.etree import ElementTree

    svg_path = tmp_path / "badge.svg"
    assert (
        main(["badge", "questionnaire", "established", "--color", "blue", "-o", str(svg_path)]) == 0
    )
    ElementTree.fromstring(svg_path.read_text(encoding="utf-8"))
    assert main(["badge", "emblem", "--name", "Ada", "--year", "2026", "--size", "128"]) == 0
    assert ">Ada</text>" in capsys.readouterr().out
    payload = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://example.org/assertions/1",
        "recipient": {"type": "email", "hashed": False, "identity": "ada@example.org"},
        "badge": "https://example.org/badges/1",
        "verification": {"type": "hosted"},
        "issuedOn": "2026-11-29T10:00:00Z",
    }
    json_path = tmp_path / "assertion.json"
    json_path.write_text(json.dumps(payload), encoding="utf-8")
    baked = tmp_path / "baked.svg"
    assert main(["bake", str(svg_path), str(json_path), "-o", str(baked)]) == 0
    capsys.readouterr()
    assert main(["unbake", str(baked)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == payload
    assert "Open Badges 2.0 assertion" in captured.err
    assert main(["unbake", str(svg_path)]) == 1


def test_badge_command_errors(tmp_path, capsys):
    assert main(["badge", "only-one"]) == 2
    assert main(["badge", "a", "b", "--color", "blurple"]) == 1
    assert "unknown colour" in capsys.readouterr().err
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg", encoding="utf-8")
    assert main(["unbake", str(broken)]) == 1
    assert "not well-formed" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(
    browser.CHROMIUM is None and os.environ.get("FOURRESP_REQUIRE_BROWSER") != "1",
    reason="no headless Chromium here (Debian: chromium)",
)
def test_the_demo_page_loads_without_console_errors(tmp_path):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    assert browser.CHROMIUM is not None, "FOURRESP_REQUIRE_BROWSER=1 but no Chromium here"
    result = subprocess.run(
        [
            browser.CHROMIUM,
            "--headless",
            *browser.FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=1",
            "--dump-dom",
            (out / "index.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    assert result.stdout.count("<svg") >= 10


def test_the_command_tunes_its_own_collector_and_main_leaves_an_apps_alone():
    probe = (
        "import gc, sys\n"
        "from fourresp.cli import main, run\n"
        "before = gc.get_threshold()\n"
        "main(['info'])\n"
        "assert gc.get_threshold() == before, 'main changed the collector'\n"
        "sys.argv = ['fourresp', 'info']\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as stop:\n"
        "    assert stop.code == 0\n"
        "print(gc.get_threshold()[0], before[1:] == gc.get_threshold()[1:])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "50000 True"
