"""SurveyJS: a questionnaire as a survey, and a survey's answers back as a response.

The survey has a page per responsibility (the questionnaire's instructions as
its description) and a rating question per item with its scale's labels. Its
``calculatedValues`` reproduce fourresp's scores, so a SurveyJS front end can
show a live preview and hand the figures on with the data; the authoritative
score is still :func:`fourresp.assessment.score` of the imported answers.

For each responsibility ``<id>``, and for ``overall``:

- ``<id>-raw``: the keyed sum of the answers, prorated to all the group's items;
- ``<id>-percent``: the percent the questionnaire's scorer gives (for the
  built-in scorers ``sum``, ``percent``, ``mean`` and ``weighted-mean``; a
  plugin scorer's percent cannot be written as a SurveyJS expression, so it has
  no ``-percent`` values).

- ``<id>-band``: the id of the band that percent falls in (where the
  questionnaire has bands for the group and a ``-percent`` value).

Each is empty, as fourresp's score is "insufficient", when fewer than the
questionnaire's ``missing.min_answered_fraction`` of the group's items (or none)
were answered; the overall values are empty when any responsibility's are.

SurveyJS's own arithmetic has two traps the expressions avoid: ``sum()`` skips
unanswered questions (so it cannot prorate), and arithmetic on an unanswered
question treats it as 0 (so ``6 - {q4}`` would give 6). Every answer is guarded
with ``iif({q} notempty, ..., 0)`` and the answered count is kept beside the sum.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs

from fourresp.errors import ArgumentError, DocumentError, Problem

if TYPE_CHECKING:
    from fourresp.assessment import Item, Questionnaire, Response
    from fourresp.content import Framework

__all__ = ["SurveyImport", "from_surveyjs", "responsibility_expression", "to_surveyjs"]

# Scorers whose percent the survey can compute: how each answered item adds to
# the numerator and the denominator ("count" means the answered count).
_PERCENT_SCORERS = ("sum", "percent", "mean", "weighted-mean")
# A band id as the questionnaire schema allows it: safe inside '' in an expression.
_BAND_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _guarded(item: Item, value: str) -> str:
    name = "{" + item.id + "}"
    return f"iif({name} notempty, {value}, 0)"


def _keyed(item: Item, questionnaire: Questionnaire) -> str:
    scale = questionnaire.scale_of(item)
    name = "{" + item.id + "}"
    return f"({_number(scale.min + scale.max)} - {name})" if item.reverse else name


def _count(items: Sequence[Item]) -> str:
    return "(" + " + ".join(_guarded(item, "1") for item in items) + ")"


def _enough(items: Sequence[Item], questionnaire: Questionnaire) -> str:
    """The library's rule: some answers, and at least the policy's fraction of the items."""
    count = _count(items)
    fraction = _number(questionnaire.missing.min_answered_fraction)
    return f"{count} > 0 and {count} / {len(items)} >= {fraction}"


def _raw(items: Sequence[Item], questionnaire: Questionnaire) -> str:
    total = " + ".join(_guarded(item, _keyed(item, questionnaire)) for item in items)
    return f"({total}) * {len(items)} / {_count(items)}"


def _percent(items: Sequence[Item], questionnaire: Questionnaire) -> str | None:
    scorer = questionnaire.scoring.scorer
    if scorer not in _PERCENT_SCORERS:
        return None
    above, spans = [], []
    for item in items:
        scale = questionnaire.scale_of(item)
        name = "{" + item.id + "}"
        over = (
            f"({_number(scale.max)} - {name})"
            if item.reverse
            else f"({name} - {_number(scale.min)})"
        )
        span = _number(scale.max - scale.min)
        if scorer == "mean":
            above.append(_guarded(item, f"{over} / {span}"))
        elif scorer == "weighted-mean":
            weight = _number(item.weight)
            above.append(_guarded(item, f"{weight} * {over}"))
            spans.append(_guarded(item, f"{weight} * {span}"))
        else:
            above.append(_guarded(item, over))
            spans.append(_guarded(item, span))
    denominator = _count(items) if scorer == "mean" else "(" + " + ".join(spans) + ")"
    return f"100 * ({' + '.join(above)}) / {denominator}"


def responsibility_expression(items: list[Item], questionnaire: Questionnaire) -> str:
    """The SurveyJS expression of the raw (prorated, keyed) score of ``items``.

    Empty (``''``, which SurveyJS treats as no value) when too few of ``items``
    were answered for the questionnaire's missing-answer policy, as fourresp's
    score is then "insufficient".
    """
    return f"iif({_enough(items, questionnaire)}, {_raw(items, questionnaire)}, '')"


def _groups(
    questionnaire: Questionnaire, framework: Framework
) -> list[tuple[str, str, list[Item]]]:
    groups = []
    for responsibility in framework:
        aspect_ids = {aspect.id for aspect in responsibility.aspects}
        items = [item for item in questionnaire.items if item.aspect in aspect_ids]
        if items:
            groups.append((responsibility.id, responsibility.title, items))
    return groups


def _band(group_id: str, questionnaire: Questionnaire) -> str | None:
    """The expression of the band ``{<group>-percent}`` falls in, or None without bands.

    Bands are tried in the questionnaire's order, the first that contains the
    percent wins (as in scoring): ``from`` inclusive, ``to`` exclusive, except that
    a band ending at 100 includes 100.
    """
    bands = questionnaire.bands_for(group_id)
    if not bands or not all(_BAND_ID.fullmatch(band.id) for band in bands):
        return None
    percent = "{" + group_id + "-percent}"
    chain = "''"
    for band in reversed(bands):
        condition = f"{percent} >= {_number(band.from_)}"
        if band.to != 100:
            condition += f" and {percent} < {_number(band.to)}"
        chain = f"iif({condition}, '{band.id}', {chain})"
    return f"iif({percent} notempty, {chain}, '')"


def _calculated_names(questionnaire: Questionnaire, framework: Framework) -> list[str]:
    names = []
    percent = questionnaire.scoring.scorer in _PERCENT_SCORERS
    for group in [*(g[0] for g in _groups(questionnaire, framework)), "overall"]:
        names.append(f"{group}-raw")
        if percent:
            names.append(f"{group}-percent")
            if _band(group, questionnaire) is not None:
                names.append(f"{group}-band")
    return names


def to_surveyjs(
    questionnaire: Questionnaire, *, framework: Framework | None = None
) -> dict[str, Any]:
    """The questionnaire as SurveyJS survey JSON (``new Survey.Model(json)``).

    The title and introduction head the survey, each page (one per
    responsibility) repeats the instructions, and each rating question carries
    its scale's points with their labels. ``calculatedValues`` hold the raw and
    percent scores and the band per responsibility and overall, empty when fourresp's would be
    "insufficient" (see the module's description); they are included in the
    survey's results. Raises :class:`~fourresp.errors.ArgumentError` when an item
    id is also the name of a calculated value.
    """
    from fourresp.assessment import Questionnaire
    from fourresp.content import load_framework

    if not isinstance(cast(object, questionnaire), Questionnaire):  # typed, yet checked
        raise ArgumentError(
            f"to_surveyjs takes a Questionnaire, not {type(questionnaire).__name__}"
        )
    framework = framework or load_framework()
    groups = _groups(questionnaire, framework)
    clashes = sorted(
        {item.id for item in questionnaire.items} & set(_calculated_names(questionnaire, framework))
    )
    if clashes:
        raise ArgumentError(
            f"item id {clashes[0]!r} is also the name of a calculated value; rename the item"
        )
    return {
        "title": questionnaire.title,
        "description": questionnaire.introduction,
        "pages": [_page(questionnaire, *group) for group in groups],
        "calculatedValues": _calculated_values(questionnaire, groups),
        "showQuestionNumbers": "off",
    }


def _page(
    questionnaire: Questionnaire, group_id: str, title: str, items: list[Item]
) -> dict[str, Any]:
    """A responsibility's page: the instructions, and a rating question per item."""
    elements = []
    for item in items:
        scale = questionnaire.scale_of(item)
        elements.append(
            {
                "type": "rating",
                "name": item.id,
                "title": item.text,
                "isRequired": False,
                "rateValues": [
                    {"value": point, "text": scale.label_for(point) or _number(point)}
                    for point in scale.points
                ],
            }
        )
    return {
        "name": group_id,
        "title": title,
        "description": questionnaire.instructions,
        "elements": elements,
    }


def _calculated_values(
    questionnaire: Questionnaire, groups: list[tuple[str, str, list[Item]]]
) -> list[dict[str, Any]]:
    """Raw, percent and band per responsibility and overall, each empty when too few answers."""
    every_group = [_enough(items, questionnaire) for _, _, items in groups]
    all_items = list(questionnaire.items)
    overall_enough = " and ".join([*every_group, _enough(all_items, questionnaire)])
    calculated = []
    for group_id, enough, items in [
        *((g, _enough(items, questionnaire), items) for g, _, items in groups),
        ("overall", overall_enough, all_items),
    ]:
        # (which value, its expression): a band only where there is a percent
        expressions = [("raw", f"iif({enough}, {_raw(items, questionnaire)}, '')")]
        percent = _percent(items, questionnaire)
        if percent is not None:
            expressions.append(("percent", f"iif({enough}, {percent}, '')"))
            band = _band(group_id, questionnaire)
            if band is not None:
                expressions.append(("band", band))
        calculated += [
            {"name": f"{group_id}-{value}", "expression": expression, "includeIntoResult": True}
            for value, expression in expressions
        ]
    return calculated


@attrs.frozen(kw_only=True)
class SurveyImport:
    """SurveyJS results read back: the response to score, and the keys left aside.

    ``ignored`` lists, in the order met, the keys that are neither an item nor
    one of the calculated values :func:`to_surveyjs` writes (comments, other
    questions, a front end's own fields).
    """

    response: Response
    ignored: tuple[str, ...] = ()


def from_surveyjs(
    questionnaire: Questionnaire,
    data: Mapping[str, Any],
    *,
    respondent: str | None = None,
    framework: Framework | None = None,
) -> SurveyImport:
    """A :class:`~fourresp.assessment.Response` from SurveyJS results (``survey.data``).

    Unanswered questions are skipped items. Keys that are not item ids are
    ignored and listed in :attr:`SurveyImport.ignored` (the survey's own
    calculated values are ignored without being listed). An item's value that is
    not a number is refused with :class:`~fourresp.errors.DocumentError` naming
    its key; scoring then checks scale and step.
    """
    from fourresp.assessment import Response
    from fourresp.content import load_framework

    if not isinstance(data, Mapping):
        raise DocumentError(
            [Problem(code="invalid", message="survey data is a JSON object")], source="survey data"
        )
    items = {item.id for item in questionnaire.items}
    ours = set(_calculated_names(questionnaire, framework or load_framework()))
    problems = []
    ignored = []
    answers: dict[str, Any] = dict.fromkeys(items)
    for key, value in data.items():
        if key not in items:
            if key not in ours:
                ignored.append(str(key))
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append(
                Problem(
                    code="not-a-number",
                    message=f"{key!r}: expected a number, found {type(value).__name__}",
                    parts=(str(key),),
                )
            )
        else:
            answers[key] = value
    if problems:
        raise DocumentError(problems, source="survey data")
    response = Response(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        answers={item.id: answers[item.id] for item in questionnaire.items},
        respondent=respondent,
    )
    return SurveyImport(response=response, ignored=tuple(ignored))
