"""Checking a response against its questionnaire, and coding its answers.

:func:`check_response` names every way a response does not fit; :class:`Keying`
turns a response that fits into one small integer per item (its answer's
position on the item's scale) and maps codes to keyed answers. The engine and
the reliability figures share it.
"""

from __future__ import annotations

import math
from typing import NoReturn

from fourresp.assessment._models import Questionnaire, Response, scale_findings
from fourresp.assessment._protocols import KeyedAnswer
from fourresp.errors import DocumentError, Problem

__all__ = ["Keying", "check_response", "problem"]


def problem(code: str, message: str, *path: str | int) -> Problem:
    """A problem at a JSON path given as its parts."""
    return Problem(code=code, message=message, parts=path)


def check_response(questionnaire: Questionnaire, response: Response) -> tuple[Problem, ...]:
    """Every way ``response`` does not fit ``questionnaire``, by item id; () when it fits."""
    problems: list[Problem] = []
    if response.questionnaire != questionnaire.id:
        problems.append(
            problem(
                "wrong-questionnaire",
                f"the response is to questionnaire {response.questionnaire!r}, "
                f"not {questionnaire.id!r}",
                "questionnaire",
            )
        )
    if response.version != questionnaire.version:
        problems.append(
            problem(
                "wrong-version",
                f"the response is to version {response.version!r} of the questionnaire; "
                f"this is version {questionnaire.version!r}",
                "version",
            )
        )
    items = {item.id: item for item in questionnaire.items}
    for item_id, value in response.answers.items():
        item = items.get(item_id)
        if item is None:
            problems.append(
                problem(
                    "unknown-item",
                    f"item {item_id!r} is not in the questionnaire",
                    "answers",
                    item_id,
                )
            )
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(
                problem(
                    "not-a-number",
                    f"item {item_id!r}: expected a number on the scale, "
                    f"found {type(value).__name__}",
                    "answers",
                    item_id,
                )
            )
            continue
        scale = questionnaire.scale_of(item)
        if not _finite(value) or value < scale.min or value > scale.max:
            shown = _shown(value)
            problems.append(
                problem(
                    "off-scale",
                    f"item {item_id!r}: {shown} is off the scale {scale.min}..{scale.max}",
                    "answers",
                    item_id,
                )
            )
        elif not scale.allows(value):
            problems.append(
                problem(
                    "off-step",
                    f"item {item_id!r}: {value!r} is not a step of the scale "
                    f"(steps of {scale.step} "
                    f"from {scale.min})",
                    "answers",
                    item_id,
                )
            )
    return tuple(problems)


def _finite(value: int | float) -> bool:
    # An integer too large for a float is off any scale (math.isfinite would overflow).
    if isinstance(value, int):
        return -(2**53) <= value <= 2**53
    return math.isfinite(value)


def _shown(value: int | float) -> str:
    # str() of an integer of thousands of digits raises ValueError; say its size.
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    return repr(value)


class Keying:
    """Codes the answers of responses to one questionnaire, one lookup per answer.

    An answer's code is its point's index on the item's scale plus one; 0 is
    "skipped". ``keyed[position][code]`` is the matching keyed answer (None for 0).
    """

    def __init__(self, questionnaire: Questionnaire) -> None:
        # The loader runs these checks; a questionnaire built in code has not been
        # through it, and a scale of a billion points must not reach the loop below.
        problems = scale_findings(questionnaire)
        if problems:
            raise DocumentError(problems, source=None)
        self.questionnaire = questionnaire
        self.size = len(questionnaire.items)
        self.lookup: dict[tuple[str, object], tuple[int, int]] = {}
        self.keyed: list[tuple[KeyedAnswer | None, ...]] = []
        for position, item in enumerate(questionnaire.items):
            scale = questionnaire.scale_of(item)
            self.lookup[item.id, None] = (position, 0)
            keyed: list[KeyedAnswer | None] = [None]
            for code, value in enumerate(scale.points, start=1):
                self.lookup[item.id, value] = (position, code)
                keyed.append(
                    KeyedAnswer(
                        item=item.id,
                        keyed=scale.min + scale.max - value if item.reverse else value,
                        minimum=scale.min,
                        maximum=scale.max,
                        weight=item.weight,
                    )
                )
            self.keyed.append(tuple(keyed))

    def codes(self, response: Response) -> list[int]:
        """Each item's answer code, in the questionnaire's order.

        Anything that does not fit raises :class:`~fourresp.errors.DocumentError`
        with every problem :func:`check_response` names; nothing is half-scored.
        """
        questionnaire = self.questionnaire
        if response.questionnaire != questionnaire.id or response.version != questionnaire.version:
            self._refuse(response)
        codes = [0] * self.size
        lookup = self.lookup
        try:
            for pair in response.answers.items():
                found = lookup.get(pair)
                # True == 1 and hashes alike, so booleans would pass for numbers.
                if found is None or pair[1].__class__ is bool:
                    found = self._near_point(response, *pair)
                codes[found[0]] = found[1]
        except TypeError:  # an unhashable answer, such as a list
            self._refuse(response)
        return codes

    def keyed_answers(self, codes: list[int]) -> list[KeyedAnswer | None]:
        """The keyed answer of every item (None when skipped), from :meth:`codes`."""
        return [keyed[code] for keyed, code in zip(self.keyed, codes, strict=True)]

    def _refuse(self, response: Response) -> NoReturn:
        raise DocumentError(check_response(self.questionnaire, response), source=None)

    def _near_point(self, response: Response, item_id: str, value: object) -> tuple[int, int]:
        """The point ``value`` stands for when it is on the scale within rounding."""
        if check_response(self.questionnaire, response):
            self._refuse(response)
        assert isinstance(value, int | float)
        item = self.questionnaire.item(item_id)
        scale = self.questionnaire.scale_of(item)
        return self.lookup[item_id, scale.points[round((value - scale.min) / scale.step)]]
