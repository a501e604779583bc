"""The shipped JSON Schemas: well-formed, documented for authors, resolved locally only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import fourresp
from fourresp._document import _schemas


@pytest.fixture(params=fourresp.schema_names())
def named_schema(request):
    return request.param, fourresp.schema(request.param)


def test_every_schema_is_valid_draft_2020_12_with_an_id(named_schema):
    name, body = named_schema
    Draft202012Validator.check_schema(body)
    assert body["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert body["$id"].endswith(f"/{name}.schema.json")


def _properties(node: Any, path: str = "$") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        for key, value in (node.get("properties") or {}).items():
            yield f"{path}.properties.{key}", value
        for key, value in node.items():
            yield from _properties(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{path}[{index}]")


def test_every_property_has_a_title_and_description(named_schema):
    _, body = named_schema
    for where, prop in _properties(body):
        assert prop.get("title"), f"{where} has no title"
        assert prop.get("description"), f"{where} has no description"


def test_schema_returns_a_copy():
    first = fourresp.schema("framework")
    first["title"] = "changed"
    assert fourresp.schema("framework")["title"] != "changed"


def test_unknown_schema_name():
    with pytest.raises(fourresp.SchemaNotFoundError, match="framework"):
        fourresp.schema("nope")


def _references(node, found):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.append(node["$ref"])
        for value in node.values():
            _references(value, found)
    elif isinstance(node, list):
        for value in node:
            _references(value, found)
    return found


def test_every_reference_resolves_locally():
    # Each $ref of each published schema, looked up from that schema's own id in the
    # library's registry: an unresolved one raises; nothing is ever fetched.
    registry = _schemas._registry()
    checked = 0
    for name in fourresp.schema_names():
        published = fourresp.schema(name)
        resolver = registry.resolver(base_uri=published["$id"])
        for reference in _references(published, []):
            target = resolver.lookup(reference).contents
            assert isinstance(target, dict), (name, reference)
            assert target, (name, reference)
            checked += 1
    assert checked >= 20  # the schemas share their definitions through $ref


def test_an_unknown_reference_is_a_clear_error_never_a_fetch(monkeypatch):
    from jsonschema import Draft202012Validator

    bad = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "https://example.com/elsewhere.json",
    }
    validator = Draft202012Validator(bad, registry=_schemas._registry())
    monkeypatch.setitem(_schemas._raw_schemas(), "bad", bad)
    monkeypatch.setattr(_schemas, "validator_for", lambda name: validator)
    monkeypatch.setattr(_schemas, "_quick_check", lambda name: lambda instance: False)
    with pytest.raises(fourresp.SchemaNotFoundError, match="never fetched"):
        list(_schemas.schema_problems("bad", {}))


def test_schemas_are_files_in_the_package():
    from importlib import resources

    folder = resources.files("fourresp").joinpath("schemas")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".schema.json"))
    assert names == [f"{name}.schema.json" for name in fourresp.schema_names()]
    for name in names:
        json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
