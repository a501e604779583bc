"""Twine / Twee 3: a scenario as a story authors can open and edit in Twine, and back again.

Twee 3 (https://github.com/iftechfoundation/twine-specs) keeps, per passage, a
name, tags, position and size, and text. Twine's editor keeps passage names,
text and tags, updates links when a passage is renamed, and keeps nothing else
of ours, so the export puts what fourresp needs where Twine leaves it alone:

- ``StoryTitle``, and ``StoryData`` with an IFID in upper-case UUID 4 form (made
  from the scenario's id, so exports are repeatable) and the start passage;
- a ``fourresp-scenario`` passage (tagged ``fourresp-story``) whose text is an
  HTML comment holding, as JSON, everything of the scenario but its title, start
  and scenes (id, version, introduction, variables, endings, ending rules, and
  any field a later version adds), and the scenes' order;
- one passage per scene, named by the scene's id and tagged ``scene:ID`` (the
  stable id: renaming the passage keeps the scene), plus ``ending`` and
  ``ending:ENDING`` for an ending scene. Its text is an HTML comment with the
  scene as JSON (act, speaker, choices with feedback, conditions, effects, and
  any other field), then the scene's text, then a ``[[text->passage]]`` link per
  choice, so the story reads and draws in Twine. Passages sit on a grid, one row
  per act, so Twine's map reads left to right, top to bottom.

Importing reads passages the way Twine writes them: a scene is found by its
``scene:ID`` tag, or its id is derived from the passage name (``Kitchen``
becomes ``kitchen``; two passages deriving one id are reported with both lines).
The links are the choices: a link that matches a choice of the comment keeps
that choice (its feedback, marks, condition), a new link becomes a new choice
(with a warning naming what it lacks), and a choice whose link was deleted is
dropped (with a warning). Edited text wins over the comment's copy; unedited
text keeps the comment's exact characters (``\\r`` included). Export then
import gives back an equal scenario.

Links are found by one left-to-right scan (linear in the passage's length,
whatever brackets it holds), and a story is read within a byte budget.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import attrs

from fourresp._paths import format_path
from fourresp.errors import DocumentError, Problem

__all__ = ["MAX_TWEE_BYTES", "from_twee", "to_twee"]

#: the most a Twee story may hold, in bytes (UTF-8); larger stories are refused unread
MAX_TWEE_BYTES = 16 * 1024 * 1024

_SCENARIO_PASSAGE = "fourresp-scenario"
_STORY_TAG = "fourresp-story"
_SCENE_TAG = "scene:"
_ENDING_TAG = "ending:"
_OPEN = "<!-- fourresp"
_CLOSE = "-->"
_SKIPPED_TAGS = frozenset(
    {"script", "stylesheet", "startup", "header", "footer", "annotation", "Twine.private"}
)
_SKIPPED_TAGS_PREFIX = ("debug-",)
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_ESCAPABLE = re.compile(r"\\*::")  # "::" after any number of backslashes
_ESCAPED = re.compile(r"\\+::")
_GRID_X, _GRID_Y = 150, 150


def _ifid(scenario_id: str) -> str:
    digest = hashlib.sha256(f"fourresp:{scenario_id}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4)).upper()


def _json(value: Any) -> str:
    # One line; "-->" would end the comment, so its ">" is written as an escape.
    return json.dumps(value, ensure_ascii=False).replace("-->", "--\\u003e")


def _escape_text(text: str) -> str:
    """Passage text as Twee 3 needs it: a line that would start a passage is escaped.

    A line that starts with "::", after any number of backslashes, gets one more
    backslash in front; :func:`_unescape_text` takes exactly one off again.
    """
    return "\n".join("\\" + line if _ESCAPABLE.match(line) else line for line in text.split("\n"))


def _unescape_text(text: str) -> str:
    return "\n".join(line[1:] if _ESCAPED.match(line) else line for line in text.split("\n"))


def _canonical(text: str) -> str:
    """Text as a Twee file carries it: line ends as ``\\n``, no trailing blanks."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _link_text(text: str) -> str:
    # Link text cannot hold "]]", "->", "<-" or "|"; what is lost here is kept in the comment.
    cleaned = text.replace("]]", "] ]").replace("->", "- >").replace("<-", "< -")
    cleaned = cleaned.replace("|", "/").replace("[[", "[ [")
    return " ".join(cleaned.split())


