"""The Twee 3 format as fourresp writes and reads it: names, escaping, passages and links.

Links are found by one left-to-right scan (linear in the passage's length,
whatever brackets it holds).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = [
    "COMMENT_CLOSE",
    "COMMENT_OPEN",
    "ENDING_TAG",
    "GRID_X",
    "GRID_Y",
    "ID_PATTERN",
    "SCENARIO_PASSAGE",
    "SCENE_TAG",
    "STORY_TAG",
    "Passage",
    "canonical",
    "escape_text",
    "find_links",
    "id_from_name",
    "is_link_line",
    "is_skipped",
    "leading_comment",
    "link_text",
    "read_passages",
    "tag_value",
    "unescape_text",
    "without_links",
]

SCENARIO_PASSAGE = "fourresp-scenario"
STORY_TAG = "fourresp-story"
SCENE_TAG = "scene:"
ENDING_TAG = "ending:"
COMMENT_OPEN = "<!-- fourresp"
COMMENT_CLOSE = "-->"
_SKIPPED_TAGS = frozenset(
    {"script", "stylesheet", "startup", "header", "footer", "annotation", "Twine.private"}
)
_SKIPPED_TAGS_PREFIX = ("debug-",)
ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_ESCAPABLE = re.compile(r"\\*::")  # "::" after any number of backslashes
_ESCAPED = re.compile(r"\\+::")
GRID_X, GRID_Y = 150, 150


def escape_text(text: str) -> str:
    """Passage text as Twee 3 needs it: a line that would start a passage is escaped.

    A line that starts with "::", after any number of backslashes, gets one more
    backslash in front; :func:`unescape_text` takes exactly one off again.
    """
    return "\n".join("\\" + line if _ESCAPABLE.match(line) else line for line in text.split("\n"))


def unescape_text(text: str) -> str:
    return "\n".join(line[1:] if _ESCAPED.match(line) else line for line in text.split("\n"))


def canonical(text: str) -> str:
    """Text as a Twee file carries it: line ends as ``\\n``, no trailing blanks."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def link_text(text: str) -> str:
    # Link text cannot hold "]]", "->", "<-" or "|"; what is lost here is kept in the comment.
    cleaned = text.replace("]]", "] ]").replace("->", "- >").replace("<-", "< -")
    cleaned = cleaned.replace("|", "/").replace("[[", "[ [")
    return " ".join(cleaned.split())


def id_from_name(name: str) -> str:
    """An id from a passage or link name: ``Kitchen (night)`` gives ``kitchen-night``."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    slug = "-".join(words)
    if not slug:
        return "scene"
    return slug if slug[0].isalpha() else f"s-{slug}"


def tag_value(tag: str) -> str:
    """A tag holds no spaces; ids never do, but be safe with anything else."""
    return "".join(tag.split())


class Passage:
    __slots__ = ("line", "name", "tags", "text")

    def __init__(self, name: str, tags: list[str], text: str, line: int) -> None:
        self.name = name
        self.tags = tags
        self.text = text
        self.line = line


def read_passages(source: str) -> list[Passage]:
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
        Passage(name, tags, "\n".join(lines).strip("\n"), at) for name, tags, lines, at in found
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


def leading_comment(text: str) -> tuple[str | None, str]:
    """The JSON text of a leading fourresp comment (or None), and the text after it."""
    if not text.startswith(COMMENT_OPEN + "\n"):
        return None, text
    end = text.find("\n" + COMMENT_CLOSE, len(COMMENT_OPEN))
    if end < 0:
        return None, text
    rest = text[end + len(COMMENT_CLOSE) + 1 :]
    return text[len(COMMENT_OPEN) + 1 : end], rest[1:] if rest.startswith("\n") else rest


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


def find_links(text: str) -> list[tuple[str, str]]:
    return [_parse_link(inside) for _start, _end, inside in _link_spans(text) if inside.strip()]


def without_links(text: str) -> str:
    out, position = [], 0
    for start, end, _inside in _link_spans(text):
        out.append(text[position:start])
        position = end
    out.append(text[position:])
    return "".join(out)


def is_link_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped.startswith("[[") or not stripped.endswith("]]"):
        return False
    spans = list(_link_spans(stripped))
    return len(spans) == 1 and spans[0][0] == 0 and spans[0][1] == len(stripped)


def is_skipped(tags: list[str]) -> bool:
    return any(tag in _SKIPPED_TAGS or tag.startswith(_SKIPPED_TAGS_PREFIX) for tag in tags)
