"""Content models: the framework, its responsibilities and aspects, and the site's resources.

All classes are frozen, keyword-only attrs classes: hashable, comparable, and
round-trippable through :func:`fourresp.to_document` and :func:`fourresp.load`.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from fourresp._load import DocumentKind
from fourresp._lookup import find
from fourresp.errors import NotFoundError, Problem

__all__ = [
    "FRAMEWORK_KIND",
    "Aspect",
    "Book",
    "BookFormat",
    "Framework",
    "Introduction",
    "Licence",
    "Pledge",
    "Resources",
    "Responsibility",
    "Share",
]


@attrs.frozen(kw_only=True)
class Aspect:
    """One concrete part of a responsibility; questionnaire items and scenario choices point here.

    ``id`` is unique across the framework and stable between versions.
    ``includes`` and ``excludes`` are one-line boundary rules: which behaviours
    count towards this aspect, and which belong to another one (named by id), so
    that every behaviour an item or a choice describes belongs to exactly one
    aspect. Both are optional in a pack of your own; the default pack has them.
    """

    id: str
    title: str
    description: str
    includes: str | None = None
    excludes: str | None = None


@attrs.frozen(kw_only=True)
class Responsibility:
    """One of the learning professional's responsibilities.

    ``statement`` is the first-person paragraph from the site, verbatim; ``heading``
    is the site's heading ("The learning professional has a responsibility to...").
    """

    id: str
    title: str
    heading: str
    summary: str
    statement: str
    aspects: tuple[Aspect, ...]

    def aspect(self, aspect_id: str) -> Aspect:
        """The aspect with ``aspect_id``; :class:`~fourresp.errors.NotFoundError` if absent."""
        return find(
            self.aspects,
            aspect_id,
            lambda: (
                f"responsibility {self.id!r} has no aspect {aspect_id!r}; it has "
                + ", ".join(aspect.id for aspect in self.aspects)
            ),
        )


@attrs.frozen(kw_only=True)
class Introduction:
    """The invitation to an activity: a title, the text and the words on its button."""

    title: str
    text: str
    call_to_action: str


@attrs.frozen(kw_only=True)
class BookFormat:
    """One way to get the book (a free download, a print copy...)."""

    id: str
    label: str
    free: bool
    url: str | None = None


@attrs.frozen(kw_only=True)
class Book:
    """The short book that goes with the framework."""

    title: str
    call_to_action: str
    blurb: str
    formats: tuple[BookFormat, ...]
    revenue_note: str | None = None


@attrs.frozen(kw_only=True)
class Pledge:
    """ "Show your commitment": the invitation to join the supporters and get the badge."""

    title: str
    text: str
    call_to_action: str
    badge_title: str
    badge_call_to_action: str


@attrs.frozen(kw_only=True)
class Share:
    """ "Spread the word": the invitation to share, the hashtag and a default message.

    See :func:`fourresp.content.share_links` for ready-made links to social networks.
    """

    title: str
    text: str
    hashtag: str
    message: str


@attrs.frozen(kw_only=True)
class Licence:
    """The licence of the content and the attribution to show wherever it is used.

    ``attribution`` is the one text to show. ``work``, ``creator``, ``source`` (the
    original's address) and ``changes`` (what the pack changed) say the same as
    data, for apps that lay the credit out themselves; they are optional in a pack
    of your own.
    """

    name: str
    spdx: str
    url: str
    notice: str
    attribution: str
    work: str | None = None
    creator: str | None = None
    source: str | None = None
    changes: str | None = None


@attrs.frozen(kw_only=True)
class Resources:
    """The texts around the framework, as the site offers them."""

    questionnaire: Introduction
    scenario: Introduction
    book: Book
    pledge: Pledge
    share: Share
    licence: Licence


@attrs.frozen(kw_only=True)
class Framework:
    """A content pack: the responsibilities in reading order, their aspects, and resources.

    Responsibilities keep the order of the document (client, learners, peers, self
    in the default pack). Look them up with :meth:`responsibility` and aspects with
    :meth:`aspect`; both raise :class:`~fourresp.errors.NotFoundError` for an
    unknown id.
    """

    id: str
    version: str
    locale: str
    title: str
    responsibilities: tuple[Responsibility, ...]
    resources: Resources
    subtitle: str | None = None

    def __iter__(self) -> Iterator[Responsibility]:
        return iter(self.responsibilities)

    def __len__(self) -> int:
        return len(self.responsibilities)

    @property
    def aspects(self) -> tuple[Aspect, ...]:
        """Every aspect, responsibility by responsibility, in document order."""
        return tuple(aspect for item in self.responsibilities for aspect in item.aspects)

    def responsibility(self, responsibility_id: str) -> Responsibility:
        """The responsibility with ``responsibility_id`` (e.g. ``"client"``)."""
        return find(
            self.responsibilities,
            responsibility_id,
            lambda: (
                f"no responsibility {responsibility_id!r}; known: "
                + ", ".join(item.id for item in self.responsibilities)
            ),
        )

    def aspect(self, aspect_id: str) -> Aspect:
        """The aspect with ``aspect_id``, whichever responsibility holds it."""
        return self._find_aspect(aspect_id)[1]

    def responsibility_of(self, aspect_id: str) -> Responsibility:
        """The responsibility that holds the aspect ``aspect_id``."""
        return self._find_aspect(aspect_id)[0]

    def _find_aspect(self, aspect_id: str) -> tuple[Responsibility, Aspect]:
        for item in self.responsibilities:
            for aspect in item.aspects:
                if aspect.id == aspect_id:
                    return item, aspect
        raise NotFoundError(
            f"no aspect {aspect_id!r} in framework {self.id!r} ({len(self.aspects)} aspects)"
        )


def _framework_checks(framework: Framework) -> Iterator[Problem]:
    """Ids must be unique: responsibilities among themselves, aspects across the framework."""
    seen_responsibilities: dict[str, int] = {}
    seen_aspects: dict[str, tuple[int, int]] = {}
    for r_index, item in enumerate(framework.responsibilities):
        if item.id in seen_responsibilities:
            first = seen_responsibilities[item.id]
            yield Problem(
                parts=("responsibilities", r_index, "id"),
                code="duplicate-id",
                message=f"responsibility id {item.id!r} is already used by "
                f"responsibilities[{first}]; ids must be unique",
                first=("responsibilities", first, "id"),
            )
        else:
            seen_responsibilities[item.id] = r_index
        for a_index, aspect in enumerate(item.aspects):
            if aspect.id in seen_aspects:
                first_r, first_a = seen_aspects[aspect.id]
                yield Problem(
                    parts=("responsibilities", r_index, "aspects", a_index, "id"),
                    code="duplicate-id",
                    message=f"aspect id {aspect.id!r} is already used by "
                    f"responsibilities[{first_r}].aspects[{first_a}]; aspect ids must be "
                    "unique across the framework",
                    first=("responsibilities", first_r, "aspects", first_a, "id"),
                )
            else:
                seen_aspects[aspect.id] = (r_index, a_index)
    seen_formats: set[str] = set()
    for f_index, book_format in enumerate(framework.resources.book.formats):
        if book_format.id in seen_formats:
            yield Problem(
                parts=("resources", "book", "formats", f_index, "id"),
                code="duplicate-id",
                message=f"book format id {book_format.id!r} is used twice",
            )
        seen_formats.add(book_format.id)


FRAMEWORK_KIND = DocumentKind(
    name="framework",
    schema="framework",
    model=Framework,
    summary="a content pack: responsibilities, aspects and resources",
    checks=_framework_checks,
)
