"""Properties of the one loader: round trips, and nothing but the library's own errors."""

from __future__ import annotations

import json

import yaml
from hypothesis import given
from hypothesis import strategies as st

import fourresp
from fourresp import testing
from fourresp._document._convert import shared_converter
from fourresp.content import Framework


@given(testing.frameworks())
def test_structure_unstructure_structure_is_identity(framework):
    converter = shared_converter()
    again = converter.structure(converter.unstructure(framework), Framework)
    assert again == framework
    assert hash(again) == hash(framework)


@given(testing.frameworks())
def test_generated_frameworks_load_back_from_json_yaml_and_mappings(framework):
    document = fourresp.to_document(framework)
    assert fourresp.load(document) == framework
    assert fourresp.load(json.dumps(document, ensure_ascii=False)) == framework
    assert fourresp.load(json.dumps(document).encode()) == framework
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    assert fourresp.load(text, format="yaml") == framework


@given(testing.frameworks())
def test_generated_frameworks_validate_clean(framework):
    assert fourresp.validate(fourresp.to_document(framework)) == ()


@given(st.text(max_size=400))
def test_arbitrary_text_raises_only_library_errors(text):
    try:
        fourresp.load(text)
    except fourresp.DocumentError as exc:
        assert exc.problems
        assert all(problem.message for problem in exc.problems)


@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_library_errors(data):
    try:
        fourresp.load(data)
    except fourresp.DocumentError as exc:
        assert exc.problems


_yaml_pieces = st.sampled_from(
    [
        "kind: framework",
        "id: x",
        "- a",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "&a ",
        "*a",
        "!!str ",
        "!!python/object ",
        "? ",
        "'q'",
        '"\\u0000"',
        "\n",
        "  ",
        "---",
        "...",
        "<<: ",
        "#c",
        "|",
        ">-",
        "1e5",
        ".inf",
        "0x1F",
        "~",
        "%YAML 1.1\n",
    ]
)


@given(st.lists(_yaml_pieces, max_size=40).map("".join))
def test_yaml_shaped_noise_raises_only_library_errors(text):
    try:
        fourresp.load(text, format="yaml")
    except fourresp.DocumentError as exc:
        assert exc.problems


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


@given(_json_values)
def test_arbitrary_json_values_raise_only_library_errors(value):
    for source in (json.dumps(value), {"kind": "framework", "value": value}):
        try:
            fourresp.load(source)
        except fourresp.DocumentError as exc:
            assert exc.problems


@given(testing.framework_documents(), st.data())
def test_a_broken_field_is_reported_at_its_path(document, data):
    index = data.draw(st.integers(0, len(document["responsibilities"]) - 1))
    document["responsibilities"][index]["id"] = 42
    problems = fourresp.validate(document)
    assert [problem.path for problem in problems] == [f"$.responsibilities[{index}].id"]
    assert problems[0].code == "schema"


_REFUSED = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"] + ["\ufffe", "\uffff"]
_FORMS = (
    "id: a{c}b",  # plain value
    "id: 'a{c}b'",  # single-quoted value
    'id: "a{c}b"',  # double-quoted value, the character itself
    "id: |\n  a{c}b",  # block value
    "a{c}b: 1",  # plain key
    "'a{c}b': 1",  # single-quoted key
    'id: "a{e}b"',  # double-quoted value, the character as an escape
    '"a{e}b": 1',  # double-quoted key, the character as an escape
)


@given(char=st.sampled_from(_REFUSED), form=st.sampled_from(_FORMS))
def test_a_character_text_may_not_hold_is_refused_in_every_scalar_form(char, form):
    escape = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    text = "kind: framework\n" + form.format(c=char, e=escape) + "\n"
    problems = fourresp.validate(text)
    assert any(problem.code == "bad-character" for problem in problems), problems


_yaml_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**25), 10**25)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from("ab 01.+-~<:#'\"\\\t\n\x07\ufffeé"), max_size=6)
    | st.sampled_from(["", "null", "true", "No", "0x1F", "1e5", ".inf", "<<", "017", "~"])
)
_yaml_documents = st.recursive(
    _yaml_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet="ab<:1 \x07", max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)


@given(
    value=_yaml_documents,
    style=st.sampled_from([None, "'", '"', "|"]),
    duplicate=st.booleans(),
)
def test_the_yaml_reader_reads_alike_with_and_without_positions(value, style, duplicate):
    from fourresp._document._yaml import _Builder

    text = yaml.safe_dump({"kind": "framework", "body": value}, default_style=style)
    if duplicate:
        text += "kind: again\n"
    limits = fourresp.Limits(max_problems=10_000)
    quick = _Builder(limits=limits, source=None)  # no positions recorded
    general = _Builder(limits=limits, source=None, wanted=set())  # positions recorded
    assert quick.run(text) == general.run(text)
    assert quick.problems == general.problems
    assert (quick.duplicates, quick.fatal_found, quick.more, quick.nodes) == (
        general.duplicates,
        general.fatal_found,
        general.more,
        general.nodes,
    )
