"""Hypothesis strategies for property-based tests of code that uses fourresp.

Each function returns a strategy, the way :mod:`hypothesis.strategies` does, so
they compose::

    from hypothesis import given
    from fourresp import testing

    @given(testing.frameworks())
    def test_my_report_mentions_every_aspect(framework):
        report = my_report(framework)
        assert all(aspect.title in report for aspect in framework.aspects)

Every value they produce is valid: it passes the library's schemas and checks,
and loads back equal to itself. Strategies are written by hand rather than with
``builds()``, which would ignore the models' constraints.

Hypothesis is not a runtime dependency of fourresp: install it (for example with
the ``test`` extra) to use this module.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "fourresp.testing needs Hypothesis: pip install 'fourresp[test]' or pip install hypothesis"
    ) from exc

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

__all__ = [
    "answers_for",
    "aspects",
    "check_scorer",
    "framework_documents",
    "frameworks",
    "identifiers",
    "keyed_answers",
    "locales",
    "questionnaires",
    "resources",
    "responses",
    "responsibilities",
    "runs",
    "scenario_documents",
    "scenarios",
    "texts",
    "versions",
]

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_LOWER_DIGITS = _LOWER + "0123456789"


def identifiers(*, max_parts: int = 3) -> st.SearchStrategy[str]:
    """Valid ids: lower-case words joined by single hyphens (``client-goals``), <= 64 chars."""
    first = st.text(_LOWER, min_size=1, max_size=1)
    head = st.builds(lambda a, b: a + b, first, st.text(_LOWER_DIGITS, max_size=8))
    tail = st.lists(st.text(_LOWER_DIGITS, min_size=1, max_size=8), max_size=max_parts - 1)
    return st.builds(lambda h, t: "-".join([h, *t]), head, tail).filter(lambda s: len(s) <= 64)


def texts(*, max_size: int = 80) -> st.SearchStrategy[str]:
    """Text a person might write: any letters, marks, numbers, punctuation and spaces.

    Never empty and never only whitespace; no control characters or lone surrogates.
    """
    alphabet = st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn"))
    return st.text(alphabet, min_size=1, max_size=max_size).filter(
        lambda s: not s.isspace() and s.strip() != ""
    )


# What a scenario reads as a placeholder ("{strongest}"); generated prose has none.
_BRACED = re.compile(r"\{[^{}\s]{1,40}\}")


def _prose(*, max_size: int = 80) -> st.SearchStrategy[str]:
    """:func:`texts` without anything a scenario would read as a placeholder."""
    return texts(max_size=max_size).filter(lambda text: _BRACED.search(text) is None)


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
    """Single responsibilities with unique aspect ids."""

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
    so code that assumes those numbers is caught.
    """

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


# -- questionnaires and responses --------------------------------------------------


def _bands(group_ids: list[str]) -> st.SearchStrategy[tuple[Any, ...]]:
    from fourresp.assessment import Band, BandSet

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Any, ...]:
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
) -> st.SearchStrategy[Any]:
    """Valid questionnaires on the default framework's aspects.

    Scales vary (including half steps and per-item overrides), some items are
    reverse-keyed, weights vary, bands cover 0-100 with no gap, and the scorer is
    one of ``scorers``.
    """
    from fourresp.assessment import Item, MissingPolicy, Questionnaire, Scale, Scoring
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