def _slug(name: str) -> str:
    """An id from a passage or link name: ``Kitchen (night)`` gives ``kitchen-night``."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    slug = "-".join(words)
    if not slug:
        return "scene"
    return slug if slug[0].isalpha() else f"s-{slug}"


def _tag_value(tag: str) -> str:
    """A tag holds no spaces; ids never do, but be safe with anything else."""
    return "".join(tag.split())


# -- export --------------------------------------------------------------------------


def to_twee(scenario: Any) -> str:
    """The scenario as Twee 3 source (``.twee``), for Twine and Tweego."""
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
        f":: StoryTitle\n{_escape_text(_canonical(scenario.title))}\n",
        f":: StoryData\n{json.dumps(data, indent=2)}\n",
        f":: {_SCENARIO_PASSAGE} [{_STORY_TAG}] "
        f'{{"position":"{_GRID_X // 2},{_GRID_Y // 2}","size":"100,100"}}\n'
        f"{_OPEN}\n{_json({'scenario': story, 'order': order})}\n{_CLOSE}\n",
    ]
    rows: dict[str | None, int] = {}
    columns: dict[str | None, int] = {}
    for scene in scenario.scenes:
        row = rows.setdefault(scene.act, len(rows) + 1)
        column = columns.get(scene.act, 0)
        columns[scene.act] = column + 1
        body = dict(document["scenes"][scene.id])
        tags = [f"{_SCENE_TAG}{scene.id}"]
        if scene.ending is not None:
            tags += ["ending", f"{_ENDING_TAG}{_tag_value(scene.ending)}"]
        x, y = _GRID_X // 2 + _GRID_X * column, _GRID_Y // 2 + _GRID_Y * row
        position = f'{{"position":"{x},{y}","size":"100,100"}}'
        links = "\n".join(
            f"[[{_link_text(choice.text) or choice.id}->{choice.goto}]]" for choice in scene.choices
        )
        parts.append(
            f":: {scene.id} [{' '.join(tags)}] {position}\n{_OPEN}\n{_json(body)}\n{_CLOSE}\n"
            f"{_escape_text(_canonical(scene.text))}\n" + (f"\n{links}\n" if links else "")
        )
    return "\n".join(parts)


# -- reading passages ----------------------------------------------------------------


class _Passage:
    __slots__ = ("line", "name", "tags", "text")

    def __init__(self, name: str, tags: list[str], text: str, line: int) -> None:
        self.name = name
        self.tags = tags
        self.text = text
        self.line = line


def _passages(source: str) -> list[_Passage]:
    """Every passage, with the 1-based line of its ``::`` header."""
    found: list[tuple[str, list[str], list[str], int]] = []
    for number, line in enumerate(source.split("\n"), start=1):
        if line.endswith("\r"):
            line = line[:-1]
        if line.startswith("::"):
            name, tags = _header(line[2:].strip())
            found.append((name, tags, [], number))
        elif found:
            found[-1][2].append(line)
    return [
        _Passage(name, tags, "\n".join(lines).strip("\n"), at) for name, tags, lines, at in found
    ]


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


def _read(text: str, source: str | None, line: int) -> Any:
    """JSON read strictly (depth, size, duplicate keys bounded as for any document)."""
    from fourresp._json import read_json
    from fourresp._limits import DEFAULT_LIMITS

    try:
        return read_json(text, limits=DEFAULT_LIMITS, source=source)
    except DocumentError as exc:
        first = exc.problems[0]
        raise DocumentError(
            [
                Problem(
                    code=first.code,
                    message=first.message,
                    source=source,
                    line=line + (first.line or 1) - 1,
                )
            ]
        ) from None


def _comment(text: str) -> tuple[str | None, str]:
    """The JSON text of a leading fourresp comment (or None), and the text after it."""
    if not text.startswith(_OPEN + "\n"):
        return None, text
    end = text.find("\n" + _CLOSE, len(_OPEN))
    if end < 0:
        return None, text
    rest = text[end + len(_CLOSE) + 1 :]
    return text[len(_OPEN) + 1 : end], rest[1:] if rest.startswith("\n") else rest


def _link_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, inside) of each ``[[...]]`` on one line, in one left-to-right pass.

    Each search starts where the last one stopped, and the next ``]]`` and the
    next line end are remembered, so the scan is linear in ``len(text)`` whatever
    the brackets: an unbalanced ``[[`` costs one step, not a scan to the line's end.
    """
    position = 0
    close = -2  # the next "]]" at or after position (-1: none left)
    newline = -2  # the next "\n" at or after position (-1: none left)
    while True:
        start = text.find("[[", position)
        if start < 0:
            return
        if close != -1 and close < start + 2:
            close = text.find("]]", start + 2)
        if close < 0:
            return  # no "]]" anywhere after: no more links
        if newline != -1 and newline < start:
            newline = text.find("\n", start)
        if 0 <= newline < close:  # a link never spans lines: go on after the line end
            position = newline + 1
            continue
        yield start, close + 2, text[start + 2 : close]
        position = close + 2


