"""Every hostile document is refused with the library's own error, naming where."""

from __future__ import annotations

import json

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
    assert lines
    assert all(text.startswith(str(path)) for text in lines)
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


# -- the one number and text policy ------------------------------------------------

POLICY_CASES = {
    "yaml-infinite-float": ("kind: framework\nversion: 1.0e+999\n", "bad-scalar", "$.version", 2),
    "yaml-long-hex": ("kind: framework\nid: 0x" + "f" * 5_000 + "\n", "bad-scalar", "$.id", 2),
    "yaml-long-integer": ("kind: framework\nid: " + "9" * 5_000 + "\n", "bad-scalar", "$.id", 2),
    "yaml-explicit-int": (
        "kind: framework\nid: !!int " + "9" * 5_000 + "\n",
        "bad-scalar",
        "$.id",
        2,
    ),
    "yaml-explicit-float": ("kind: framework\nid: !!float 1e999\n", "bad-scalar", "$.id", 2),
    "yaml-control-escape": ('kind: framework\nid: "a\\x1b[2Jb"\n', "bad-character", "$.id", 2),
    "yaml-fffe": ('kind: framework\nid: "a\\uFFFE"\n', "bad-character", "$.id", 2),
    "yaml-control-key": ('kind: framework\n"a\\x07": 1\n', "bad-character", '$["a\\u0007"]', 2),
    "json-1e400": ('{"kind": "framework",\n "version": 1e400}', "bad-scalar", "$.version", 2),
    "json-long-integer": (
        '{"kind": "framework",\n "version": ' + "9" * 5_000 + "}",
        "bad-scalar",
        "$.version",
        2,
    ),
    "json-long-float": (
        '{"kind": "framework",\n "version": 0.' + "1" * 5_000 + "}",
        "bad-scalar",
        "$.version",
        2,
    ),
    "json-lone-surrogate": ('{"kind": "framework",\n "id": "\\ud800"}', "bad-character", "$.id", 2),
    "json-control": ('{"kind": "framework",\n "id": "\\u0001"}', "bad-character", "$.id", 2),
    "json-ffff": ('{"kind": "framework",\n "id": "\\uffff"}', "bad-character", "$.id", 2),
}


@pytest.mark.parametrize("name", sorted(POLICY_CASES))
def test_numbers_and_text_are_refused_with_a_located_problem(name):
    text, code, path, line = POLICY_CASES[name]
    problems = fourresp.validate(text)
    hits = [problem for problem in problems if problem.code == code]
    assert hits, problems
    assert hits[0].path == path
    assert hits[0].line == line
    with pytest.raises(fourresp.DocumentError):
        fourresp.load(text)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (float("inf"), "bad-scalar"),
        (float("nan"), "bad-scalar"),
        (10**5000, "bad-scalar"),
        ("\ud800", "bad-character"),
        ("a\x00b", "bad-character"),
        ("\ufffe", "bad-character"),
    ],
    ids=["inf", "nan", "huge-int", "surrogate", "nul", "fffe"],
)
def test_mappings_passed_to_the_api_follow_the_same_policy(value, code):
    problems = fourresp.validate({"kind": "framework", "id": value})
    assert (code, "$.id") in {(problem.code, problem.path) for problem in problems}


def test_numbers_within_the_policy_are_read():
    document = "a: 12345678901234567890\nb: -0.5\nc: 1.5e+10\nd: 0x1F\ne: 'tab\\tand\\nlines'\n"
    from fourresp._document._yaml import read_yaml

    assert read_yaml(document, limits=fourresp.DEFAULT_LIMITS, source=None) == {
        "a": 12345678901234567890,
        "b": -0.5,
        "c": 1.5e10,
        "d": 31,
        "e": "tab\\tand\\nlines",
    }
    limits = fourresp.Limits(max_number_digits=2)
    assert [p.code for p in fourresp.validate("[100]", limits=limits)] == [
        "unknown-kind",
        "bad-scalar",
    ]