def answers_for(questionnaire: Any, *, skips: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Valid answers (item id -> a point of its scale) for ``questionnaire``.

    With ``skips``, some answers are None (skipped).
    """

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for item in questionnaire.items:
            if skips and draw(st.booleans()):
                answers[item.id] = None
                continue
            answers[item.id] = draw(st.sampled_from(questionnaire.scale_of(item).points))
        return answers

    return build()


def responses(
    questionnaire: Any, *, skips: bool = False, valid: bool = True
) -> st.SearchStrategy[Any]:
    """Responses to ``questionnaire``: complete, with skips, or (``valid=False``) broken.

    A broken response has at least one fault the engine must refuse: an unknown
    item, a value off the scale or off the step, a boolean, or the wrong
    questionnaire id or version.
    """
    from fourresp.assessment import Response

    def make(answers: dict[str, Any], questionnaire_id: str, version: str) -> Response:
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


# -- scenarios ---------------------------------------------------------------------


def scenarios(
    *,
    min_scenes: int = 2,
    max_scenes: int = 12,
    loops: bool = True,
    variables: bool = True,
    variants: bool = False,
) -> st.SearchStrategy[Any]:
    """Valid scenarios on the default framework's aspects: the validator finds no error.

    Scenes are laid out in order; every non-ending scene has an unconditional
    choice to a later scene (so every run can end), every scene has a way in, and
    the last scenes end the run, one ending each (so every ending is reachable).
    With ``variables``, a boolean is set by some choices and read by conditions,
    and with ``loops``, some scenes get a way back to an earlier scene, guarded by
    a bounded counter, so every loop has an exit. Choices mark random aspects + or -.
    With ``variants``, some scenes, debriefs and epilogues get variants on what
    was visited and on responsibilities' net marks and percents (which may or may not
    ever be shown: the validator may warn), and the order is shuffled or authored.
    """
    from fourresp.content import load_framework
    from fourresp.scenario import (
        AnyOf,
        Choice,
        Effects,
        Ending,
        Epilogue,
        Mark,
        ResponsibilityPercent,
        ResponsibilityTotal,
        Scenario,
        Scene,
        Update,
        Variable,
        VariableIs,
        Variant,
        Visited,
    )
    from fourresp.scenario._models import Op

    responsibility_ids = [r.id for r in load_framework()]

    aspect_ids = [aspect.id for aspect in load_framework().aspects]
    ops: st.SearchStrategy[Op] = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    marks = st.lists(
        st.builds(
            lambda aspect, sign, weight: Mark(aspect=aspect, sign=sign, weight=weight),
            st.sampled_from(aspect_ids),
            st.sampled_from(["+", "-"]),
            st.integers(1, 3),
        ),
        max_size=2,
    )

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        count = draw(st.integers(min_scenes, max_scenes))
        ending_count = draw(st.integers(1, min(3, count - 1)))
        terminals = set(range(count - ending_count, count))
        scene_ids = [f"scene-{number}" for number in range(count)]
        choices: list[list[Choice]] = [[] for _ in range(count)]
        with_flag = variables and draw(st.booleans())
        with_loops = loops and draw(st.booleans())
        with_variants = variants and draw(st.booleans())

        def variant_list(scene_count: int, end: bool = False) -> tuple[Any, ...]:
            if not with_variants:
                return ()
            found = []
            for _ in range(draw(st.integers(0, 2))):
                kind = draw(st.sampled_from(["visited", "total", "percent"]))
                if kind == "visited":
                    condition: Any = Visited(
                        visited=scene_ids[draw(st.integers(0, scene_count - 1))]
                    )
                elif kind == "total":
                    condition = ResponsibilityTotal(
                        responsibility=draw(st.sampled_from(responsibility_ids)),
                        op=draw(ops),
                        value=draw(st.integers(-3, 3)),
                    )
                else:
                    condition = ResponsibilityPercent(
                        percent=draw(st.sampled_from(responsibility_ids)),
                        op=draw(ops),
                        value=draw(st.integers(0, 100)),
                    )
                text = draw(_prose(max_size=30))
                if end and draw(st.booleans()):
                    text += " {strongest} / {weakest}"
                found.append(Variant(condition=condition, text=text))
            return tuple(found)

        def choice(source: int, target: int, **extra: Any) -> Choice:
            number = len(choices[source])
            updates = extra.pop("updates", ())
            return Choice(
                id=f"choice-{number}",
                text=draw(_prose(max_size=40)),
                goto=scene_ids[target],
                feedback=draw(st.none() | _prose(max_size=40)),
                effects=Effects(marks=tuple(draw(marks)), set=tuple(updates)),
                **extra,
            )

        last_open = count - ending_count - 1  # the last scene that offers choices
        for scene in range(1, count):
            # a way in from an earlier scene that offers choices
            source = draw(st.integers(0, min(scene - 1, last_open)))
            choices[source].append(choice(source, scene))
        for scene in range(last_open + 1):
            if not choices[scene]:  # an unconditional way on
                target = draw(st.integers(scene + 1, count - 1))
                choices[scene].append(choice(scene, target))
            for _ in range(draw(st.integers(0, 2))):
                target = draw(st.integers(scene + 1, count - 1))
                extra: dict[str, Any] = {}
                if with_flag and draw(st.booleans()):
                    extra["updates"] = (Update(var="flag", to=draw(st.booleans())),)
                if with_flag and draw(st.booleans()):
                    # holds at least on the first visit: the scene itself counts as visited
                    extra["condition"] = AnyOf(
                        any=(
                            VariableIs(var="flag", op="==", value=draw(st.booleans())),
                            Visited(visited=scene_ids[scene]),
                        )
                    )
                choices[scene].append(choice(scene, target, **extra))
            if with_loops and scene > 0 and draw(st.booleans()):
                back = draw(st.integers(0, scene))
                looped = choice(
                    scene,
                    back,
                    condition=VariableIs(var="laps", op="<", value=2),
                    updates=(Update(var="laps", add=1),),
                )
                choices[scene].append(looped)
        endings = [
            Ending(
                id=f"ending-{number}",
                title=draw(_prose(max_size=30)),
                verdict=draw(_prose(max_size=30)),
                debrief=draw(_prose(max_size=60)),
                passed=draw(st.none() | st.booleans()),
                variants=variant_list(count, end=True),
                epilogue=Epilogue(
                    text=draw(_prose(max_size=40)), variants=variant_list(count, True)
                )
                if with_variants and draw(st.booleans())
                else None,
            )
            for number in range(ending_count)
        ]
        scenes = []
        for number in range(count):
            ending = endings[sorted(terminals).index(number)].id if number in terminals else None
            scenes.append(
                Scene(
                    id=scene_ids[number],
                    text=draw(_prose(max_size=60)),
                    act=draw(st.none() | _prose(max_size=20)),
                    speaker=draw(st.none() | _prose(max_size=20)),
                    choices=tuple(choices[number]),
                    ending=ending,
                    variants=variant_list(count),
                )
            )
        declared = []
        updated = {u.var for s in scenes for c in s.choices for u in c.effects.set}
        read = any(c.condition is not None for s in scenes for c in s.choices)
        if with_flag and ("flag" in updated or read):
            declared.append(Variable(name="flag", type="boolean", initial=False))
        if "laps" in updated:  # set and read by the same looping choices
            declared.append(Variable(name="laps", type="integer", initial=0, min=0, max=2))
        return Scenario(
            id=draw(identifiers()),
            version=draw(versions()),
            title=draw(_prose(max_size=40)),
            introduction=draw(_prose(max_size=80)),
            start=scene_ids[0],
            scenes=tuple(scenes),
            endings=tuple(endings),
            variables=tuple(declared),
            order=draw(st.sampled_from(["shuffled", "authored"])) if with_variants else "shuffled",
        )

    return build()


def scenario_documents(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Scenario documents as plain mappings (``kind: scenario`` included), ready to dump."""
    from fourresp import to_document

    return scenarios(**kwargs).map(to_document)


