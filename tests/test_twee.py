"""Twine (Twee 3): stories as Twine authors edit them, hostile text, and the real extwee."""

from __future__ import annotations

import json
import pathlib
import re
import time

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp import testing
from fourresp._load import to_document
from fourresp.cli import main
from fourresp.errors import DocumentError, Problem
from fourresp.exchange import from_twee, to_twee
from fourresp.exchange._twee_format import find_links
from fourresp.scenario import load_scenario
from node_tools import run_node

# The first edition of the default scenario, kept as a fixture: these edits name
# its passages (the current default's Twee round trip is tested in test_exchange).
SCENARIO = load_scenario(pathlib.Path(__file__).resolve().parent / "legacy_scenario.yaml")
STORY = to_twee(SCENARIO)


def _rename(story: str, old: str, new: str) -> str:
    """What Twine does when a passage is renamed: the header, every link, the start."""
    story = re.sub(rf"^:: {re.escape(old)} \[", f":: {new} [", story, flags=re.M)
    story = story.replace(f"->{old}]]", f"->{new}]]")
    return story.replace(f'"start": "{old}"', f'"start": "{new}"')


def test_a_story_edited_the_way_twine_edits_keeps_its_scenes_and_gains_the_choice():
    story = _rename(STORY, "sales-goals", "Dana explains")
    story = _rename(story, "sales-request", "The first meeting")
    story = story.replace(
        "[[Send her the catalogue of negotiation courses so she can pick one.->sales-catalogue]]",
        "[[Send her the catalogue of negotiation courses so she can pick one.->sales-catalogue]]\n"
        "[[Offer her a coffee first->Kitchen]]",
    )
    story += (
        '\n:: Kitchen {"position":"600,600","size":"100,100"}\n'
        "The kettle is on. Dana waits.\n\n[[Go back to the meeting->Dana explains]]\n"
    )
    warnings: list[Problem] = []
    scenario = from_twee(story, warnings=warnings)
    assert scenario.start == "sales-request"
    goals = scenario.scene("sales-goals")
    assert goals == SCENARIO.scene("sales-goals")  # the renamed passage kept its scene
    request = scenario.scene("sales-request")
    assert request.choices[:3] == SCENARIO.scene("sales-request").choices
    new = request.choices[3]
    assert (new.id, new.text, new.goto) == (
        "offer-her-a-coffee-first",
        "Offer her a coffee first",
        "kitchen",
    )
    kitchen = scenario.scene("kitchen")
    assert kitchen.text == "The kettle is on. Dana waits."
    assert [c.goto for c in kitchen.choices] == ["sales-goals"]
    messages = " ".join(w.message for w in warnings)
    assert "offer-her-a-coffee-first" in messages
    assert "feedback" in messages
    assert "marks" in messages
    assert all(w.severity == "warning" for w in warnings)
    others = {scene.id for scene in SCENARIO.scenes} - {"sales-request"}
    for scene_id in others:
        assert scenario.scene(scene_id) == SCENARIO.scene(scene_id)


@settings(max_examples=30, deadline=None)
@given(testing.scenarios(max_scenes=8), st.data())
def test_renaming_any_passage_as_twine_does_keeps_the_scenario(scenario, data):
    story = to_twee(scenario)
    scene = data.draw(st.sampled_from(scenario.scenes))
    renamed = _rename(story, scene.id, f"Renamed {scene.id.upper()} passage")
    assert renamed != story
    assert from_twee(renamed) == scenario


def test_a_deleted_link_drops_its_choice_with_a_warning():
    line = (
        "[[Send her the catalogue of negotiation courses so she can pick one.->sales-catalogue]]\n"
    )
    story = STORY.replace(line, "", 1)
    story = story.replace("Sales are down.", "Sales are really down.", 1)
    warnings: list[Problem] = []
    with pytest.raises(DocumentError) as caught:  # sales-catalogue is now unreachable
        from_twee(story, warnings=warnings, filename="day.twee")
    problem = next(p for p in caught.value.problems if p.code == "unreachable-scene")
    assert problem.source == "day.twee"
    assert story.split("\n")[problem.line - 1].startswith(":: sales-catalogue ")
    (warning,) = warnings
    assert "'send-the-catalogue' has no link any more and was dropped" in warning.message
    assert story.split("\n")[warning.line - 1].startswith(":: sales-request ")


