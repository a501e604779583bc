"""Twine (Twee 3) export and import, and the export and import commands."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fourresp
from fourresp import testing
from fourresp.cli import main
from fourresp.errors import DocumentError
from fourresp.exchange import from_twee, to_twee
from fourresp.scenario import load_scenario

# -- Twine / Twee 3 ------------------------------------------------------------------


@given(testing.scenarios())
def test_twee_export_then_import_gives_back_an_equal_scenario(scenario):
    assert from_twee(to_twee(scenario)) == scenario


def test_twee_has_what_twine_needs():
    text = to_twee(load_scenario())
    story_data = re.search(r":: StoryData\n(\{.*?\n\})", text, re.S).group(1)
    import json

    data = json.loads(story_data)
    assert re.fullmatch(
        r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}", data["ifid"]
    )
    assert data["start"] == "the-request"
    assert text == to_twee(load_scenario())
    assert "[[Ask what people must be able to do on the first day" in text


def test_twee_edited_in_twine_is_imported_and_checked():
    text = to_twee(load_scenario())
    edited = text.replace(
        "Priya has the project plan open before you sit down.",
        "Priya, frowning, has the project plan open before you sit down.",
    )
    scenario = from_twee(edited)
    assert scenario.scene("the-request").text.startswith("Priya, frowning,")
    new_passage = "\n:: side-room\nA quiet room.\n\n[[Go back->the-request]]\n"
    with pytest.raises(DocumentError) as caught:
        from_twee(text + new_passage)
    assert any(p.code == "unreachable-scene" for p in caught.value.problems)


def test_exchange_commands(tmp_path, capsys):
    twee = tmp_path / "story.twee"
    assert main(["export", "twee", "-o", str(twee)]) == 0
    assert main(["import", "twee", str(twee)]) == 0
    out = capsys.readouterr().out
    assert fourresp.load(out) == load_scenario()
    assert main(["export", "surveyjs"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["pages"][0]["name"] == "client"


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            [
                ":: StoryData\n",
                ':: StoryData\n{"start": "a"}\n',
                ":: a\n",
                ":: a [ending]\n",
                "<!-- fourresp\n",
                "-->\n",
                '{"choices": [{"id": "x"}]}\n',
                "[[go->b]]\n",
                ":: fourresp-scenario\n",
                "[" * 200,
                "text\n",
                "\\:: escaped\n",
            ]
        )
        | st.text(max_size=40),
        max_size=12,
    ).map("".join)
)
def test_any_twee_gives_a_scenario_or_a_document_error(source):
    try:
        from_twee(source)
    except DocumentError as error:
        assert error.problems