# -- everything reported at once, at most N ----------------------------------------

FIVE_DEFECTS = """\
kind: scenario
id: five-defects
version: "1.0.0"
framework: four-responsibilities
title: Five defects
introduction: One run reports all five.
start: a
scenes:
  a:
    text: First.
    text: Duplicate.
    choices:
      - id: go
        text: Go on.
        goto: nowhere
      - id: end
        text: Finish.
        goto: b
        effects:
          marks:
            - {aspect: no-such-aspect, sign: "+"}
          set:
            - {var: mood, add: 1}
  b:
    text: The end.
    ending: done
  island:
    text: Nobody comes here.
    ending: done
endings:
  done:
    title: Done
    verdict: done
    debrief: Done.
"""


def test_a_duplicate_key_does_not_hide_the_other_defects():
    errors = [p for p in fourresp.validate(FIVE_DEFECTS) if p.severity == "error"]
    found = {(p.code, p.line) for p in errors}
    assert ("duplicate-key", 11) in found
    assert ("unknown-target", 15) in found
    assert ("unknown-aspect", 21) in found
    assert ("undeclared-variable", 23) in found
    assert ("unreachable-scene", 28) in found
    with pytest.raises(fourresp.DocumentError) as caught:
        fourresp.load(FIVE_DEFECTS)
    assert len(caught.value.problems) == len(errors)


def test_schema_problems_do_not_hide_the_checks_when_the_document_can_be_read():
    text = FIVE_DEFECTS.replace('version: "1.0.0"', "version: 1.0.0x").replace(
        "- id: go", "- id: Go Bad"
    )
    codes = [p.code for p in fourresp.validate(text)]
    assert codes.count("schema") == 2
    assert {"duplicate-key", "unknown-target", "unreachable-scene"} <= set(codes)


def _wrong_answers(count: int) -> str:
    answers = ",".join(f'"q{i}": "x"' for i in range(count))
    return (
        '{"kind": "response", "questionnaire": "q", "version": "1.0", "answers": {' + answers + "}}"
    )


def test_at_most_max_problems_are_reported_and_the_rest_counted():
    everything = fourresp.validate(_wrong_answers(150), limits=fourresp.Limits(max_problems=500))
    assert len(everything) == 150
    problems = fourresp.validate(_wrong_answers(150), limits=fourresp.Limits(max_problems=20))
    assert len(problems) == 21
    assert set(problems[:20]) <= set(everything)
    assert problems[-1].code == "too-many-problems"
    assert problems[-1].message.startswith("and 130 more problems not listed")
    document = "kind: framework\n" + "".join(f"k{i}: .inf\n" for i in range(50))
    problems = fourresp.validate(document, limits=fourresp.Limits(max_problems=5))
    assert [p.code for p in problems] == ["bad-scalar"] * 5 + ["too-many-problems"]
    assert [p.line for p in problems[:5]] == [2, 3, 4, 5, 6]


def test_many_wrong_values_are_counted_without_being_kept():
    problems = fourresp.validate(_wrong_answers(20_000), limits=fourresp.Limits(max_problems=10))
    assert len(problems) == 11
    assert problems[-1].code == "too-many-problems"
    assert "at least 100 more" in problems[-1].message
    assert all(p.line == 1 and p.column is not None for p in problems[:-1])


# -- terminals, input lines, the command line ---------------------------------------


def test_terminal_text_escapes_what_a_terminal_would_act_on():
    from fourresp.cli._common import terminal_text

    assert terminal_text("plain\ttext\nline two é ✓") == "plain\ttext\nline two é ✓"
    assert terminal_text("\x1b[2Jgone\r\x07") == "\\x1b[2Jgone\\x0d\\x07"
    assert terminal_text("\x9b31m \x7f") == "\\x9b31m \\x7f"
    assert terminal_text("abc\u202edcb \udce9") == "abc\\u202edcb \\udce9"