def test_human_passage_names_give_ids_and_collisions_are_reported():
    story = (
        ":: StoryTitle\nThe kitchen\n\n"
        ':: StoryData\n{"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", "start": "Start"}\n\n'
        ":: Start\nYou walk in.\n\n[[Open the fridge->The Fridge]]\n[[Leave->Way out]]\n\n"
        ":: The Fridge [ending ending:hungry]\nIt is empty.\n\n"
        ":: Way out [ending:gone]\nYou leave.\n"
    )
    story_with_endings = story.replace(
        ":: Start\n",
        ':: fourresp-scenario [fourresp-story]\n<!-- fourresp\n{"scenario": {"id": "kitchen", '
        '"version": "1.0", "introduction": "A short story.", "endings": {"hungry": {"title": '
        '"Hungry", "verdict": "still hungry", "debrief": "Shop first."}, "gone": {"title": '
        '"Gone", "verdict": "gone", "debrief": "Bye."}}}}\n-->\n\n:: Start\n',
    )
    scenario = from_twee(story_with_endings)
    assert [scene.id for scene in scenario.scenes] == ["start", "the-fridge", "way-out"]
    assert scenario.scene("the-fridge").ending == "hungry"
    assert scenario.scene("way-out").ending == "gone"
    assert [c.id for c in scenario.scene("start").choices] == ["open-the-fridge", "leave"]
    no_story_data = re.sub(r":: StoryData\n.*?\n\n", "", story_with_endings, flags=re.S)
    assert ":: StoryData" not in no_story_data
    assert from_twee(no_story_data).start == "start"  # the passage named Start, as in Tweego
    clash = story_with_endings + ":: the fridge!\nAnother fridge.\n"
    with pytest.raises(DocumentError) as caught:
        from_twee(clash, filename="kitchen.twee")
    (problem,) = caught.value.problems
    assert problem.code == "duplicate-scene"
    assert "'The Fridge'" in problem.message
    assert "'the fridge!'" in problem.message
    lines = clash.split("\n")
    assert lines[problem.line - 1] == ":: the fridge!"
    assert f"line {lines.index(':: The Fridge [ending ending:hungry]') + 1}" in problem.message


def test_an_ending_passage_must_say_which_ending():
    story = STORY + "\n:: Lost [ending]\nYou are lost.\n"
    with pytest.raises(DocumentError) as caught:
        from_twee(story, filename="day.twee")
    (problem,) = caught.value.problems
    assert "ending:ID" in problem.message
    assert (problem.source, problem.line) == (
        "day.twee",
        story.split("\n").index(":: Lost [ending]") + 1,
    )
    for scene in SCENARIO.scenes:
        if scene.ending is not None:
            assert f":: {scene.id} [scene:{scene.id} ending ending:{scene.ending}]" in STORY


def test_duplicate_passage_names_are_refused_with_both_lines():
    story = STORY + "\n:: corridor\nAgain.\n"
    with pytest.raises(DocumentError) as caught:
        from_twee(story, filename="day.twee")
    (problem,) = caught.value.problems
    first = (
        story.split("\n").index(next(x for x in story.split("\n") if x.startswith(":: corridor ")))
        + 1
    )
    assert problem.code == "duplicate-passage"
    assert f"lines {first} and {problem.line}" in problem.message


def test_problems_name_the_file_and_the_passage_line():
    broken = STORY.replace('"goto": "sales-goals"', '"goto": "nowhere"', 1)
    broken = broken.replace("->sales-goals]]", "->nowhere]]", 1)
    with pytest.raises(DocumentError) as caught:
        from_twee(broken, filename="day.twee")
    problem = caught.value.problems[0]
    assert problem.source == "day.twee"
    assert broken.split("\n")[problem.line - 1].startswith(":: sales-request ")
    bad_json = STORY.replace('{"text": "Dana sits', '{"text" "Dana sits', 1)
    with pytest.raises(DocumentError) as caught:
        from_twee(bad_json, filename="day.twee")
    problem = caught.value.problems[0]
    assert problem.source == "day.twee"
    assert bad_json.split("\n")[problem.line - 1].startswith('{"text" "Dana sits')


def test_passages_sit_on_a_grid_one_row_per_act():
    positions = {}
    for name, x, y in re.findall(r'^:: (\S+) \[[^\]]*\] \{"position":"(\d+),(\d+)"', STORY, re.M):
        positions[name] = (int(x), int(y))
    assert len(set(positions.values())) == len(positions)
    rows: dict[str | None, set[int]] = {}
    for scene in SCENARIO.scenes:
        rows.setdefault(scene.act, set()).add(positions[scene.id][1])
    assert all(len(ys) == 1 for ys in rows.values())
    assert len({next(iter(ys)) for ys in rows.values()}) == len(rows)


def test_the_scenario_payload_is_generic():
    document = to_document(SCENARIO)
    kept = json.loads(STORY.split("<!-- fourresp\n", 2)[1].split("\n-->", 1)[0])
    assert kept["scenario"] == {
        k: v for k, v in document.items() if k not in ("kind", "start", "scenes")
    }
    for scene_id, body in document["scenes"].items():
        header = STORY.index(f":: {scene_id} [scene:{scene_id}")
        comment = STORY[header:].split("<!-- fourresp\n", 1)[1].split("\n-->", 1)[0]
        assert json.loads(comment) == body