def runs(scenario: Any, *, max_steps: int = 50) -> st.SearchStrategy[Any]:
    """Runs of ``scenario``: random play-throughs of up to ``max_steps`` open choices.

    Each value is a :class:`~fourresp.scenario.Run`; it may or may not be finished.
    Runs have seed 0, so a shuffled scenario presents its choices in the same
    order every time and Hypothesis can replay and shrink what it drew.
    """
    from fourresp.scenario import Runner

    runner = Runner(scenario, seed=0)

    @st.composite
    def play(draw: st.DrawFn) -> Any:
        run = runner.start()
        for _ in range(draw(st.integers(0, max_steps))):
            options = runner.choices(run)
            if not options:
                break
            run = runner.choose(run, draw(st.sampled_from(options)).id)
        return run

    return play()


# -- a conformance kit for scorer plugins ----------------------------------------------


def keyed_answers(*, min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[Any]:
    """Non-empty lists of :class:`~fourresp.assessment.KeyedAnswer`, as scorers receive them."""
    from fourresp.assessment import KeyedAnswer

    @st.composite
    def one(draw: st.DrawFn) -> KeyedAnswer:
        low = draw(st.integers(-3, 3))
        high = low + draw(st.integers(1, 10))
        return KeyedAnswer(
            item=draw(identifiers(max_parts=2)),
            keyed=draw(st.integers(low, high)),
            minimum=low,
            maximum=high,
            weight=draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
        )

    return st.lists(one(), min_size=min_size, max_size=max_size)


def check_scorer(
    scorer: Any, *, max_examples: int = 100, parameters: Any = None, shrink: bool = True
) -> None:
    """Check that ``scorer`` keeps the promises of :class:`fourresp.assessment.Scorer`.

    Run it in your plugin's own tests; it raises ``AssertionError`` with the
    smallest failing example Hypothesis finds. It checks that the scorer returns a
    :class:`~fourresp.assessment.ScorerOutput` with a finite value and a percent from 0
    to 100, gives the same output for the same input (pure), and does not depend on
    the order of the answers. For an :class:`~fourresp.assessment.AdditiveScorer`, it
    also checks that ``from_sums`` of the answers' terms agrees with calling it.
    ``shrink=False`` reports the first failing example as found, without the
    search for a smaller one: quick when a test expects the check to fail.

    >>> from fourresp.assessment._scorers import score_percent
    >>> from fourresp.testing import check_scorer
    >>> check_scorer(score_percent, max_examples=20)
    """
    import math

    from hypothesis import Phase, given, settings

    from fourresp.assessment import AdditiveScorer, ScorerOutput

    given_parameters = dict(parameters or {})

    phases = tuple(Phase) if shrink else (Phase.explicit, Phase.reuse, Phase.generate)

    @settings(max_examples=max_examples, deadline=None, phases=phases)
    @given(keyed_answers(), st.randoms(use_true_random=False), st.integers(0, 5))
    def conforms(answers: list[Any], rng: Any, extra: int) -> None:
        total = len(answers) + extra
        first = scorer(answers, total_items=total, parameters=dict(given_parameters))
        assert isinstance(first, ScorerOutput), f"returned {first!r}, not a ScorerOutput"
        assert math.isfinite(first.value), f"value {first.value!r} is not finite"
        assert math.isfinite(first.percent), f"percent {first.percent!r} is not finite"
        assert 0 <= first.percent <= 100, f"percent {first.percent!r} is not from 0 to 100"
        again = scorer(list(answers), total_items=total, parameters=dict(given_parameters))
        assert again == first, f"not pure: {first!r}, then {again!r}"
        shuffled = list(answers)
        rng.shuffle(shuffled)
        moved = scorer(shuffled, total_items=total, parameters=dict(given_parameters))
        assert math.isclose(moved.percent, first.percent, rel_tol=1e-9, abs_tol=1e-9), (
            f"depends on the order of the answers: {first!r} then {moved!r}"
        )
        assert math.isclose(moved.value, first.value, rel_tol=1e-9, abs_tol=1e-9), (
            f"depends on the order of the answers: {first!r} then {moved!r}"
        )
        if isinstance(scorer, AdditiveScorer):
            columns = zip(*map(scorer.terms, answers), strict=True)
            sums = tuple(math.fsum(column) for column in columns)
            summed = scorer.from_sums(
                sums,
                answered=len(answers),
                total_items=total,
                parameters=dict(given_parameters),
            )
            disagreement = (
                f"from_sums of the terms gives {summed!r}, but calling the scorer gives "
                f"{first!r}; the engine uses from_sums"
            )
            agree = math.isclose(
                summed.percent, first.percent, rel_tol=1e-9, abs_tol=1e-9
            ) and math.isclose(summed.value, first.value, rel_tol=1e-9, abs_tol=1e-9)
            assert agree, disagreement

    conforms()