def test_read_line_caps_what_it_keeps():
    import io

    from fourresp.cli._common import read_line

    stream = io.StringIO("x" * 100_000 + "\n2\n")
    first = read_line(stream, limit=10)
    assert first == "x" * 10 + "\n"
    assert read_line(stream, limit=10) == "2\n"
    assert read_line(stream, limit=10) == ""
    assert read_line(io.StringIO("y" * 25), limit=10) == "y" * 10 + "\n"


def test_argv_that_is_not_utf8_is_a_one_line_usage_error(capsys):
    assert main(["validate", "caf\udce9.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "argument 2" in err
    assert "\\udce9" in err


def test_validate_prints_escape_sequences_from_the_input_escaped(tmp_path, capsys):
    path = tmp_path / "evil.yaml"
    path.write_text('kind: framework\nid: "\\e[31mred\\u202e"\n', encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "U+001B" in out


# -- text that reaches outputs ----------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(
    label=st.text(max_size=20),
    message=st.text(max_size=20),
    title=st.none() | st.text(max_size=20),
    link=st.none() | st.text(max_size=10).map(lambda tail: "https://example.org/" + tail),
)
def test_badges_are_well_formed_svg_or_an_argument_error(label, message, title, link):
    import xml.dom.minidom

    from fourresp.badges import badge
    from fourresp.errors import ArgumentError

    try:
        svg = badge(label, message, title=title, links=link)
    except ArgumentError:
        assert link is not None
        return
    xml.dom.minidom.parseString(svg.encode("utf-8"))


@pytest.mark.parametrize(
    "arguments",
    [
        {"links": "https://example.org/\ufffe"},
        {"links": "https://example.org/\ud800"},
        {"links": 5},
        {"title": 5},
    ],
    ids=["fffe-link", "surrogate-link", "int-link", "int-title"],
)
def test_badge_arguments_that_cannot_be_written_are_argument_errors(arguments):
    from fourresp.badges import badge
    from fourresp.errors import ArgumentError

    with pytest.raises(ArgumentError):
        badge("label", "message", **arguments)


def test_a_verify_value_xml_cannot_carry_is_an_argument_error():
    from fourresp.badges import badge, bake
    from fourresp.errors import ArgumentError

    with pytest.raises(ArgumentError, match="U\\+0001"):
        bake(badge("a", "b"), verify="jws\x01")


@pytest.mark.parametrize(
    "answers", [None, 5, "q1", [("q1", 1)]], ids=["none", "int", "str", "list"]
)
def test_response_answers_of_the_wrong_type_are_an_argument_error(answers):
    from fourresp.assessment import Response
    from fourresp.errors import ArgumentError

    with pytest.raises(ArgumentError, match="answers are a mapping"):
        Response(questionnaire="q", version="1.0", answers=answers)


def test_validate_max_problems_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "many.yaml"
    path.write_text("kind: framework\n" + "".join(f"k{i}: .inf\n" for i in range(30)))
    assert main(["validate", "--max-problems", "4", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert "more problems not listed" in lines[-1]


# -- the JSON locator against a brute-force oracle ----------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=20,
)


def _all_paths(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _all_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _all_paths(child, (*path, index))


@settings(max_examples=300, deadline=None)
@given(value=_json_values, indent=st.sampled_from([None, 0, 2]), data=st.data())
def test_json_locate_places_every_path_where_its_value_starts(value, indent, data):
    import json

    from fourresp._document._json import json_locate

    text = json.dumps(value, indent=indent, ensure_ascii=data.draw(st.booleans()))
    paths = list(_all_paths(value))
    wanted = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4))
    positions = json_locate(text, [path for path, _ in wanted])[0]
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    decoder = json.JSONDecoder()
    for path, expected in wanted:
        line, column = positions[path]
        # the oracle: decoding from that place gives the value at that path
        assert decoder.raw_decode(text, offsets[line - 1] + column - 1)[0] == expected


@settings(max_examples=200, deadline=None)
@given(keys=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=8))
def test_json_duplicate_keys_are_all_found_with_their_first_line(keys):
    from fourresp._document._json import json_locate

    text = "{\n" + ",\n".join(f'"{key}": {index}' for index, key in enumerate(keys)) + "\n}"
    problems = json_locate(text, (), duplicates=True)[1]
    expected = [
        (index + 2, keys.index(key) + 2)
        for index, key in enumerate(keys)
        if keys.index(key) != index
    ]
    found = [(p.line, int(p.message.split("first at line ")[1].split(")")[0])) for p in problems]
    assert found == expected


def test_a_key_with_a_lone_surrogate_is_named_in_a_path_that_can_be_written(tmp_path, capsys):
    path = tmp_path / "keys.json"
    path.write_text('{"kind": "framework", "\\ud800x": 1}', encoding="utf-8")
    assert main(["validate", "--format", "json", str(path)]) == 1
    report = capsys.readouterr().out
    report.encode("utf-8")  # no lone surrogate reaches the output
    assert '$[\\"\\\\ud800x\\"]' in report


def test_read_line_caps_bytes_on_a_byte_stream():
    import io

    from fourresp.cli._common import read_line

    stream = io.TextIOWrapper(io.BytesIO(b"\xff" + b"x" * 50 + b"\n\xc3\xa9\n"), encoding="utf-8")
    assert read_line(stream, limit=10) == "\ufffd" + "x" * 9 + "\n"
    assert read_line(stream, limit=10) == "é\n"
    assert read_line(stream, limit=10) == ""


# -- the API: wrong-typed and hostile arguments are the library's own errors ---------


def _emblem_name_number():
    from fourresp.badges import emblem

    emblem(name=5)


def _resume_a_path_name(tmp_path):
    from fourresp.scenario import Runner, load_scenario

    runner = Runner(load_scenario())
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(runner.save(runner.start())), encoding="utf-8")
    runner.resume(str(saved))  # a path given as text, not a document


