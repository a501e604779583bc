"""The schemas' quick checks agree with jsonschema, and explaining with them changes no error.

The loader's schema stage asks a compiled yes/no check first and lets jsonschema
explain only what it refuses, skipping every part it accepts. Both are safe only
if the check never accepts what jsonschema refuses; these properties check that
(and that it is exact: it refuses nothing jsonschema accepts, or the quick path
would be lost) on generated documents of every kind, valid and broken.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import fourresp
from fourresp import testing
from fourresp._document import _schemas
from fourresp._document._quickcheck import SchemaChecks, _equal
from fourresp.content import default_pack_path

_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values that sit on the edges the schemas draw: types, lengths, patterns, ranges.
_EDGES = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        1,
        -1,
        1.0,
        1.5,
        100,
        101,
        2**63,
        float("inf"),
        float("nan"),
        "",
        " ",
        "x",
        "Bad Id",
        "ok-id",
        "a--b",
        "1.0",
        "+",
        "==",
        "by-rules",
        "x" * 65,
        "x" * 20_001,
        "\ud800",
        [],
        [1],
        {},
        {"x": 1},
        {"visited": "s"},
        {"var": "v", "op": "==", "value": True},
        {"all": []},
    ]
)
_JSON = st.recursive(
    _EDGES | st.text(max_size=6) | st.integers() | st.floats(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in ``node``, the root included."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*path, index))
    return found


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _nudged(draw: st.DrawFn, value: Any) -> Any:
    """``value`` changed a little, keeping its type: onto the edges the schemas draw."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + draw(st.sampled_from([-1, 1, -101, 101, 2**53]))
    if isinstance(value, str):
        longer = [value + "x" * 64, value + "x" * 20_000, value * 2, value + "\ud800"]
        return draw(st.sampled_from(["", " ", value + " ", value.upper(), "-" + value, *longer]))
    if isinstance(value, list):
        return value[1:] if value and draw(st.booleans()) else [*value, *value[:1]] or [{}]
    if isinstance(value, dict) and value:
        dropped = draw(st.sampled_from(list(value)))
        return {key: item for key, item in value.items() if key != dropped}
    return draw(_JSON)


@st.composite
def _broken(draw: st.DrawFn, documents: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """A document from ``documents``, then a few values replaced, keys dropped or added."""
    document = copy.deepcopy(draw(documents))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(_places(document)))
        if not path:
            continue
        parent, last = _at(document, path[:-1]), path[-1]
        action = draw(st.sampled_from(["nudge", "nudge", "replace", "drop", "add"]))
        if action == "nudge":
            parent[last] = _nudged(draw, parent[last])
        elif action == "replace":
            parent[last] = draw(_JSON)
        elif action == "drop":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["x", "text", "id", "op", "not", last]))] = draw(_JSON)
        else:
            parent.append(draw(_JSON))
    return document


