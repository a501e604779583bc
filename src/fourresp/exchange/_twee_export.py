"""A scenario as Twee 3 source: a story passage holding the scenario, one passage per scene.

See :mod:`fourresp.exchange._twee` for the layout and how it reads back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fourresp.exchange._twee_format import (
    COMMENT_CLOSE,
    COMMENT_OPEN,
    ENDING_TAG,
    GRID_X,
    GRID_Y,
    SCENARIO_PASSAGE,
    SCENE_TAG,
    STORY_TAG,
    canonical,
    escape_text,
    link_text,
    tag_value,
)

if TYPE_CHECKING:
    from fourresp.scenario import Scenario

__all__ = ["to_twee"]


def _ifid(scenario_id: str) -> str:
    import hashlib  # (with uuid) imported when a story is first written
    import uuid

    digest = hashlib.sha256(f"fourresp:{scenario_id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4)).upper()


def _json(value: Any) -> str:
    import json  # imported when a story is first written

    # One line; "-->" would end the comment, so its ">" is written as an escape.
    return json.dumps(value, ensure_ascii=False).replace("-->", "--\\u003e")


def to_twee(scenario: Scenario) -> str:
    """The scenario as Twee 3 source (``.twee``), for Twine and Tweego."""
    import json

    from fourresp._load import to_document

    document = to_document(scenario)
    story = {
        key: value
        for key, value in document.items()
        if key not in ("kind", "start", "scenes")  # the title is kept too, exactly
    }
    order = [scene.id for scene in scenario.scenes]
    data = {
        "ifid": _ifid(scenario.id),
        "format": "Harlowe",
        "format-version": "3.3.8",
        "start": scenario.start,
        "zoom": 1,
    }
    parts = [
        f":: StoryTitle\n{escape_text(canonical(scenario.title))}\n",
        f":: StoryData\n{json.dumps(data, indent=2)}\n",
        f":: {SCENARIO_PASSAGE} [{STORY_TAG}] "
        f'{{"position":"{GRID_X // 2},{GRID_Y // 2}","size":"100,100"}}\n'
        f"{COMMENT_OPEN}\n{_json({'scenario': story, 'order': order})}\n{COMMENT_CLOSE}\n",
    ]
    rows: dict[str | None, int] = {}
    columns: dict[str | None, int] = {}
    for scene in scenario.scenes:
        row = rows.setdefault(scene.act, len(rows) + 1)
        column = columns.get(scene.act, 0)
        columns[scene.act] = column + 1
        body = dict(document["scenes"][scene.id])
        tags = [f"{SCENE_TAG}{scene.id}"]
        if scene.ending is not None:
            tags += ["ending", f"{ENDING_TAG}{tag_value(scene.ending)}"]
        x, y = GRID_X // 2 + GRID_X * column, GRID_Y // 2 + GRID_Y * row
        position = f'{{"position":"{x},{y}","size":"100,100"}}'
        links = "\n".join(
            f"[[{link_text(choice.text) or choice.id}->{choice.goto}]]" for choice in scene.choices
        )
        parts.append(
            f":: {scene.id} [{' '.join(tags)}] {position}\n"
            f"{COMMENT_OPEN}\n{_json(body)}\n{COMMENT_CLOSE}\n"
            f"{escape_text(canonical(scene.text))}\n" + (f"\n{links}\n" if links else "")
        )
    return "\n".join(parts)
