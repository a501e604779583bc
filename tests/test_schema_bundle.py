"""`fourresp schema NAME` prints a schema that stands alone: no registry, no network."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

import fourresp
from fourresp.cli import main
from fourresp.content import load_framework
from fourresp.scenario import load_scenario


def _refuse(uri):
    raise NoSuchResource(ref=uri)


OFFLINE = Registry(retrieve=_refuse)  # resolves nothing outside the schema itself


@pytest.mark.parametrize("name", fourresp.schema_names())
def test_every_bundled_schema_resolves_on_its_own(name, capsys):
    assert main(["schema", name]) == 0
    bundled = json.loads(capsys.readouterr().out)
    assert bundled == fourresp.schema(name, bundle=True)
    Draft202012Validator.check_schema(bundled)
    references = set(re.findall(r'"\$ref": "([^"]*)"', json.dumps(bundled)))
    assert all(reference.startswith("#/") for reference in references)
    resolver = OFFLINE.with_resource(bundled["$id"], DRAFT202012.create_resource(bundled)).resolver(
        base_uri=bundled["$id"]
    )
    for reference in references:
        assert isinstance(resolver.lookup(reference).contents, dict)


@pytest.mark.parametrize(
    ("name", "document"),
    [("scenario", load_scenario), ("framework", load_framework)],
)
def test_a_bundled_schema_judges_documents_as_the_library_does(name, document):
    validator = Draft202012Validator(fourresp.schema(name, bundle=True), registry=OFFLINE)
    good = fourresp.to_document(document())
    assert list(validator.iter_errors(good)) == []
    bad = {**good, "id": "Not An Identifier!"}
    assert [list(error.absolute_path) for error in validator.iter_errors(bad)] == [["id"]]
    assert any(problem.path == "$.id" for problem in fourresp.validate(bad))
