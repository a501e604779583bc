"""Every hostile document is refused with the library's own error, naming where."""

from __future__ import annotations

import pytest

import fourresp
from fourresp.cli import main
from hostile_documents import HOSTILE


@pytest.fixture(params=sorted(HOSTILE), ids=sorted(HOSTILE))
def hostile(request, tmp_path):
    body, suffix, code, line = HOSTILE[request.param]
    path = tmp_path / f"{request.param}{suffix}"
    path.write_bytes(body)
    return path, body, code, line


def test_loader_refuses_with_the_expected_problem(hostile):
    path, _, code, line = hostile
    with pytest.raises(fourresp.DocumentError) as caught:
        fourresp.load(path)
    problems = caught.value.problems
    assert code in [problem.code for problem in problems], caught.value
    first = next(problem for problem in problems if problem.code == code)
    assert first.source == str(path)
    if line is not None:
        assert first.line == line


def test_loader_refuses_the_same_bytes_and_text(hostile):
    _, body, code, _ = hostile
    with pytest.raises(fourresp.DocumentError) as caught:
        fourresp.load(body)
    assert code in {problem.code for problem in caught.value.problems}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return
    with pytest.raises(fourresp.DocumentError):
        fourresp.load(text)


def test_cli_validate_exits_1_naming_file_and_line(hostile, capsys):
    path, _, _, line = hostile
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(text.startswith(str(path)) for text in lines)
    if line is not None:
        assert any(text.startswith(f"{path}:{line}:") for text in lines)


def test_limits_are_configurable():
    nested = "a:\n" + "".join(f"{'  ' * (i + 1)}b{i}:\n" for i in range(10)) + "  " * 11 + "x\n"
    limits = fourresp.Limits(max_depth=5)
    problems = fourresp.validate(nested, limits=limits)
    assert [problem.code for problem in problems] == ["too-deep"]
    assert (
        fourresp.validate("kind: framework\n", limits=fourresp.Limits(max_bytes=4))[0].code
        == "too-large"
    )
    assert (
        fourresp.validate("[1, 2, 3, 4]", limits=fourresp.Limits(max_nodes=3))[0].code
        == "too-many-nodes"
    )


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_limits_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match="positive integer"):
        fourresp.Limits(max_depth=bad)


def test_lone_surrogate_in_text_is_refused():
    problems = fourresp.validate("kind: \ud800\n")
    assert problems[0].code == "encoding"


def test_mapping_with_foreign_objects_is_refused_with_path():
    problems = fourresp.validate({"kind": "framework", "id": object(), 1: "x"})
    codes = {(problem.code, problem.path) for problem in problems}
    assert ("bad-type", "$.id") in codes
    assert ("bad-key", "$") in codes


def test_deep_mapping_input_is_refused_without_recursion():
    value: dict = {}
    node = value
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    assert fourresp.validate(value)[0].code == "too-deep"
