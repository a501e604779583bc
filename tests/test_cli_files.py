"""Files the command line writes: modes, no silent overwrites, nothing typed ever lost."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

import fourresp
import fourresp.cli._scenario
from fourresp._files import write_atomically
from fourresp.cli import main
from fourresp.errors import StorageError


@pytest.fixture
def umask():
    """Set the process umask for a test, and put it back."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _one_line(text: str) -> bool:
    return text.count("\n") == 1 and "Traceback" not in text and ".tmp" not in text


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_every_output_gets_the_mode_the_umask_allows(tmp_path, capsys, umask, monkeypatch, mask):
    umask(mask)
    expected = 0o666 & ~mask
    assert main(["badge", "emblem", "-o", str(tmp_path / "emblem.svg")]) == 0
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("4\nq\n"))
    assert (
        main(["assess", "--save", str(tmp_path / "a.yaml"), "--chart", str(tmp_path / "a.svg")])
        == 0
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\ns\n"))
    assert main(["play", "--save", str(tmp_path / "run.json")]) == 0
    capsys.readouterr()
    written = [tmp_path / name for name in ("emblem.svg", "a.yaml", "a.svg", "run.json")]
    written += [path for path in (tmp_path / "demo").rglob("*") if path.is_file()]
    assert len(written) > 10
    assert {str(path): _mode(path) for path in written} == dict.fromkeys(
        map(str, written), expected
    )


def test_replacing_keeps_the_files_mode_and_follows_a_symbolic_link(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "page.html"
    target.write_text("old")
    target.chmod(0o644)
    write_atomically(target, "new", replace=True)
    assert target.read_text() == "new"
    assert _mode(target) == 0o644
    link = tmp_path / "link.html"
    link.symlink_to(target)
    write_atomically(link, "newer", replace=True)
    assert link.is_symlink()
    assert target.read_text() == "newer"


def test_a_hard_linked_file_is_replaced_by_a_new_one(tmp_path):
    # Renaming a new file over the old is what makes a write all or nothing; the
    # other names of the old file keep its content (documented).
    target = tmp_path / "a.svg"
    target.write_text("old")
    other = tmp_path / "b.svg"
    os.link(target, other)
    write_atomically(target, "new", replace=True)
    assert target.read_text() == "new"
    assert other.read_text() == "old"


@pytest.mark.parametrize(
    "command",
    [
        ["badge", "emblem", "-o", "{}"],
        ["assess", "--answers", "{answers}", "--chart", "{}"],
        ["play", "--choices", "ask-about-results", "--chart", "{}"],
        ["export", "surveyjs", "-o", "{}"],
    ],
    ids=["badge", "assess-chart", "play-chart", "export"],
)
def test_nothing_existing_is_replaced_without_force(tmp_path, capsys, command):
    answers = tmp_path / "answers.json"
    from fourresp.assessment import Response, load_questionnaire

    questionnaire = load_questionnaire()
    answers.write_text(
        fourresp._files.document_text(
            fourresp.to_document(
                Response(
                    questionnaire=questionnaire.id,
                    version=questionnaire.version,
                    answers={item.id: 3 for item in questionnaire.items},
                )
            ),
            answers,
        )
    )
    existing = tmp_path / "mine.out"
    existing.write_text("keep me")
    argv = [part.format(existing, answers=answers) for part in command]
    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "exists: add --force to replace it" in err
    assert _one_line(err)
    assert existing.read_text() == "keep me"
    assert main([*argv, "--force"]) == 0
    assert existing.read_text() != "keep me"


def test_writing_into_a_missing_folder_is_one_line_and_exit_1(tmp_path, capsys):
    missing = tmp_path / "no" / "such" / "folder" / "emblem.svg"
    assert main(["badge", "emblem", "-o", str(missing)]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err
    assert _one_line(err)
    assert not any(tmp_path.rglob("*.tmp"))


def test_assess_checks_where_it_will_save_before_asking(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("4\n" * 30))
    assert main(["assess", "--save", str(tmp_path / "missing" / "a.yaml")]) == 1
    captured = capsys.readouterr()
    assert _one_line(captured.err)
    assert "[1/" not in captured.err  # not a question was asked
    (tmp_path / "a.yaml").write_text("earlier answers")
    assert main(["assess", "--save", str(tmp_path / "a.yaml")]) == 1
    assert "add --force" in capsys.readouterr().err


def test_answers_that_cannot_be_saved_are_kept_elsewhere(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "gone"
    folder.mkdir()
    monkeypatch.setattr(sys, "stdin", io.StringIO("4\n5\nq\n"))
    monkeypatch.setattr("fourresp.cli._assess.check_writable", lambda path: folder.rmdir())
    assert main(["assess", "--save", str(folder / "a.yaml")]) == 1
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "cannot write" in line)
    kept = line.rsplit(" kept in ", 1)[1]
    try:
        response = fourresp.load(Path(kept), kind="response")
        assert [value for value in response.answers.values() if value is not None] == [4, 5]
    finally:
        os.unlink(kept)


def test_going_back_and_pressing_enter_keeps_the_earlier_answer(tmp_path, capsys, monkeypatch):
    from fourresp.assessment import load_questionnaire

    monkeypatch.setattr(sys, "stdin", io.StringIO("4\nb\n\n2\nq\n"))
    assert main(["assess", "--save", str(tmp_path / "a.yaml")]) == 0
    assert "(your answer: 4" in capsys.readouterr().err
    response = fourresp.load(tmp_path / "a.yaml", kind="response")
    first, second = (item.id for item in load_questionnaire().items[:2])
    assert response.answers[first] == 4
    assert response.answers[second] == 2


def test_play_at_the_end_of_input_never_replaces_a_save_with_an_empty_run(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\ns\n"))
    assert main(["play"]) == 0
    saved = (tmp_path / "fourresp-run.json").read_text()
    assert "Saved after 1 step to fourresp-run.json" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["play"]) == 0
    assert "nothing saved" in capsys.readouterr().err
    assert (tmp_path / "fourresp-run.json").read_text() == saved
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\n"))  # then the end of input
    assert main(["play"]) == 0
    assert "to fourresp-run-2.json" in capsys.readouterr().err
    assert (tmp_path / "fourresp-run.json").read_text() == saved
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["play", "--resume", "fourresp-run.json"]) == 0
    assert "left as it was" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n"))
    assert main(["play", "--resume", "fourresp-run.json"]) == 0  # the user's own save
    assert "Saved after 2 steps to fourresp-run.json" in capsys.readouterr().err


def test_play_checks_where_it_will_write_before_the_game(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\ns\n"))
    assert main(["play", "--save", str(tmp_path / "missing" / "run.json")]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err
    assert _one_line(err)
    (tmp_path / "chart.svg").write_text("mine")
    assert main(["play", "--chart", str(tmp_path / "chart.svg")]) == 1
    assert "add --force" in capsys.readouterr().err


def test_a_run_that_cannot_be_saved_is_kept_elsewhere(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "gone"
    folder.mkdir()
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\ns\n"))
    real = fourresp.cli._scenario.check_writable

    def check_then_lose_the_folder(path, **options):
        real(path, **options)
        if folder.exists():
            folder.rmdir()

    monkeypatch.setattr("fourresp.cli._scenario.check_writable", check_then_lose_the_folder)
    assert main(["play", "--save", str(folder / "run.json")]) == 1
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "cannot write" in line)
    kept = line.rsplit("fourresp play --resume ", 1)[1]
    try:
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        assert main(["play", "--resume", kept, "--save", str(tmp_path / "run.json")]) == 0
    finally:
        os.unlink(kept)


def test_demo_refuses_a_folder_that_is_not_an_earlier_demo(tmp_path, capsys):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("my own page")
    assert main(["demo", "--out", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "holds no earlier demo" in err
    assert _one_line(err)
    assert (folder / "index.html").read_text() == "my own page"
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0  # an earlier demo: refreshed
    assert main(["demo", "--out", str(folder), "--force"]) == 0


def test_write_atomically_refuses_to_replace_unless_asked(tmp_path):
    target = tmp_path / "x.txt"
    write_atomically(target, "one")
    with pytest.raises(StorageError, match="exists"):
        write_atomically(target, "two")
    assert target.read_text() == "one"
