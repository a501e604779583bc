"""Checks on an already-parsed tree, and the one number and text policy of every reader.

The policy, the same for YAML, JSON and mappings passed to the API:

- numbers are finite; an integer has at most ``Limits.max_number_digits`` digits
  and any other number is written in at most :data:`MAX_NUMBER_CHARACTERS`
  characters, both checked *before* the text is converted (so a number of
  thousands of digits costs nothing);
- text (keys and values) holds only characters XML 1.0 allows: no lone
  surrogates, no control characters other than tab, line feed and carriage
  return, no U+FFFE or U+FFFF. Anything a document holds can reach an output
  (SVG, JSON, Markdown, a database), so it is refused here, at input, with a
  located problem, rather than failing later in a writer.

A value that breaks the policy is reported as a *recoverable* problem: the reader
goes on (a bad number is read as null) so that validation can report the later
problems of the same document too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from fourresp._document._limits import Limits
from fourresp._document._paths import Path
from fourresp._svg import XML_FORBIDDEN

__all__ = [
    "MAX_NUMBER_CHARACTERS",
    "BadNumber",
    "Capped",
    "Found",
    "check_tree",
    "find_forbidden",
    "integer_problem",
    "number_problem",
    "number_text_problem",
    "plain_copy",
    "text_problem",
]

#: How long a number with a fraction or an exponent may be written.
MAX_NUMBER_CHARACTERS = 100

#: (code, message, path) of one problem found while reading, before it is located
Found = tuple[str, str, Path]

_SCALARS = (str, int, float, bool, type(None))

# Everything outside XML 1.0's Char production (see fourresp._svg): one search per
# string, linear in its length.
_FORBIDDEN = XML_FORBIDDEN


def text_problem(value: str) -> str | None:
    """Why ``value`` may not appear in a document, or None when it may."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    char = found.group()
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        what = "a lone surrogate, which is not valid Unicode"
    elif code < 0x20:
        what = "a control character"
    else:
        what = "a noncharacter"
    return (
        f"the text holds U+{code:04X} ({what}) at character {found.start() + 1}; "
        "text may hold tab and line breaks but no other control characters, lone "
        "surrogates, U+FFFE or U+FFFF"
    )


def number_text_problem(token: str, *, integer: bool, limits: Limits) -> str | None:
    """Why the written number ``token`` is too long to convert, or None when it is not."""
    if integer:
        digits = len(token) - (token[:1] in "+-")
        if digits > limits.max_number_digits:
            return (
                f"the integer starting {token[:20]!r} has {digits:,} digits; at most "
                f"{limits.max_number_digits} are allowed (Limits.max_number_digits)"
            )
        return None
    if len(token) > MAX_NUMBER_CHARACTERS:
        return (
            f"the number starting {token[:20]!r} is {len(token):,} characters long; "
            f"at most {MAX_NUMBER_CHARACTERS} are allowed"
        )
    return None


def integer_problem(value: int, limits: Limits) -> str | None:
    """Why the integer ``value`` is out of range, or None (no conversion to text)."""
    if -_bound(limits) < value < _bound(limits):
        return None
    return f"the integer has more than {limits.max_number_digits} digits (Limits.max_number_digits)"


def number_problem(value: float) -> str | None:
    """Why the float ``value`` may not appear in a document, or None when it may."""
    if math.isfinite(value):
        return None
    return f"{value!r} is not a number JSON can hold; only finite numbers are allowed"


_BOUNDS: dict[int, int] = {}


def _bound(limits: Limits) -> int:
    digits = limits.max_number_digits
    bound = _BOUNDS.get(digits)
    if bound is None:
        bound = _BOUNDS[digits] = 10**digits
    return bound


class BadNumber:
    """A number a reader refused to convert; :func:`check_tree` reports it and puts null."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class Capped(list[Found]):
    """A list that keeps at most ``cap`` items and counts the rest in ``more``."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.more = 0

    def add(self, item: Found) -> None:
        """Keep ``item``, or count it when the list is full."""
        if len(self) < self.cap:
            self.append(item)
        else:
            self.more += 1


class TreeProblems(Exception):
    """Fatal problems found in a tree (too deep, too many values): nothing can go on."""

    def __init__(self, found: list[Found]) -> None:
        super().__init__(found)
        self.found = found


def check_tree(value: Any, *, limits: Limits) -> tuple[Any, Capped]:
    """Check a parsed tree in place against the limits and the number and text policy.

    Returns ``(value, recoverable problems)``: a bad number is replaced by None;
    at most ``limits.max_problems`` are kept, the rest counted (``Capped.more``).
    Raises :class:`TreeProblems` for fatal ones (too deep, too many values).
    Iterative, so any depth is safe to inspect.
    """
    return _walk(value, limits=limits, copy=False)


def plain_copy(value: Any, *, limits: Limits) -> tuple[Any, Capped]:
    """Copy a caller's mapping into plain dicts and lists, refusing what JSON cannot hold.

    Tuples become lists, any :class:`~collections.abc.Mapping` becomes a dict; keys
    must be strings, numbers finite and bounded, text within the policy. The copy
    also means later changes the caller makes to their object cannot reach a loaded
    document. Returns the copy and its recoverable problems, like :func:`check_tree`.
    """
    return _walk(value, limits=limits, copy=True)