def _plain(name: str) -> Draft202012Validator:
    """jsonschema as the loader ran it before the quick checks: every part visited."""
    return Draft202012Validator(
        _schemas._flat(name),
        registry=_schemas._registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _problems_without_the_quick_checks(name: str, document: Any) -> list[Any]:
    with (
        mock.patch.object(_schemas, "_quick_check", return_value=lambda _value: False),
        mock.patch.object(_schemas, "validator_for", _plain),
    ):
        return list(_schemas.schema_problems(name, document))


def _agree(name: str, document: Any) -> None:
    valid = _plain(name).is_valid(document)
    assert _schemas._quick_check(name)(document) == valid
    problems = list(_schemas.schema_problems(name, document))
    assert problems == _problems_without_the_quick_checks(name, document)
    assert (not problems) == valid


def _questionnaire_documents() -> st.SearchStrategy[dict[str, Any]]:
    return testing.questionnaires(max_items=5).map(fourresp.to_document)


@st.composite
def _response_documents(draw: st.DrawFn) -> dict[str, Any]:
    questionnaire = draw(testing.questionnaires(max_items=4))
    return fourresp.to_document(draw(testing.responses(questionnaire, skips=True)))


def _day_in_the_life() -> dict[str, Any]:
    from fourresp.scenario import load_scenario

    return fourresp.to_document(load_scenario())


@_SETTINGS
@given(_broken(testing.scenario_documents(variants=True, max_scenes=6)))
def test_scenarios_quick_check_agrees_with_jsonschema(document):
    _agree("scenario", document)


@_SETTINGS
@given(_broken(st.builds(_day_in_the_life)))
def test_the_shipped_scenario_broken_anywhere_agrees(document):
    _agree("scenario", document)


@_SETTINGS
@given(_broken(testing.framework_documents(max_responsibilities=3, max_aspects=3)))
def test_frameworks_quick_check_agrees_with_jsonschema(document):
    _agree("framework", document)


@_SETTINGS
@given(_broken(_questionnaire_documents()))
def test_questionnaires_quick_check_agrees_with_jsonschema(document):
    _agree("questionnaire", document)


@_SETTINGS
@given(_broken(_response_documents()))
def test_responses_quick_check_agrees_with_jsonschema(document):
    _agree("response", document)


@_SETTINGS
@given(st.sampled_from(fourresp.schema_names()), _JSON)
def test_any_value_against_any_schema_agrees(name, value):
    _agree(name, value)


def test_the_shipped_documents_pass_the_quick_checks():
    framework = json.loads(json.dumps(fourresp.to_document(fourresp.load(default_pack_path()))))
    assert _schemas._quick_check("framework")(framework)
    assert _schemas._quick_check("scenario")(_day_in_the_life())


# -- the check's own semantics, beyond what the library's schemas use ----------------

_KEYWORD_SCHEMAS = [
    {"not": {"type": "string"}},
    {"oneOf": [{"type": "integer"}, {"minimum": 0}]},
    {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "null"}},
    {"if": {"uniqueItems": True}, "then": {"type": "array"}},
    {"not": {"uniqueItems": True}},
    {"patternProperties": {"^a": {"type": "integer"}}, "additionalProperties": False},
    {"enum": [1, "1", None, [1], {"a": True}]},
    {"const": [1, {"a": [False]}]},
    {"exclusiveMinimum": 0, "exclusiveMaximum": 1},
    {"type": ["integer", "null"], "maximum": 3},
    {"items": False},
    {"maxProperties": 1, "minProperties": 1, "required": ["a"]},
    {"format": "email"},
]


@pytest.mark.parametrize("schema", _KEYWORD_SCHEMAS, ids=json.dumps)
@settings(max_examples=60, deadline=None)
@given(value=_JSON)
def test_every_keyword_is_sound_and_exact_where_it_claims(schema, value):
    def resolve(uri: str) -> tuple[str, Any]:
        raise fourresp.SchemaNotFoundError(uri)

    check = SchemaChecks(resolve).compile(schema, "https://fourresp.dev/test.json")
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    if "uniqueItems" in json.dumps(schema):
        # keywords it does not implement: never a yes that jsonschema says no to
        assert not check(value) or validator.is_valid(value)
    else:
        assert check(value) == validator.is_valid(value)


def test_a_reference_it_cannot_resolve_is_left_to_jsonschema():
    def resolve(uri: str) -> tuple[str, Any]:
        raise fourresp.SchemaNotFoundError(uri)

    check = SchemaChecks(resolve).compile({"$ref": "elsewhere.json"}, "https://fourresp.dev/")
    assert not check({})


@_SETTINGS
@given(_JSON, _JSON)
def test_equal_is_jsonschemas_equal(one, two):
    from jsonschema._utils import equal

    if any(isinstance(x, float) and math.isnan(x) for x in (one, two)):
        return  # NaN is never a document value: the reader refuses it
    assert _equal(one, two) == equal(one, two)