def _questionnaire():
    from fourresp.assessment import load_questionnaire

    return load_questionnaire()


def _score(answers=None, response=None):
    from fourresp.assessment import Response, score

    questionnaire = _questionnaire()
    if response is None:
        response = Response(
            questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
        )
    score(questionnaire, response)


def _rows_from(source):
    from fourresp.assessment import score_rows

    list(score_rows(source, _questionnaire(), format="jsonl"))


def _scenario_object(make):
    from fourresp.scenario import Runner, check_scenario

    (Runner if make == "runner" else check_scenario)({"id": "not-a-scenario"})


def _seed_text():
    from fourresp.scenario import Runner, load_scenario

    Runner(load_scenario(), seed="1")


def _add_supporter(**fields):
    import tempfile

    from fourresp.supporters import Pledge, open_registry

    pledge = {"name": "A", "pledged_on": "2026-01-01", "framework_version": "1.0"}
    with tempfile.TemporaryDirectory() as folder:
        open_registry(f"{folder}/s.db").add(Pledge(**{**pledge, **fields}))


def _search_supporters(prefix, **options):
    import tempfile

    from fourresp.supporters import open_registry

    with tempfile.TemporaryDirectory() as folder:
        open_registry(f"{folder}/s.db").search(prefix, **options)


def _bar(percent, bars=None):
    from fourresp.charts import Bar, bar_chart

    bar_chart("T", bars if bars is not None else [Bar(label="a", percent=percent)])


def _load_nul_path():
    import pathlib

    fourresp.load(pathlib.Path("a\x00b.yaml"))


def _statements_without_actor():
    from fourresp.assessment import Response, score
    from fourresp.xapi import questionnaire_statements

    questionnaire = _questionnaire()
    response = Response(questionnaire=questionnaire.id, version=questionnaire.version, answers={})
    result = score(questionnaire, response)
    questionnaire_statements(
        questionnaire, response, result, actor=None, activity_base="https://example.org/x"
    )


