"""The fourresp command: output, formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import fourresp
from fourresp.cli import main
from fourresp.content import default_pack_path


def test_info_text_lists_responsibilities_and_aspects(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "The learning professional has a responsibility to their client" in out
    assert "[client-non-learning]" in out
    assert "#FourResponsibilities" in out


def test_info_json_is_the_framework_document(capsys):
    assert main(["info", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["responsibilities"]) == 4
    assert sum(len(item["aspects"]) for item in document["responsibilities"]) == 20
    assert fourresp.validate(document) == ()


def test_validate_clean_file_exits_0(capsys):
    assert main(["validate", str(default_pack_path())]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "1 file checked, 0 problems" in captured.err


def test_validate_reports_one_line_per_problem(tmp_path, capsys):
    path = tmp_path / "pack.yaml"
    text = (
        default_pack_path().read_text(encoding="utf-8").replace('version: "1.0.0"', "version: 1.10")
    )
    path.write_text(text, encoding="utf-8")
    line_number = text.splitlines().index("version: 1.10") + 1
    assert main(["validate", str(path)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{path}:{line_number}:10: expected string")
    assert line.endswith("($.version)")


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


def test_demo_runs(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "validates with 0 problems" in out
    assert "linkedin" in out


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
