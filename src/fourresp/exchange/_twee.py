"""Twine / Twee 3: a scenario as a story authors can open in Twine, and back again.

Twee 3 (https://github.com/iftechfoundation/twine-specs) keeps, per passage, a
name, tags, position and size, and text. Twine's editor keeps passage text and
tags as they are but nothing else of ours, so everything fourresp needs travels
in passage text:

- ``StoryTitle`` and ``StoryData`` (an IFID in upper-case UUID 4 form, made from
  the scenario's id so exports are repeatable, and the start passage);
- a ``fourresp-scenario`` passage whose text is an HTML comment holding the
  scenario's id, version, introduction, variables, endings and ending rules as JSON;
- one passage per scene, named by the scene's id (tagged ``ending`` for last
  scenes): an HTML comment with the scene's act, speaker, ending and choices (ids,
  targets, feedback, conditions, effects) as JSON, then the scene's text, then a
  ``[[text->target]]`` link per choice so the story reads and draws in Twine.

Importing reads that back; a passage added in Twine without the comment becomes a
scene whose links are its choices. Export then import gives back an equal
scenario, and several choices to the same scene stay separate choices.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from fourresp.errors import DocumentError, Problem

__all__ = ["from_twee", "to_twee"]

_SCENARIO_PASSAGE = "fourresp-scenario"
_OPEN = "<!-- fourresp"
_CLOSE = "-->"
_LINK = re.compile(r"\[\[(.+?)\]\]")


def _ifid(scenario_id: str) -> str:
    digest = hashlib.sha256(f"fourresp:{scenario_id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4)).upper()


def _json(value: Any) -> str:
    # One line; "-->" would end the comment, so its ">" is written as an escape.
    return json.dumps(value, ensure_ascii=False).replace("-->", "--\\u003e")


_ESCAPABLE = re.compile(r"\\*::")  # "::" after any number of backslashes
_ESCAPED = re.compile(r"\\+::")


def _escape_text(text: str) -> str:
    """Passage text as Twee 3 needs it: a line that would start a passage is escaped.

    A line that starts with "::", after any number of backslashes, gets one more
    backslash in front; :func:`_unescape_text` takes exactly one off again.
    """
    return "\n".join("\\" + line if _ESCAPABLE.match(line) else line for line in text.split("\n"))


def _unescape_text(text: str) -> str:
    return "\n".join(line[1:] if _ESCAPED.match(line) else line for line in text.split("\n"))


def _link_text(text: str) -> str:
    # Link text cannot hold "]]" or "->"; what is lost here is kept in the comment.
    return " ".join(text.replace("]]", "] ]").replace("->", "- >").replace("|", "/").split())


def to_twee(scenario: Any) -> str:
    """The scenario as Twee 3 source (``.twee``), for Twine and Tweego."""
    from fourresp._convert import unstructure
    from fourresp._load import to_document

    document = to_document(scenario)
    story = {
        key: document[key]
        for key in (
            "id",
            "version",
            "title",
            "introduction",
            "framework",
            "variables",
            "endings",
            "ending_rules",
        )
        if key in document
    }
    data = {
        "ifid": _ifid(scenario.id),
        "format": "Harlowe",
        "format-version": "3.3.8",
        "start": scenario.start,
        "zoom": 1,
    }
    parts = [
        f":: StoryTitle\n{_escape_text(scenario.title)}\n",
        f":: StoryData\n{json.dumps(data, indent=2)}\n",
        f':: {_SCENARIO_PASSAGE} [fourresp] {{"position":"0,0","size":"100,100"}}\n'
        f"{_OPEN}\n{_json(story)}\n{_CLOSE}\n",
    ]
    for number, scene in enumerate(scenario.scenes, start=1):
        body = unstructure(scene)
        body.pop("id")
        tags = " [ending]" if scene.ending is not None else ""
        position = f'{{"position":"{150 * (number % 10)},{150 * (number // 10)}","size":"100,100"}}'
        links = "\n".join(
            f"[[{_link_text(choice.text) or choice.id}->{choice.goto}]]" for choice in scene.choices
        )
        parts.append(
            f":: {scene.id}{tags} {position}\n{_OPEN}\n{_json(body)}\n{_CLOSE}\n"
            f"{_escape_text(scene.text)}\n" + (f"\n{links}\n" if links else "")
        )
    return "\n".join(parts)


def _passages(source: str) -> list[tuple[str, list[str], str, int]]:
    """(name, tags, text, line) for each passage."""
    found: list[tuple[str, list[str], list[str], int]] = []
    for number, line in enumerate(source.replace("\r\n", "\n").split("\n"), start=1):
        if line.startswith("::"):
            header = line[2:].strip()
            name, tags = _header(header)
            found.append((name, tags, [], number))
        elif found:
            found[-1][2].append(line)
    return [(name, tags, "\n".join(lines).strip("\n"), line) for name, tags, lines, line in found]


def _header(header: str) -> tuple[str, list[str]]:
    name_chars: list[str] = []
    index = 0
    while index < len(header):
        char = header[index]
        if char == "\\" and index + 1 < len(header):
            name_chars.append(header[index + 1])
            index += 2
            continue
        if char in "[{":
            break
        name_chars.append(char)
        index += 1
    rest = header[index:]
    tags: list[str] = []
    if rest.startswith("["):
        end = rest.find("]")
        if end > 0:
            tags = rest[1:end].split()
    return "".join(name_chars).strip(), tags


def _read(text: str) -> Any:
    """JSON read strictly (depth, size, duplicate keys bounded as for any document)."""
    from fourresp._json import read_json
    from fourresp._limits import DEFAULT_LIMITS

    return read_json(text, limits=DEFAULT_LIMITS, source="twee")


def _comment(text: str) -> tuple[Any, str]:
    """The JSON in a leading fourresp comment (or None), and the text after it."""
    if not text.startswith(_OPEN + "\n"):
        return None, text
    end = text.find("\n" + _CLOSE, len(_OPEN))
    if end < 0:
        return None, text
    data = _read(text[len(_OPEN) + 1 : end])
    rest = text[end + len(_CLOSE) + 1 :]
    return data, rest[1:] if rest.startswith("\n") else rest


def _links(text: str) -> list[tuple[str, str]]:
    """(link text, target) for each Twine link: [[t->p]], [[p<-t]], [[t|p]], [[p]]."""
    out = []
    for inside in _LINK.findall(text):
        if "->" in inside:
            label, _, target = inside.rpartition("->")
        elif "<-" in inside:
            target, _, label = inside.partition("<-")
        elif "|" in inside:
            label, _, target = inside.rpartition("|")
        else:
            label = target = inside
        out.append((label.strip(), target.strip()))
    return out


def from_twee(source: str, *, title: str | None = None) -> Any:
    """A scenario from Twee 3 source, checked by the full validator.

    Raises :class:`~fourresp.errors.DocumentError` listing every problem (a
    passage's broken comment, a missing start, and everything the scenario
    validator finds).
    """
    from fourresp._load import load

    problems: list[Problem] = []
    story: dict[str, Any] = {}
    start: str | None = None
    story_title = title
    scenes: dict[str, Any] = {}
    for name, tags, text, line in _passages(source):
        if name == "StoryTitle":
            story_title = _unescape_text(text).strip()
            continue
        if name == "StoryData":
            try:
                story_data = _read(text)
            except DocumentError:
                story_data = None
            if isinstance(story_data, dict) and isinstance(story_data.get("start"), str):
                start = story_data["start"]
            else:
                problems.append(
                    Problem(
                        code="twee",
                        message="StoryData is not a JSON object naming the start passage",
                        line=line,
                    )
                )
            continue
        try:
            data, rest = _comment(text)
        except DocumentError as exc:
            problems.append(
                Problem(
                    code="twee",
                    message=f"passage {name!r}: its fourresp comment is not valid JSON "
                    f"({exc.problems[0].message})",
                    line=line,
                )
            )
            continue
        if name == _SCENARIO_PASSAGE:
            if isinstance(data, dict):
                story = data
            continue
        if "script" in tags or "stylesheet" in tags:
            continue
        links = _links(rest)
        if isinstance(data, dict):
            # The export put one link line per choice at the end, after a blank line;
            # only those are links: the scene's own text may hold "[[" too.
            count = len(data.get("choices") or ())
            lines = rest.split("\n")
            while lines and not lines[-1].strip():
                lines.pop()
            if (
                count
                and len(lines) >= count
                and all(_LINK.fullmatch(line.strip()) for line in lines[-count:])
            ):
                lines = lines[:-count]
            visible = _unescape_text("\n".join(lines).strip("\n")).rstrip()
        else:
            visible = _unescape_text(_LINK.sub("", rest).strip("\n")).rstrip()
        if isinstance(data, dict):
            scene = dict(data)
            written = scene.get("text")
            if not isinstance(written, str) or written.rstrip() != visible:
                scene["text"] = visible  # edited in Twine: the passage's text wins
        else:
            scene = {"text": visible or name}
            if links:
                scene["choices"] = [
                    {"id": f"choice-{number}", "text": label or target, "goto": target}
                    for number, (label, target) in enumerate(links, start=1)
                ]
            elif "ending" in tags:
                problems.append(
                    Problem(
                        code="twee",
                        message=f"passage {name!r} is tagged ending but does not say which ending",
                        line=line,
                    )
                )
        scenes[name] = scene
    if not scenes:
        problems.append(Problem(code="twee", message="the story has no passage for a scene"))
    if start is None:
        problems.append(Problem(code="twee", message="there is no StoryData naming the start"))
    if problems:
        raise DocumentError(problems, source="twee")
    kept_title = story.get("title")
    if (
        isinstance(kept_title, str)
        and story_title is not None
        and kept_title.strip() == story_title
    ):
        story_title = kept_title  # not edited in Twine: the exact title
    document: dict[str, Any] = {
        "kind": "scenario",
        **story,
        "title": story_title or story.get("id", "Untitled"),
        "start": start,
        "scenes": scenes,
    }
    document.setdefault("id", "imported-scenario")
    document.setdefault("version", "1.0")
    document.setdefault("introduction", document["title"])
    document.setdefault("endings", {})
    return load(document)