def _import_supporters(source):
    import tempfile

    from fourresp.supporters import open_registry

    with tempfile.TemporaryDirectory() as folder:
        open_registry(f"{folder}/s.db").import_from(source)


API_CASES = {
    "emblem-name-number": (_emblem_name_number, "emblem(name=5): text arguments checked"),
    # a fresh corpus: each was an AttributeError, TypeError or ValueError before
    "answers-key-none": (lambda: _score({None: 3}), "a key that is not text"),
    "score-a-mapping": (lambda: _score(response={"answers": {}}), "a mapping for a Response"),
    "rows-binary-stream": (lambda: _rows_from(__import__("io").BytesIO(b"{}\n")), "bytes"),
    "rows-not-a-stream": (lambda: _rows_from(5), "an int for a stream"),
    "runner-of-a-mapping": (lambda: _scenario_object("runner"), "a mapping for a Scenario"),
    "check-a-mapping": (lambda: _scenario_object("check"), "a mapping for a Scenario"),
    "seed-as-text": (_seed_text, "a seed of '1'"),
    "load-path-with-nul": (_load_nul_path, "a path holding NUL"),
    "supporter-name-surrogate": (lambda: _add_supporter(name="A\ud800"), "UnicodeEncodeError"),
    "supporter-email-surrogate": (
        lambda: _add_supporter(email="\ud800@example.org"),
        "UnicodeEncodeError",
    ),
    "supporters-search-surrogate": (lambda: _search_supporters("\ud800"), "UnicodeEncodeError"),
    "bar-percent-huge-integer": (lambda: _bar(10**400), "OverflowError"),
    "bar-percent-text": (lambda: _bar("50"), "TypeError"),
    "bar-chart-of-mappings": (lambda: _bar(None, bars=[{"label": "a"}]), "AttributeError"),
    "agent-mbox-number": (lambda: __import__("fourresp.xapi").xapi.agent(mbox=5), "AttributeError"),
    "statements-actor-none": (_statements_without_actor, "TypeError"),
    "surveyjs-of-none": (
        lambda: __import__("fourresp.exchange").exchange.to_surveyjs(None),
        "None",
    ),
    "supporters-import-bytes": (lambda: _import_supporters(__import__("io").BytesIO(b"")), "bytes"),
    "supporters-search-limit-none": (lambda: _search_supporters("a", limit=None), "TypeError"),
}


@pytest.mark.parametrize("name", sorted(API_CASES))
def test_api_hostile_arguments_raise_library_errors_quickly(name):
    import time

    from fourresp.errors import FourrespError

    started = time.perf_counter()
    with pytest.raises(FourrespError):
        API_CASES[name][0]()
    assert time.perf_counter() - started < 10


def test_resume_reads_a_path_given_as_text(tmp_path):
    _resume_a_path_name(tmp_path)


# -- the tree check against the plain recursive walk it replaces ---------------------


def _plain_walk(value, limits, path=(), depth=0):
    """The oracle: (copy, problems) by plain recursion, as the policy reads."""
    import math

    from fourresp._document._tree import integer_problem, text_problem

    if isinstance(value, str):
        problem = text_problem(value)
        return value, ([("bad-character", path)] if problem else [])
    if value is None or isinstance(value, bool):
        return value, []
    if isinstance(value, int):
        return (None, [("bad-scalar", path)]) if integer_problem(value, limits) else (value, [])
    if isinstance(value, float):
        return (value, []) if math.isfinite(value) else (None, [("bad-scalar", path)])
    problems = []
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            if text_problem(key):
                problems.append(("bad-character", (*path, key)))
            out[key], found = _plain_walk(child, limits, (*path, key), depth + 1)
            problems += found
        return out, problems
    out = []
    for index, child in enumerate(value):
        copied, found = _plain_walk(child, limits, (*path, index), depth + 1)
        out.append(copied)
        problems += found
    return out, problems