def _parse_link(inside: str) -> tuple[str, str]:
    """(link text, target passage) of ``t->p``, ``p<-t``, ``t|p`` or ``p``."""
    if "->" in inside:
        label, _, target = inside.rpartition("->")
    elif "<-" in inside:
        target, _, label = inside.partition("<-")
    elif "|" in inside:
        label, _, target = inside.rpartition("|")
    else:
        label = target = inside
    return label.strip(), target.strip()


def _links(text: str) -> list[tuple[str, str]]:
    return [_parse_link(inside) for _start, _end, inside in _link_spans(text) if inside.strip()]


def _without_links(text: str) -> str:
    out, position = [], 0
    for start, end, _inside in _link_spans(text):
        out.append(text[position:start])
        position = end
    out.append(text[position:])
    return "".join(out)


def _is_link_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped.startswith("[[") or not stripped.endswith("]]"):
        return False
    spans = list(_link_spans(stripped))
    return len(spans) == 1 and spans[0][0] == 0 and spans[0][1] == len(stripped)


def _skipped(tags: list[str]) -> bool:
    return any(tag in _SKIPPED_TAGS or tag.startswith(_SKIPPED_TAGS_PREFIX) for tag in tags)


# -- import --------------------------------------------------------------------------


class _Import:
    """One pass over a story's passages, collecting problems and warnings as it goes."""

    def __init__(self, source: str, filename: str | None) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.passages = _passages(source)

    def problem(
        self, message: str, line: int | None = None, code: str = "twee", path: str = "$"
    ) -> None:
        self.problems.append(
            Problem(code=code, message=message, source=self.filename, line=line, path=path)
        )

    def warn(self, message: str, line: int | None, path: str) -> None:
        self.warnings.append(
            Problem(
                code="twee",
                message=message,
                source=self.filename,
                line=line,
                path=path,
                severity="warning",
            )
        )


def _scene_id(passage: _Passage) -> str:
    for tag in passage.tags:
        if tag.startswith(_SCENE_TAG) and len(tag) > len(_SCENE_TAG):
            return tag[len(_SCENE_TAG) :]
    return passage.name if _ID.fullmatch(passage.name) else _slug(passage.name)


def from_twee(
    source: str,
    *,
    title: str | None = None,
    filename: str | None = None,
    warnings: list[Problem] | None = None,
) -> Any:
    """A scenario from Twee 3 source, checked by the full validator.

    ``filename`` names the ``.twee`` file in every problem (with the passage's
    line). Pass a list as ``warnings`` to receive what the import changed or
    guessed (a new choice with no feedback or marks, a choice whose link was
    deleted); they are added even when the import then fails. Raises
    :class:`~fourresp.errors.DocumentError` listing every problem (a passage's
    broken comment, two passages for one scene, a missing start, and everything
    the scenario validator finds).
    """
    from fourresp._load import load

    if not isinstance(source, str):
        raise DocumentError(
            [Problem(code="twee", message="Twee source is text", source=filename)], source=filename
        )
    if len(source) > MAX_TWEE_BYTES or len(source.encode("utf-8", "surrogatepass")) > (
        MAX_TWEE_BYTES
    ):
        raise DocumentError(
            [
                Problem(
                    code="too-large",
                    message=f"the story is larger than {MAX_TWEE_BYTES} bytes",
                    source=filename,
                )
            ],
            source=filename,
        )
    run = _Import(source, filename)
    document = _document(run, title)
    if warnings is not None:
        warnings.extend(run.warnings)
    if run.problems or document is None:
        raise DocumentError(run.problems, source=filename)
    lines: dict[str, int] = document.pop("_lines")
    story_line = document.pop("_story_line")
    try:
        scenario = load(document)
    except DocumentError as exc:
        raise DocumentError(
            [_locate(problem, lines, story_line, filename) for problem in exc.problems],
            source=filename,
        ) from None
    return scenario


_SCENE_PATH = re.compile(r"""^\$\.scenes(?:\.([A-Za-z0-9_$-]+)|\[["']([^"']+)["']\])""")


