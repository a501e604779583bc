"""Strategies for the framework and its parts, and the text and ids they are made of."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from fourresp.content import (
    Aspect,
    Book,
    BookFormat,
    Framework,
    Introduction,
    Licence,
    Pledge,
    Resources,
    Responsibility,
    Share,
)
from fourresp.testing._args import check_at_least, check_size_range

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_LOWER_DIGITS = _LOWER + "0123456789"


def identifiers(*, max_parts: int = 3) -> st.SearchStrategy[str]:
    """Valid ids: lower-case words joined by single hyphens (``client-goals``), <= 64 chars.

    ``max_parts`` must be at least 1 (``InvalidArgument`` otherwise).
    """
    check_at_least("max_parts", max_parts, 1)
    first = st.text(_LOWER, min_size=1, max_size=1)
    head = st.builds(lambda a, b: a + b, first, st.text(_LOWER_DIGITS, max_size=8))
    tail = st.lists(st.text(_LOWER_DIGITS, min_size=1, max_size=8), max_size=max_parts - 1)
    return st.builds(lambda h, t: "-".join([h, *t]), head, tail).filter(lambda s: len(s) <= 64)


def texts(*, max_size: int = 80) -> st.SearchStrategy[str]:
    """Text a person might write: any letters, marks, numbers, punctuation and spaces.

    Never empty and never only whitespace; no control characters or lone surrogates.
    ``max_size`` must be at least 1 (``InvalidArgument`` otherwise).
    """
    check_at_least("max_size", max_size, 1)
    alphabet = st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn"))
    return st.text(alphabet, min_size=1, max_size=max_size).filter(
        lambda s: not s.isspace() and s.strip() != ""
    )


def versions() -> st.SearchStrategy[str]:
    """Content versions such as ``"1.0"`` or ``"2.13.4"``."""
    number = st.integers(min_value=0, max_value=999).map(str)
    return st.builds(
        lambda a, b, c: f"{a}.{b}" + (f".{c}" if c is not None else ""),
        number,
        number,
        st.none() | number,
    )


def locales() -> st.SearchStrategy[str]:
    """BCP 47 language tags such as ``en``, ``en-GB`` or ``pt-BR``."""
    return st.sampled_from(
        ["en", "en-GB", "en-US", "fr", "fr-CA", "de", "es-419", "pt-BR", "nl", "ja"]
    )


def aspects(*, ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Aspect]:
    """Single aspects, with or without boundaries; pass ``ids`` to control their ids."""
    return st.builds(
        lambda id_, title, description, includes, excludes: Aspect(
            id=id_, title=title, description=description, includes=includes, excludes=excludes
        ),
        ids if ids is not None else identifiers(),
        texts(),
        texts(max_size=200),
        st.none() | texts(max_size=200),
        st.none() | texts(max_size=200),
    )


@st.composite
def _responsibility(
    draw: st.DrawFn, responsibility_id: str, aspect_ids: list[str]
) -> Responsibility:
    return Responsibility(
        id=responsibility_id,
        title=draw(texts()),
        heading=draw(texts()),
        summary=draw(texts(max_size=200)),
        statement=draw(texts(max_size=400)),
        aspects=tuple(draw(aspects(ids=st.just(aspect_id))) for aspect_id in aspect_ids),
    )


def responsibilities(
    *, min_aspects: int = 1, max_aspects: int = 6
) -> st.SearchStrategy[Responsibility]:
    """Single responsibilities with unique aspect ids.

    Needs ``1 <= min_aspects <= max_aspects`` (``InvalidArgument`` otherwise).
    """
    check_size_range("min_aspects", min_aspects, "max_aspects", max_aspects, floor=1)

    @st.composite
    def build(draw: st.DrawFn) -> Responsibility:
        ids = draw(
            st.lists(identifiers(), min_size=min_aspects + 1, max_size=max_aspects + 1, unique=True)
        )
        return draw(_responsibility(ids[0], ids[1:]))

    return build()


def _introduction() -> st.SearchStrategy[Introduction]:
    return st.builds(
        lambda title, text, cta: Introduction(title=title, text=text, call_to_action=cta),
        texts(),
        texts(max_size=300),
        texts(max_size=40),
    )


def resources() -> st.SearchStrategy[Resources]:
    """The resources of a framework: introductions, book, pledge, share and licence."""
    book_formats = st.lists(identifiers(), min_size=1, max_size=3, unique=True).flatmap(
        lambda ids: st.tuples(
            *[
                st.builds(
                    lambda label, free, i=i: BookFormat(id=i, label=label, free=free),
                    texts(),
                    st.booleans(),
                )
                for i in ids
            ]
        )
    )
    book = st.builds(
        lambda title, cta, blurb, formats, note: Book(
            title=title, call_to_action=cta, blurb=blurb, formats=formats, revenue_note=note
        ),
        texts(),
        texts(),
        texts(max_size=300),
        book_formats,
        st.none() | texts(),
    )
    pledge = st.builds(
        lambda a, b, c, d, e: Pledge(
            title=a, text=b, call_to_action=c, badge_title=d, badge_call_to_action=e
        ),
        texts(),
        texts(),
        texts(),
        texts(),
        texts(),
    )
    hashtags = st.text(_LOWER_DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ_", min_size=1, max_size=30).map(
        lambda s: "#" + s
    )
    share = st.builds(
        lambda title, text, tag, message: Share(
            title=title, text=text, hashtag=tag, message=message
        ),
        texts(),
        texts(),
        hashtags,
        texts(),
    )
    licence = st.builds(
        lambda name, notice, attribution: Licence(
            name=name,
            spdx="CC-BY-NC-SA-4.0",
            url="https://creativecommons.org/licenses/by-nc-sa/4.0/",
            notice=notice,
            attribution=attribution,
        ),
        texts(),
        texts(),
        texts(),
    )
    return st.builds(
        lambda q, s, b, p, sh, li: Resources(
            questionnaire=q, scenario=s, book=b, pledge=p, share=sh, licence=li
        ),
        _introduction(),
        _introduction(),
        book,
        pledge,
        share,
        licence,
    )


def frameworks(
    *,
    min_responsibilities: int = 1,
    max_responsibilities: int = 5,
    min_aspects: int = 1,
    max_aspects: int = 6,
) -> st.SearchStrategy[Framework]:
    """Valid frameworks: ids unique (aspect ids across the whole framework), text varied.

    The default content has four responsibilities of five aspects; these vary both
    so code that assumes those numbers is caught. Needs
    ``1 <= min_responsibilities <= max_responsibilities`` and
    ``1 <= min_aspects <= max_aspects`` (``InvalidArgument`` otherwise).
    """
    check_size_range(
        "min_responsibilities",
        min_responsibilities,
        "max_responsibilities",
        max_responsibilities,
        floor=1,
    )
    check_size_range("min_aspects", min_aspects, "max_aspects", max_aspects, floor=1)

    @st.composite
    def build(draw: st.DrawFn) -> Framework:
        count = draw(st.integers(min_value=min_responsibilities, max_value=max_responsibilities))
        sizes = [
            draw(st.integers(min_value=min_aspects, max_value=max_aspects)) for _ in range(count)
        ]
        ids = draw(
            st.lists(
                identifiers(),
                min_size=count + sum(sizes) + 1,
                max_size=count + sum(sizes) + 1,
                unique=True,
            )
        )
        framework_id, rest = ids[0], ids[1:]
        items = []
        for size in sizes:
            items.append(draw(_responsibility(rest[0], rest[1 : size + 1])))
            rest = rest[size + 1 :]
        return Framework(
            id=framework_id,
            version=draw(versions()),
            locale=draw(locales()),
            title=draw(texts()),
            subtitle=draw(st.none() | texts()),
            responsibilities=tuple(items),
            resources=draw(resources()),
        )

    return build()


def framework_documents(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Framework documents as plain mappings (``kind: framework`` included), ready to dump."""
    from fourresp import to_document

    return frameworks(**kwargs).map(to_document)
