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

from typing import TYPE_CHECKING, Any

import attrs

from fourresp._document._limits import DEFAULT_LIMITS
from fourresp._document._paths import format_path
from fourresp.errors import DocumentError, Problem, Severity
from fourresp.exchange._twee_format import (
    ENDING_TAG,
    ID_PATTERN,
    SCENARIO_PASSAGE,
    SCENE_TAG,
    STORY_TAG,
    Passage,
    canonical,
    find_links,
    id_from_name,
    is_link_line,
    is_skipped,
    leading_comment,
    link_text,
    read_passages,
    unescape_text,
    without_links,
)

if TYPE_CHECKING:
    from fourresp.scenario import Scenario

__all__ = ["MAX_TWEE_BYTES", "from_twee"]

#: the most a Twee story may hold, in bytes (UTF-8); larger stories are refused unread
MAX_TWEE_BYTES = 16 * 1024 * 1024


def _read(text: str, source: str | None, line: int) -> Any:
    """JSON read strictly (depth, size, duplicate keys bounded as for any document)."""
    from fourresp._document._json import read_json
    from fourresp._document._limits import DEFAULT_LIMITS

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


class _Import:
    """One pass over a story's passages, collecting problems and warnings as it goes."""

    def __init__(self, source: str, filename: str | None) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        # at most DEFAULT_LIMITS.max_problems of each are kept, the rest counted:
        # 400,000 passages all named '' must not cost 400,000 messages
        self.more_problems = 0
        self.more_warnings = 0
        self.passages = read_passages(source)

    def problem(
        self, message: str, line: int | None = None, code: str = "twee", path: str = "$"
    ) -> None:
        if len(self.problems) >= DEFAULT_LIMITS.max_problems:
            self.more_problems += 1
            return
        self.problems.append(
            Problem(code=code, message=message, source=self.filename, line=line, path=path)
        )

    def listed(self, found: list[Problem], more: int, severity: Severity) -> list[Problem]:
        """``found``, and a last problem saying how many more were not listed."""
        if not more:
            return found
        message = (
            f"and {more:,} more {'problem' if severity == 'error' else 'warning'}"
            f"{'s' if more != 1 else ''} not listed (at most {DEFAULT_LIMITS.max_problems} "
            "are collected)"
        )
        last = Problem(
            code="too-many-problems", message=message, source=self.filename, severity=severity
        )
        return [*found, last]

    def warn(self, message: str, line: int | None, path: str) -> None:
        if len(self.warnings) >= DEFAULT_LIMITS.max_problems:
            self.more_warnings += 1
            return
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


def _scene_id(passage: Passage) -> str:
    for tag in passage.tags:
        if tag.startswith(SCENE_TAG) and len(tag) > len(SCENE_TAG):
            return tag[len(SCENE_TAG) :]
    return passage.name if ID_PATTERN.fullmatch(passage.name) else id_from_name(passage.name)


def from_twee(
    source: str,
    *,
    title: str | None = None,
    filename: str | None = None,
    warnings: list[Problem] | None = None,
) -> Scenario:
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
        warnings.extend(run.listed(run.warnings, run.more_warnings, "warning"))
    if run.problems or document is None:
        raise DocumentError(run.listed(run.problems, run.more_problems, "error"), source=filename)
    lines: dict[str, int] = document.pop("_lines")
    story_line = document.pop("_story_line")
    try:
        scenario: Scenario = load(document)  # the document says kind: scenario
    except DocumentError as exc:
        raise DocumentError(
            [_locate(problem, lines, story_line, filename) for problem in exc.problems],
            source=filename,
        ) from None
    return scenario


def _locate(
    problem: Problem, lines: dict[str, int], story: int | None, filename: str | None
) -> Problem:
    """``problem`` from the validator, placed at the passage (or story passage) it is about."""
    where = problem.parts
    scene = where[1] if where[:1] == ("scenes",) and len(where) > 1 else None
    line = lines.get(scene, story) if isinstance(scene, str) else story
    return attrs.evolve(problem, source=filename, line=line, column=None)


class _Story:
    """What a story's own passages say, and its scene passages in the order met."""

    __slots__ = ("kept", "line", "order", "scenes", "start_line", "start_name", "title")

    def __init__(self, title: str | None) -> None:
        self.title = title
        self.kept: dict[str, Any] = {}  # the scenario's fields from the story passage
        self.order: list[str] = []  # the scenes' order as exported
        self.line: int | None = None  # the story passage's line
        self.start_name: str | None = None
        self.start_line: int | None = None  # the StoryData passage's line
        self.scenes: list[tuple[str, Passage]] = []


def _document(run: _Import, title: str | None) -> dict[str, Any] | None:
    """The scenario document the story describes, or None when a problem was found."""
    story = _sort_passages(run, title)
    by_name = {passage.name: scene_id for scene_id, passage in story.scenes}
    scenes: dict[str, Any] = {}
    for scene_id, passage in story.scenes:
        scene = _scene(run, scene_id, passage, by_name)
        if scene is not None:
            scenes[scene_id] = scene
    if not story.scenes:
        run.problem("the story has no passage for a scene")
    start = _start(run, story, by_name, scenes)
    if run.problems:
        return None
    return _assemble(story, scenes, start)