def _locate(
    problem: Problem, lines: dict[str, int], story: int | None, filename: str | None
) -> Problem:
    """``problem`` from the validator, placed at the passage (or story passage) it is about."""
    match = _SCENE_PATH.match(problem.path)
    scene = (match.group(1) or match.group(2)) if match else None
    line = lines.get(scene, story) if scene is not None else story
    return attrs.evolve(problem, source=filename, line=line, column=None)


def _document(run: _Import, title: str | None) -> dict[str, Any] | None:
    names: dict[str, int] = {}
    story: dict[str, Any] = {}
    order: list[str] = []
    story_line: int | None = None
    start_name: str | None = None
    start_line: int | None = None
    story_title = title
    scene_passages: list[tuple[str, _Passage]] = []
    ids: dict[str, _Passage] = {}
    for passage in run.passages:
        if passage.name in names:
            run.problem(
                f"two passages are named {passage.name!r} (lines {names[passage.name]} "
                f"and {passage.line}); Twine needs every name once",
                passage.line,
                "duplicate-passage",
            )
            continue
        names[passage.name] = passage.line
        if passage.name == "StoryTitle":
            if title is None:
                story_title = _unescape_text(passage.text).strip()
            continue
        if passage.name == "StoryData":
            start_line = passage.line
            try:
                data = _read(passage.text, run.filename, passage.line + 1)
            except DocumentError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("start"), str):
                start_name = data["start"]
            else:
                run.problem("StoryData is not a JSON object naming the start passage", passage.line)
            continue
        if passage.name == _SCENARIO_PASSAGE or _STORY_TAG in passage.tags:
            story_line = passage.line
            text, _ = _comment(passage.text)
            if text is not None:
                try:
                    kept = _read(text, run.filename, passage.line + 2)
                except DocumentError as exc:
                    run.problems.extend(exc.problems)
                    continue
                if isinstance(kept, dict) and isinstance(kept.get("scenario"), dict):
                    story = kept["scenario"]
                    if isinstance(kept.get("order"), list):
                        order = [item for item in kept["order"] if isinstance(item, str)]
                elif isinstance(kept, dict):
                    story = kept
            continue
        if _skipped(passage.tags):
            continue
        scene_id = _scene_id(passage)
        if scene_id in ids:
            other = ids[scene_id]
            run.problem(
                f"passages {other.name!r} (line {other.line}) and {passage.name!r} "
                f"(line {passage.line}) are both scene {scene_id!r}; rename one (and drop "
                f"its {_SCENE_TAG}{scene_id} tag if it was copied)",
                passage.line,
                "duplicate-scene",
            )
            continue
        ids[scene_id] = passage
        scene_passages.append((scene_id, passage))
    by_name = {passage.name: scene_id for scene_id, passage in scene_passages}
    scenes: dict[str, Any] = {}
    for scene_id, passage in scene_passages:
        scene = _scene(run, scene_id, passage, by_name)
        if scene is not None:
            scenes[scene_id] = scene
    if not scene_passages:
        run.problem("the story has no passage for a scene")
    start: str | None = None
    if start_name is None and start_line is None and "Start" in by_name:
        start_name = "Start"  # as Tweego does without StoryData
    if start_name is None:
        if start_line is None:
            run.problem("there is no StoryData naming the start (and no passage named Start)")
    elif start_name in by_name:
        start = by_name[start_name]
    elif start_name in scenes:
        start = start_name
    else:
        run.problem(f"the start passage {start_name!r} is not in the story", start_line)
    if run.problems:
        return None
    rank = {scene_id: index for index, scene_id in enumerate(order)}
    ordered = sorted(scenes, key=lambda scene_id: rank.get(scene_id, len(rank)))
    kept_title = story.get("title")
    if (
        isinstance(kept_title, str)
        and story_title is not None
        and _canonical(kept_title) == _canonical(story_title)
    ):
        story_title = kept_title  # not edited in Twine: the exact title
    document: dict[str, Any] = {
        **story,
        "kind": "scenario",
        "title": story_title or story.get("id", "Untitled"),
        "start": start,
        "scenes": {scene_id: scenes[scene_id] for scene_id in ordered},
    }
    document.setdefault("id", "imported-scenario")
    document.setdefault("version", "1.0")
    document.setdefault("introduction", document["title"])
    document.setdefault("endings", {})
    document["_lines"] = {scene_id: passage.line for scene_id, passage in scene_passages}
    document["_story_line"] = story_line if story_line is not None else start_line
    return document


