"""Strategies for questionnaires, their answers and responses."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from fourresp.testing._args import check_size_range
from fourresp.testing._content import identifiers, texts, versions

if TYPE_CHECKING:
    from fourresp.assessment import BandSet, Questionnaire, Response


def _bands(group_ids: list[str]) -> st.SearchStrategy[tuple[BandSet, ...]]:
    from fourresp.assessment import Band, BandSet

    @st.composite
    def build(draw: st.DrawFn) -> tuple[BandSet, ...]:
        sets = []
        for group in group_ids:
            cuts = sorted(draw(st.sets(st.integers(1, 99), max_size=4)))
            edges = [0, *cuts, 100]
            bands = tuple(
                Band(
                    id=f"band-{index}",
                    name=f"Band {index}",
                    from_=float(low),
                    to=float(high),
                    doing_well=draw(texts()),
                    to_improve=draw(texts()),
                )
                for index, (low, high) in enumerate(itertools.pairwise(edges))
            )
            sets.append(BandSet(group=group, bands=bands))
        return tuple(sets)

    return build()


def questionnaires(
    *,
    min_items: int = 1,
    max_items: int = 30,
    scorers: tuple[str, ...] = ("sum", "mean", "percent", "weighted-mean"),
) -> st.SearchStrategy[Questionnaire]:
    """Valid questionnaires on the default framework's aspects.

    Scales vary (including half steps and per-item overrides), some items are
    reverse-keyed, weights vary, bands cover 0-100 with no gap, and the scorer is
    one of ``scorers``. Needs ``1 <= min_items <= max_items`` and at least one
    scorer, each known to the default scorer registry (built-ins and installed
    plugins): ``InvalidArgument`` otherwise, naming what is wrong.
    """
    from fourresp.assessment import Item, MissingPolicy, Questionnaire, Scale, Scoring

    check_size_range("min_items", min_items, "max_items", max_items, floor=1)
    _check_scorers(scorers)
    from fourresp.content import load_framework

    framework = load_framework()
    aspect_ids = [aspect.id for aspect in framework.aspects]

    scales = st.builds(
        lambda low, span, half: Scale(min=low, max=low + span, step=0.5 if half else 1),
        st.integers(-2, 2),
        st.integers(1, 10),
        st.booleans(),
    )

    @st.composite
    def build(draw: st.DrawFn) -> Questionnaire:
        count = draw(st.integers(min_items, max_items))
        items = tuple(
            Item(
                id=f"q{index}",
                text=draw(texts()),
                aspect=draw(st.sampled_from(aspect_ids)),
                reverse=draw(st.booleans()),
                weight=draw(st.sampled_from([0.5, 1.0, 1.0, 2.0, 3.0])),
                scale=draw(st.none() | scales),
            )
            for index in range(count)
        )
        return Questionnaire(
            id=draw(identifiers()),
            version=draw(versions()),
            framework=framework.id,
            title=draw(texts()),
            introduction=draw(texts()),
            instructions=draw(texts()),
            scale=draw(scales),
            items=items,
            bands=draw(_bands(["overall", *(r.id for r in framework)])),
            scoring=Scoring(scorer=draw(st.sampled_from(scorers))),
            missing=MissingPolicy(
                min_answered_fraction=draw(st.sampled_from([0.0, 0.5, 0.75, 1.0]))
            ),
        )

    return build()


def answers_for(
    questionnaire: Questionnaire, *, skips: bool = False
) -> st.SearchStrategy[dict[str, float | None]]:
    """Valid answers (item id -> a point of its scale) for ``questionnaire``.

    With ``skips``, some answers are None (skipped).
    """

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, float | None]:
        answers: dict[str, float | None] = {}
        for item in questionnaire.items:
            if skips and draw(st.booleans()):
                answers[item.id] = None
                continue
            answers[item.id] = draw(st.sampled_from(questionnaire.scale_of(item).points))
        return answers

    return build()


def responses(
    questionnaire: Questionnaire, *, skips: bool = False, valid: bool = True
) -> st.SearchStrategy[Response]:
    """Responses to ``questionnaire``: complete, with skips, or (``valid=False``) broken.

    A broken response has at least one fault the engine must refuse: an unknown
    item, a value off the scale or off the step, a boolean, or the wrong
    questionnaire id or version.
    """
    from fourresp.assessment import Response

    def make(answers: dict[str, float | None], questionnaire_id: str, version: str) -> Response:
        return Response(questionnaire=questionnaire_id, version=version, answers=answers)

    base = answers_for(questionnaire, skips=skips)
    if valid:
        return base.map(lambda answers: make(answers, questionnaire.id, questionnaire.version))

    item_ids = [item.id for item in questionnaire.items]

    @st.composite
    def broken(draw: st.DrawFn) -> Response:
        answers = draw(base)
        fault = draw(st.sampled_from(["unknown", "off-scale", "off-step", "bool", "id", "version"]))
        questionnaire_id, version = questionnaire.id, questionnaire.version
        target = draw(st.sampled_from(item_ids))
        scale = questionnaire.scale_of(questionnaire.item(target))
        if fault == "unknown":
            answers["no-such-item"] = scale.min
        elif fault == "off-scale":
            answers[target] = scale.max + draw(st.sampled_from([1, 2.5, 100]))
        elif fault == "off-step":
            answers[target] = scale.min + scale.step / 3
        elif fault == "bool":
            answers[target] = draw(st.booleans())
        elif fault == "id":
            questionnaire_id = questionnaire_id + "-other"
        else:
            version = version + ".1"
        return make(answers, questionnaire_id, version)

    return broken()


def _check_scorers(scorers: Sequence[str]) -> None:
    """Refuse an empty ``scorers`` or a name the default registry does not know."""
    from fourresp.assessment import default_registry

    if isinstance(scorers, str) or not scorers:
        raise InvalidArgument(f"scorers must be a non-empty tuple of scorer names, not {scorers!r}")
    registry = default_registry()
    unknown = [name for name in scorers if name not in registry]
    if unknown:
        raise InvalidArgument(
            f"scorers names no scorer called {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(registry.names())}"
        )