def _sort_passages(run: _Import, title: str | None) -> _Story:
    """Read the story's own passages, and collect the scene passages (one per scene id)."""
    story = _Story(title)
    names: dict[str, int] = {}
    ids: dict[str, Passage] = {}
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
                story.title = unescape_text(passage.text).strip()
        elif passage.name == "StoryData":
            _read_story_data(run, passage, story)
        elif passage.name == SCENARIO_PASSAGE or STORY_TAG in passage.tags:
            _read_story_passage(run, passage, story)
        elif not is_skipped(passage.tags):
            _add_scene(run, passage, story, ids)
    return story


def _read_story_data(run: _Import, passage: Passage, story: _Story) -> None:
    """The start passage's name, from the ``StoryData`` JSON."""
    story.start_line = passage.line
    try:
        data = _read(passage.text, run.filename, passage.line + 1)
    except DocumentError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("start"), str):
        story.start_name = data["start"]
    else:
        run.problem("StoryData is not a JSON object naming the start passage", passage.line)


def _read_story_passage(run: _Import, passage: Passage, story: _Story) -> None:
    """The scenario's fields and the scenes' order, from the story passage's comment."""
    story.line = passage.line
    text, _ = leading_comment(passage.text)
    if text is None:
        return
    try:
        kept = _read(text, run.filename, passage.line + 2)
    except DocumentError as exc:
        run.problems.extend(exc.problems)
        return
    if isinstance(kept, dict) and isinstance(kept.get("scenario"), dict):
        story.kept = kept["scenario"]
        if isinstance(kept.get("order"), list):
            story.order = [item for item in kept["order"] if isinstance(item, str)]
    elif isinstance(kept, dict):
        story.kept = kept


def _add_scene(run: _Import, passage: Passage, story: _Story, ids: dict[str, Passage]) -> None:
    """Keep a scene passage, unless another passage already is that scene."""
    scene_id = _scene_id(passage)
    if scene_id in ids:
        other = ids[scene_id]
        run.problem(
            f"passages {other.name!r} (line {other.line}) and {passage.name!r} "
            f"(line {passage.line}) are both scene {scene_id!r}; rename one (and drop "
            f"its {SCENE_TAG}{scene_id} tag if it was copied)",
            passage.line,
            "duplicate-scene",
        )
        return
    ids[scene_id] = passage
    story.scenes.append((scene_id, passage))


def _start(
    run: _Import, story: _Story, by_name: dict[str, str], scenes: dict[str, Any]
) -> str | None:
    """The start scene's id, from StoryData's start passage (or a passage named Start)."""
    start_name = story.start_name
    if start_name is None and story.start_line is None and "Start" in by_name:
        start_name = "Start"  # as Tweego does without StoryData
    if start_name is None:
        if story.start_line is None:
            run.problem("there is no StoryData naming the start (and no passage named Start)")
    elif start_name in by_name:
        return by_name[start_name]
    elif start_name in scenes:
        return start_name
    else:
        run.problem(f"the start passage {start_name!r} is not in the story", story.start_line)
    return None


def _assemble(story: _Story, scenes: dict[str, Any], start: str | None) -> dict[str, Any]:
    """The scenario document, scenes in their exported order, with each scene's line."""
    rank = {scene_id: index for index, scene_id in enumerate(story.order)}
    ordered = sorted(scenes, key=lambda scene_id: rank.get(scene_id, len(rank)))
    story_title = story.title
    kept_title = story.kept.get("title")
    if (
        isinstance(kept_title, str)
        and story_title is not None
        and canonical(kept_title) == canonical(story_title)
    ):
        story_title = kept_title  # not edited in Twine: the exact title
    document: dict[str, Any] = {
        **story.kept,
        "kind": "scenario",
        "title": story_title or story.kept.get("id", "Untitled"),
        "start": start,
        "scenes": {scene_id: scenes[scene_id] for scene_id in ordered},
    }
    document.setdefault("id", "imported-scenario")
    document.setdefault("version", "1.0")
    document.setdefault("introduction", document["title"])
    document.setdefault("endings", {})
    document["_lines"] = {scene_id: passage.line for scene_id, passage in story.scenes}
    document["_story_line"] = story.line if story.line is not None else story.start_line
    return document


def _scene(
    run: _Import, scene_id: str, passage: Passage, by_name: dict[str, str]
) -> dict[str, Any] | None:
    comment, rest = leading_comment(passage.text)
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
        expected = canonical(written)
        count = len(expected.split("\n")) if expected else 0
        tail = lines[count:]
        if canonical(unescape_text("\n".join(lines[:count]))) == expected and all(
            not line.strip() or is_link_line(line) for line in tail
        ):
            body = written  # unedited: the exact text, "\r" and all
            links = find_links("\n".join(tail))
    if body is None:
        text = unescape_text("\n".join(lines))
        links = find_links(text)
        body = canonical(without_links(text)) or passage.name
    kept["text"] = body
    ending = kept.get("ending") if isinstance(kept.get("ending"), str) else None
    for tag in passage.tags:
        if tag.startswith(ENDING_TAG) and len(tag) > len(ENDING_TAG):
            ending = tag[len(ENDING_TAG) :]
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
    return link_text(str(choice.get("text", ""))) or str(choice.get("id", ""))


def _choices(
    run: _Import,
    scene_id: str,
    passage: Passage,
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
        base = id_from_name(label or target)
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