def _scene(
    run: _Import, scene_id: str, passage: _Passage, by_name: dict[str, str]
) -> dict[str, Any] | None:
    comment, rest = _comment(passage.text)
    data: Any = None
    if comment is not None:
        try:
            data = _read(comment, run.filename, passage.line + 2)
        except DocumentError as exc:
            run.problem(
                f"passage {passage.name!r}: its fourresp comment is not valid JSON "
                f"({exc.problems[0].message})",
                exc.problems[0].line or passage.line,
            )
            return None
    kept: dict[str, Any] = dict(data) if isinstance(data, dict) else {}
    written = kept.get("text") if isinstance(kept.get("text"), str) else None
    lines = rest.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    links: list[tuple[str, str]] = []
    body = None
    if written is not None:
        # The export wrote the text, a blank line, then one link per line; the
        # text is unedited when its lines come first and only links follow.
        expected = _canonical(written)
        count = len(expected.split("\n")) if expected else 0
        tail = lines[count:]
        if _canonical(_unescape_text("\n".join(lines[:count]))) == expected and all(
            not line.strip() or _is_link_line(line) for line in tail
        ):
            body = written  # unedited: the exact text, "\r" and all
            links = _links("\n".join(tail))
    if body is None:
        text = _unescape_text("\n".join(lines))
        links = _links(text)
        body = _canonical(_without_links(text)) or passage.name
    kept["text"] = body
    ending = kept.get("ending") if isinstance(kept.get("ending"), str) else None
    for tag in passage.tags:
        if tag.startswith(_ENDING_TAG) and len(tag) > len(_ENDING_TAG):
            ending = tag[len(_ENDING_TAG) :]
    if ending is not None:
        kept["ending"] = ending
    elif "ending" in passage.tags:
        run.problem(
            f"passage {passage.name!r} is tagged ending but does not say which ending: "
            "add a tag ending:ID naming one of the story's endings (or ending:by-rules)",
            passage.line,
            path=format_path(("scenes", scene_id, "ending")),
        )
    kept["choices"] = _choices(run, scene_id, passage, kept.get("choices"), links, by_name)
    if not kept["choices"]:
        del kept["choices"]
    return kept


def _label(choice: dict[str, Any]) -> str:
    """The link text the export writes for a choice (its id when its text has none)."""
    return _link_text(str(choice.get("text", ""))) or str(choice.get("id", ""))


def _choices(
    run: _Import,
    scene_id: str,
    passage: _Passage,
    written: Any,
    links: list[tuple[str, str]],
    by_name: dict[str, str],
) -> list[Any]:
    known = (
        [choice for choice in written if isinstance(choice, dict)]
        if isinstance(written, list)
        else []
    )
    used = [False] * len(known)
    out: list[Any] = []
    taken = {choice.get("id") for choice in known}
    for label, target in links:
        goto = by_name.get(target)
        if goto is None:
            run.problem(
                f"passage {passage.name!r} links to {target!r}, which is not a passage",
                passage.line,
                "unknown-passage",
                format_path(("scenes", scene_id, "choices", len(out))),
            )
            continue
        match = None
        for exact in (True, False):
            for index, choice in enumerate(known):
                if used[index] or choice.get("goto") not in (goto, target):
                    continue
                if exact and _label(choice) != label:
                    continue
                match = index
                break
            if match is not None:
                break
        if match is None:  # earlier links may have been retargeted: match by text alone
            for index, choice in enumerate(known):
                if not used[index] and _label(choice) == label:
                    match = index
                    break
        if match is not None:
            used[match] = True
            choice = dict(known[match])
            choice["goto"] = goto
            if _label(choice) != label:
                choice["text"] = label  # edited in Twine
            out.append(choice)
            continue
        base = _slug(label or target)
        new_id, number = base, 2
        while new_id in taken:
            new_id, number = f"{base}-{number}", number + 1
        taken.add(new_id)
        out.append({"id": new_id, "text": label or target, "goto": goto})
        run.warn(
            f"passage {passage.name!r}: the link {label!r} became choice {new_id!r} with "
            "no feedback and no marks (effects); add them in the scenario file",
            passage.line,
            format_path(("scenes", scene_id, "choices", len(out) - 1)),
        )
    for index, choice in enumerate(known):
        if not used[index]:
            run.warn(
                f"passage {passage.name!r}: choice {choice.get('id')!r} has no link any more "
                "and was dropped",
                passage.line,
                format_path(("scenes", scene_id, "choices")),
            )
    return out
