"""Imports check a parsed row as adding checks a pledge, and read a line as json.loads does."""

from __future__ import annotations

import io
import json

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp.errors import DocumentError
from fourresp.supporters import Pledge, open_registry
from fourresp.supporters._records import _parse, _strict

_KEYS = st.sampled_from(["name", "public", "a", ":", ":x", "", 'q\\"', "n\\u0061me"])
_SEPARATORS = st.sampled_from([":", ": ", " :", "\t:", "\r:", " : "])


@st.composite
def _json_lines(draw: st.DrawFn, depth: int = 0) -> str:
    """Objects written by hand, so keys may repeat: colons and quotes in keys and
    texts, spaces before colons, nested objects and lists."""
    texts = ['"Ada"', '":"', '"a\\":"', '" :x"', '"a{b"']
    scalars = st.sampled_from([*texts, "1", "true", "null", "[]"])
    members = []
    for _ in range(draw(st.integers(0, 4))):
        nested = depth < 2 and draw(st.booleans())
        value = draw(_json_lines(depth + 1) if nested else scalars)
        members.append(f'"{draw(_KEYS)}"{draw(_SEPARATORS)}{value}')
    text = "{" + ", ".join(members) + "}"
    return text + draw(st.sampled_from(["", "\n", " ", "\r", " x"])) if depth == 0 else text


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
_lines = st.one_of(
    st.text(max_size=40),
    _json_lines(),
    st.tuples(
        st.sampled_from(["", " ", "\t", "\ufeff", "x"]),
        _values,
        st.sampled_from(["", "\n", "\r\n", " \t\n", "\x0b", "\u00a0", " x", "}", "\n\n"]),
    ).map(lambda parts: parts[0] + json.dumps(parts[1]) + parts[2]),
)


def _outcome(decode, text):
    try:
        return "value", repr(decode(text))  # repr: NaN equals NaN, -0.0 differs from 0.0
    except Exception as exc:  # the same exception, message and all
        return "error", type(exc), str(exc)


@given(_lines)
@settings(max_examples=400)
def test_a_line_is_read_as_json_loads_reads_it(text):
    # _strict is json.loads with the import's refusals (a key twice, an integer of
    # more than 20 digits, NaN and Infinity) as hooks: the quick way gives the same
    assert _outcome(_parse, text) == _outcome(_strict, text)
    if _outcome(_strict, text)[0] == "value":
        assert _outcome(_parse, text) == _outcome(json.loads, text)


# Values that clean (some of them changed by cleaning), and values refused.
_GOOD = {
    "name": ["Ada Lovelace", "  Ada   Lovelace ", "Ümit Çelik", "Grace\tHopper"],
    "pledged_on": ["2026-11-29", "2024-02-29"],
    "framework_version": ["1.0.0", "1.0"],
    "organisation": ["Acme", " Acme  Ltd "],
    "role": ["Trainer", "Learning\ndesigner"],
    "country": ["GB", " no "],
    "email": ["ada@example.org", " ADA@Example.ORG ", "grace@example.org"],
    "key": ["app-1", "app-2"],
    "public": [True, False],
}
_BAD = {
    "name": ["<b>", "", "A" * 101, "Ada\u202eecalevoL", 3],
    "pledged_on": ["2026-02-30", "29/11/2026", 20261129],
    "framework_version": ["one", 1.0],
    "organisation": ["Acme <b>", "", 7],
    "role": ["Ada\x07", "R" * 101],
    "country": ["XX", "UK", 44],
    "email": ["not-an-address", 5],
    "key": ["has space", "", 12],
    "public": ["yes", 1],
}
_REQUIRED = ("name", "pledged_on", "framework_version")


def _rows(values):
    strategies = {field: st.sampled_from(choices) for field, choices in values.items()}
    return st.fixed_dictionaries(
        {field: strategies[field] for field in _REQUIRED},
        optional={field: s for field, s in strategies.items() if field not in _REQUIRED},
    )


_good_rows = _rows(_GOOD)
_any_rows = _rows({field: _GOOD[field] + _BAD[field] for field in _GOOD})
_SALT = "ab" * 32


@given(st.lists(_good_rows, min_size=1, max_size=6) | st.lists(_any_rows, min_size=1, max_size=6))
@settings(max_examples=200, deadline=None)
def test_an_import_keeps_and_refuses_what_adding_does_refused_at_its_line(rows):
    refused = []
    with open_registry(salt=_SALT) as added:
        for line, row in enumerate(rows, start=1):
            try:
                added.add(Pledge(**row))
            except DocumentError as error:
                refused += [(line, p.path, p.message) for p in error.problems]
        kept = [attrs.evolve(s, id=0) for s in added.supporters()]  # ids may skip
    text = "".join(json.dumps(row) + "\n" for row in rows)
    with open_registry(salt=_SALT) as imported:
        if refused:  # every problem at its line, and nothing written
            with pytest.raises(DocumentError) as caught:
                imported.import_from(io.StringIO(text))
            assert [(p.line, p.path, p.message) for p in caught.value.problems] == refused
            assert imported.count() == 0
        else:  # the same supporters, cleaned alike, the first of each person kept
            assert imported.import_from(io.StringIO(text)) == len(kept)
            assert [attrs.evolve(s, id=0) for s in imported.supporters()] == kept


def test_a_number_of_thousands_of_digits_is_a_problem_at_its_line():
    good = '{"name": "Ada", "pledged_on": "2026-11-29", "framework_version": "1.0.0"}\n'
    text = good + '{"name": 1' + "0" * 5000 + "}\n"
    with open_registry() as registry:
        with pytest.raises(DocumentError) as caught:
            registry.import_from(io.StringIO(text))
        [problem] = caught.value.problems
        assert problem.line == 2
        assert problem.message == "not valid JSON: an integer of 5,001 digits (at most 20)"
        assert registry.count() == 0