def test_carriage_returns_survive_the_round_trip():
    scene = attrs.evolve(SCENARIO.scenes[0], text="Line one\r\nline two\rstill two\r\n")
    choice = attrs.evolve(scene.choices[0], text="Ask\r\nwhy")
    scene = attrs.evolve(scene, choices=(choice, *scene.choices[1:]))
    scenario = attrs.evolve(
        SCENARIO,
        title="A day\r\nin the life",
        introduction="Intro\r\n",
        scenes=(scene, *SCENARIO.scenes[1:]),
    )
    assert from_twee(to_twee(scenario)) == scenario
    assert from_twee(to_twee(scenario).replace("\n", "\r\n")) == scenario


@given(testing.scenarios())
@settings(max_examples=30, deadline=None)
def test_any_scenario_round_trips_and_through_crlf(scenario):
    story = to_twee(scenario)
    assert from_twee(story) == scenario
    assert from_twee(story.replace("\n", "\r\n")) == scenario


def _seconds(small: str, large: str) -> tuple[float, float]:
    """The best of several runs of each, taken in turns so a busy moment hits both alike,
    in the thread's own CPU time (time waiting for a core on a busy machine is not in it)."""
    best_small = best_large = float("inf")
    for _ in range(7):
        for text in (small, large):
            began = time.thread_time()
            find_links(text)
            spent = time.thread_time() - began
            if text is small:
                best_small = min(best_small, spent)
            else:
                best_large = min(best_large, spent)
    return best_small, best_large


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.sampled_from(["[[", "[", "]", "]]", "->", "<-", "|", "a", "\n", "[[a", "[[\n"]),
        min_size=1,
        max_size=4,
    ).map("".join)
)
def test_link_scanning_is_linear_on_adversarial_text(unit):
    # n and 8n characters: linear scanning takes about 8x as long, quadratic 64x;
    # the wide gap (and runs taken in turns) keeps a busy machine's noise from
    # deciding the test
    n = 25_000
    small = (unit * (n // len(unit) + 1))[:n]
    large = (unit * (8 * n // len(unit) + 1))[: 8 * n]
    small_seconds, large_seconds = _seconds(small, large)
    ratio = large_seconds / max(small_seconds, 1e-3)  # below a millisecond is noise
    assert ratio < 24.0, (unit, ratio)


def test_an_80_kb_line_of_open_brackets_imports_quickly():
    story = STORY.replace("Dana sits down", "[[" * 40_000 + "Dana sits down", 1)
    began = time.perf_counter()
    from_twee(story)
    assert time.perf_counter() - began < 5


def test_links_are_read_as_twine_reads_them():
    text = "a [[one]] [[two->b]] [[c<-three]] [[four|d]] [[broken\n]] [[[x]]"
    assert find_links(text) == [
        ("one", "one"),
        ("two", "b"),
        ("three", "c"),
        ("four", "d"),
        ("[x", "[x"),
    ]


def test_cli_import_names_the_file_reads_with_a_cap_and_prints_warnings(
    tmp_path, capsys, monkeypatch
):
    path = tmp_path / "day.twee"
    path.write_text(STORY + "\n:: corridor\nAgain.\n", encoding="utf-8")
    assert main(["import", "twee", str(path)]) == 1
    assert f"{path}:" in capsys.readouterr().err
    story = STORY.replace(
        "[[Send her the catalogue of negotiation courses so she can pick one.->sales-catalogue]]",
        "[[Send her the catalogue of negotiation courses so she can pick one.->sales-catalogue]]\n"
        "[[Call her back later->sales-goals]]",
    )
    path.write_text(story, encoding="utf-8")
    assert main(["import", "twee", str(path), "-o", str(tmp_path / "s.yaml")]) == 0
    err = capsys.readouterr().err
    assert "call-her-back-later" in err
    assert "warning" in err
    import fourresp.exchange._twee as twee

    monkeypatch.setattr(twee, "MAX_TWEE_BYTES", 1000)
    assert main(["import", "twee", str(path)]) == 1
    assert "larger than 1000 bytes" in capsys.readouterr().err
    with pytest.raises(DocumentError, match="larger"):
        from_twee(story)


# -- the real extwee (npm) -----------------------------------------------------------


@settings(max_examples=8, deadline=None)
@given(testing.scenarios(max_scenes=6))
def test_extwee_parses_every_export_and_its_rewrite_imports_back(tmp_path_factory, scenario):
    folder = tmp_path_factory.mktemp("extwee")
    _check_with_extwee(folder, scenario)


def test_extwee_parses_the_default_scenario(tmp_path):
    _check_with_extwee(tmp_path, SCENARIO)


def _check_with_extwee(folder, scenario) -> None:
    story = to_twee(scenario)
    path = folder / "story.twee"
    path.write_text(story, encoding="utf-8")
    done = run_node("extwee", "extwee.mjs", str(path), str(folder / "rewritten.twee"))
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["name"] == " ".join(scenario.title.split()) or parsed["name"]
    assert parsed["start"] == scenario.start
    names = {p["name"]: p["tags"] for p in parsed["passages"]}
    for scene in scenario.scenes:
        assert f"scene:{scene.id}" in names[scene.id]
    rewritten = (folder / "rewritten.twee").read_text(encoding="utf-8")
    assert from_twee(rewritten) == scenario  # what Twine-compatible tools write reads back
