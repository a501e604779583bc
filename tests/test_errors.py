import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fourresp
from fourresp._document._paths import format_path
from fourresp.errors import ArgumentError, DocumentError, FourrespError, NotFoundError, Problem


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


# -- the structured path --------------------------------------------------------------

PARTS = st.lists(
    st.one_of(st.text(max_size=8), st.integers(min_value=0, max_value=10**6)), max_size=6
).map(tuple)


@given(PARTS)
def test_the_json_path_is_made_from_the_parts(parts):
    problem = Problem(code="x", message="m", parts=parts)
    assert problem.path == format_path(parts)
    assert Problem(code="x", message="m", path=problem.path) == problem
    assert Problem(code="x", message="m", path=problem.path, parts=list(parts)) == problem
    moved = attrs.evolve(problem, parts=(*parts, "more"), line=4)
    assert (moved.path, moved.line) == (format_path((*parts, "more")), 4)
    assert attrs.evolve(problem, source="f.yaml").parts == parts


def test_a_problem_is_built_from_parts_or_a_json_path():
    by_parts = Problem(code="x", message="m", parts=("scenes", "lobby", "choices", 1, "goto"))
    assert by_parts.path == "$.scenes.lobby.choices[1].goto"
    by_path = Problem(code="x", message="m", path='$.bands["my group"][0]')
    assert by_path.parts == ("bands", "my group", 0)
    assert Problem(code="x", message="m").parts == ()
    assert Problem(code="x", message="m").path == "$"


def test_a_path_that_is_not_ours_or_disagrees_is_refused():
    with pytest.raises(ArgumentError, match="is not a JSON path"):
        Problem(code="x", message="m", path="$['a']")
    with pytest.raises(ArgumentError, match="name different places"):
        Problem(code="x", message="m", path="$.a", parts=("b",))
    with pytest.raises(ArgumentError, match="change parts"):
        attrs.evolve(Problem(code="x", message="m", parts=("a",)), path="$.b")
    with pytest.raises(ArgumentError, match="a str or an int"):
        Problem(code="x", message="m", parts=("a", 1.5))
    with pytest.raises(ArgumentError, match="a str or an int"):
        Problem(code="x", message="m", parts=(True,))


def test_the_json_shape_is_unchanged_by_subject_and_parts():
    problem = Problem(code="x", message="m", parts=("scenes", "a"), subject="a", first=("b",))
    assert problem.as_json() == {
        "code": "x",
        "severity": "error",
        "message": "m",
        "path": "$.scenes.a",
        "source": None,
        "line": None,
        "column": None,
    }
    assert str(problem) == "<document>: m ($.scenes.a)"


def test_the_diagnostic_spellings_still_work_with_a_warning():
    with pytest.warns(DeprecationWarning, match="pass the tuple as parts="):
        old = Problem(code="x", message="m", path=("scenes", "a"))  # type: ignore[arg-type]
    assert (old.parts, old.path) == (("scenes", "a"), "$.scenes.a")
    with pytest.warns(DeprecationWarning, match=r"use \.path"):
        assert old.json_path == "$.scenes.a"


def test_a_checks_problem_keeps_its_subject_and_parts_once_located():
    text = (
        "kind: scenario\nid: t\nversion: '1.0'\ntitle: T\nintroduction: I.\nstart: a\n"
        "scenes:\n  a:\n    text: A.\n    ending: done\n  b:\n    text: B.\n    ending: done\n"
        "endings:\n  done: {title: D, verdict: v, debrief: d}\n"
    )
    (found,) = [p for p in fourresp.validate(text) if p.severity == "error"]
    assert (found.code, found.subject, found.parts, found.line) == (
        "unreachable-scene",
        "b",
        ("scenes", "b"),
        12,  # the scene's body
    )
