"""JSON Lines reading: blank lines, and a byte-order mark with nothing after it."""

from __future__ import annotations

import io

import pytest

from fourresp import supporters
from fourresp._document._lines import jsonl_lines
from fourresp.assessment import load_questionnaire, score_batch, score_rows


@pytest.mark.parametrize("text", ["", "\ufeff", "\ufeff\n", "\n", " \n", "\ufeff \n\n"])
def test_a_stream_of_blank_lines_yields_nothing(text):
    # a file holding only a byte-order mark (an editor's "empty" UTF-8 file) is blank
    assert list(jsonl_lines(io.StringIO(text), 100)) == []


def test_a_bom_only_stream_imports_no_supporters():
    registry = supporters.open_registry()
    assert registry.import_from(io.StringIO("\ufeff")) == 0


def test_a_bom_only_batch_has_no_rows():
    questionnaire = load_questionnaire()
    assert list(score_batch(io.StringIO("\ufeff"), questionnaire, format="jsonl")) == []
    assert list(score_rows(io.StringIO("\ufeff"), questionnaire, format="jsonl")) == []
