import json

import pytest

from fourresp.errors import DocumentError, FourrespError, NotFoundError, Problem


def test_problem_renders_file_line_column_and_path():
    problem = Problem(
        code="schema",
        message="expected a string",
        path="$.id",
        source="pack.yaml",
        line=3,
        column=5,
    )
    assert str(problem) == "pack.yaml:3:5: expected a string ($.id)"
    assert problem.location == "pack.yaml:3:5"


def test_problem_without_position_names_the_document():
    assert Problem(code="x", message="m").location == "<document>"


def test_warning_is_marked():
    problem = Problem(code="x", message="m", severity="warning", source="a", line=1, column=1)
    assert str(problem) == "a:1:1: warning: m ($)"


def test_document_error_lists_every_problem_and_is_json_able():
    problems = [
        Problem(code="a", message="first", source="f.yaml", line=1, column=1),
        Problem(code="b", message="second", source="f.yaml", line=2, column=1),
    ]
    error = DocumentError(problems)
    text = str(error)
    assert text.splitlines()[0] == "f.yaml: 2 problems"
    assert "first" in text
    assert "second" in text
    payload = json.loads(json.dumps(error.as_json()))
    assert [item["code"] for item in payload] == ["a", "b"]
    assert set(payload[0]) == {"code", "severity", "message", "path", "source", "line", "column"}
    assert isinstance(error, FourrespError)
    assert isinstance(error, ValueError)


def test_document_error_needs_a_problem():
    with pytest.raises(ValueError, match="at least one"):
        DocumentError([])


def test_not_found_error_reads_well():
    error = NotFoundError("no aspect 'x'")
    assert str(error) == "no aspect 'x'"
    assert isinstance(error, LookupError)