def _walk(value: Any, *, limits: Limits, copy: bool) -> tuple[Any, Capped]:
    return _Walk(limits, copy).run(value)


# A container waiting to be read: (container, depth, path, parent of its copy, key or index).
_Pending = tuple[Any, int, Path, Any, Any]


class _Walk:
    """One walk over a tree: the problems found so far and the limits they are found against.

    Containers only are queued; scalars are checked inline as their container is
    read, and a path is built only for a problem: most values of a large document
    are scalars, and this is what keeps checking a 16 MB document to a second or two.
    """

    def __init__(self, limits: Limits, copy: bool) -> None:
        self.limits = limits
        self.copy = copy
        self.found = Capped(limits.max_problems)
        self.fatal: list[Found] = []
        self.bound = _bound(limits)

    def run(self, value: Any) -> tuple[Any, Capped]:
        """The checked (or copied) tree and its recoverable problems; TreeProblems if fatal."""
        limits, fatal = self.limits, self.fatal
        root: list[Any] = [None]
        pending: list[_Pending] = []
        nodes = 0
        is_scalar, kept = self.scalar(value, ())
        if is_scalar:
            return kept, self.found
        if self.container(value, 0, ()):
            pending.append((value, 0, (), root, 0))
        while pending and not fatal:
            item, depth, path, parent, slot = pending.pop()
            nodes += len(item) + 1
            if nodes > limits.max_nodes:
                message = f"the document has more than {limits.max_nodes} values"
                fatal.append(("too-many-nodes", message, path))
                break
            nested: list[_Pending] = []
            if isinstance(item, Mapping):
                out = self.mapping(item, depth, path, nested)
            else:
                out = self.sequence(item, depth, path, nested)
            if out is not item or parent is root:
                parent[slot] = out
            pending.extend(reversed(nested))
        if fatal:
            raise TreeProblems(fatal + list(self.found))
        return root[0], self.found

    def mapping(
        self, item: Mapping[Any, Any], depth: int, path: Path, nested: list[_Pending]
    ) -> Any:
        """Check a mapping's keys and scalars, queue its containers; its copy or itself."""
        copy, found, text, bound = self.copy, self.found, _TEXT_OK, self.bound
        out: Any = {} if copy else item
        for key, child in item.items():
            if not isinstance(key, str):
                message = f"keys must be strings, not {type(key).__name__}"
                self.fatal.append(("bad-key", message, path))
                continue
            if text(key) is not None:
                found.add(("bad-character", f"a key: {text_problem(key)}", (*path, key)))
            kind = type(child)
            plain = child is None or kind is bool or (kind is int and -bound < child < bound)
            if plain or (kind is str and text(child) is None):
                if copy:
                    out[key] = child
                continue
            is_scalar, kept = self.scalar(child, (*path, key))
            if is_scalar:
                if copy or kept is not child:
                    out[key] = kept
            elif self.container(child, depth + 1, (*path, key)):
                if copy:
                    out[key] = None  # keeps the keys' order; filled in later
                nested.append((child, depth + 1, (*path, key), out, key))
        return out

    def sequence(self, item: Any, depth: int, path: Path, nested: list[_Pending]) -> Any:
        """Check a list's (or tuple's) scalars, queue its containers; a list, copied if need be."""
        text, bound = _TEXT_OK, self.bound
        out = [None] * len(item) if self.copy or isinstance(item, tuple) else item
        for index, child in enumerate(item):
            kind = type(child)
            plain = child is None or kind is bool or (kind is int and -bound < child < bound)
            if plain or (kind is str and text(child) is None):
                if out is not item:
                    out[index] = child
                continue
            is_scalar, kept = self.scalar(child, (*path, index))
            if is_scalar:
                if out is not item or kept is not child:
                    out[index] = kept
            elif self.container(child, depth + 1, (*path, index)):
                nested.append((child, depth + 1, (*path, index), out, index))
        return out

    def scalar(self, item: Any, path: Path) -> tuple[bool, Any]:
        """(whether ``item`` is a scalar, the value to keep)."""
        if isinstance(item, str):
            message = text_problem(item)
            if message is not None:
                self.found.add(("bad-character", message, path))
            return True, item
        if item is None or isinstance(item, bool):
            return True, item
        if isinstance(item, int):
            message = integer_problem(item, self.limits)
        elif isinstance(item, float):
            message = number_problem(item)
        elif isinstance(item, BadNumber):
            message = item.message
        else:
            return False, item
        if message is not None:
            self.found.add(("bad-scalar", message, path))
            return True, None
        return True, item

    def container(self, item: Any, depth: int, path: Path) -> bool:
        """Whether ``item`` is a container to queue; fatal problems for what cannot be one."""
        if isinstance(item, Mapping | list | tuple):
            if depth >= self.limits.max_depth:
                message = f"nesting is deeper than {self.limits.max_depth} levels"
                self.fatal.append(("too-deep", message, path))
            return True
        self.fatal.append(
            (
                "bad-type",
                f"a value of type {type(item).__name__} cannot appear in a document; use "
                "strings, numbers, booleans, null, lists and mappings",
                path,
            )
        )
        return False


_TEXT_OK = _FORBIDDEN.search
#: The first character text may not hold (see :func:`text_problem`), or None: a
#: match object, so truthy exactly when the text breaks the policy.
find_forbidden = _FORBIDDEN.search