_policy_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**25), 10**25)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.sampled_from("ab \t\x00\x1b\ufffe\ud800é"), max_size=4)
)
_policy_values = st.recursive(
    _policy_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(alphabet="ab\x07", max_size=3), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(value=_policy_values)
def test_the_tree_check_agrees_with_the_plain_walk(value):
    import math

    from fourresp._document._tree import plain_copy

    limits = fourresp.Limits(max_problems=10_000)
    copied, found = plain_copy(value, limits=limits)
    expected, problems = _plain_walk(value, limits)

    def same(a, b):
        if isinstance(a, float) and isinstance(b, float):
            return a == b or (math.isnan(a) and math.isnan(b))
        if isinstance(a, dict):
            return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list):
            return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
        return type(a) is type(b) and a == b

    assert same(copied, expected)
    assert sorted((code, path) for code, _, path in found) == sorted(problems)


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ((5,), {}, "ArgumentError"),
        ((None,), {}, "ArgumentError"),
        (("kind: framework",), {"limits": 5}, "ArgumentError"),
        (("kind: framework",), {"format": "xml"}, "ArgumentError"),
        (("kind: framework",), {"kind": ["framework"]}, "UnknownKindError"),
    ],
    ids=["int-source", "none-source", "int-limits", "xml-format", "list-kind"],
)
def test_wrong_typed_loader_arguments_are_library_errors(args, kwargs, error):
    with pytest.raises(fourresp.FourrespError) as caught:
        fourresp.validate(*args, **kwargs)
    assert type(caught.value).__name__ == error


@pytest.mark.parametrize(
    "verify",
    [" h.p.s", "h.p.s\n", "{abc", "[1]", "a b", "\u009b[2J", "\u202eh.p.s", "h\u200b.p.s"],
    ids=["space", "newline", "brace", "bracket", "inner-space", "c1", "bidi", "zero-width"],
)
@pytest.mark.parametrize("image", ["svg", "png"])
def test_bake_refuses_a_verify_value_that_would_not_read_back(verify, image):
    from fourresp.badges import badge, bake, to_png
    from fourresp.errors import ArgumentError

    picture = badge("a", "b") if image == "svg" else to_png(badge("a", "b"))
    with pytest.raises(ArgumentError, match="verify"):
        bake(picture, verify=verify)


@pytest.mark.parametrize("verify", ["\x1b[2J", "\u009b[2J", "{x", "a b"])
def test_unbake_refuses_a_baked_verify_value_no_jws_or_url_could_be(verify):
    import struct
    import zlib

    from fourresp.badges import badge, bake, to_png, unbake
    from fourresp.errors import DocumentError

    png = bake(to_png(badge("a", "b")), verify="h.p.s")
    body = b"openbadgecredential\x00\x00\x00\x00\x00" + verify.encode()
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + body))
    start = png.index(b"openbadgecredential") - 8  # the chunk bake wrote, replaced
    end = start + 12 + struct.unpack(">I", png[start : start + 4])[0]
    with pytest.raises(DocumentError, match=r"verify|JSON"):  # '{x' reads as broken JSON
        unbake(png[:start] + chunk + png[end:])
    if verify == "\x1b[2J":
        return  # XML cannot carry U+001B at all
    svg = bake(badge("a", "b"), verify="h.p.s").replace('verify="h.p.s"', f'verify="{verify}"')
    with pytest.raises(DocumentError, match="verify"):
        unbake(svg)


def test_twee_problems_are_capped_and_the_rest_counted():
    from fourresp.errors import DocumentError
    from fourresp.exchange import from_twee

    story = ':: StoryData\n{"start": "start"}\n\n' + "::\n" * 5_000
    with pytest.raises(DocumentError) as caught:
        from_twee(story, filename="many.twee")
    problems = caught.value.problems
    assert len(problems) == fourresp.DEFAULT_LIMITS.max_problems + 1
    assert problems[-1].code == "too-many-problems"
    assert "4,900 more problems" in problems[-1].message
