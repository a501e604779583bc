"""Scoring batches: each row read from JSON Lines or CSV scored as it comes.

Rows are read by :mod:`fourresp.assessment._rows` (streaming, each row within a
budget, a bad row refused on its own) and scored one at a time, so memory does
not grow with the size of the file. :func:`score_rows` gives light rows (the
overall and responsibility scores and bands a table needs) and builds a full
:class:`Result` only when asked; :func:`score_batch` gives a full ``Result`` per
row. A plainly well-formed row whose answers fit is taken the quick way (see
:func:`_fitting`): checked and summed straight from its parsed mapping, and for
:func:`table_rows` (what ``fourresp assess-batch`` writes) without a response.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

import attrs

from fourresp._document._limits import Limits
from fourresp.assessment._engine import Plan
from fourresp.assessment._models import (
    Questionnaire,
    Response,
    ResponsibilityResult,
    Result,
    Score,
)
from fourresp.assessment._quick import plain_fields, response_of
from fourresp.assessment._reliability import ReliabilityAccumulator
from fourresp.assessment._rows import (
    BatchFormat,
    ResponseRow,
    at,
    read_responses,
    read_rows,
    source_name,
)
from fourresp.assessment._scorers import ScorerRegistry
from fourresp.assessment._scoring import plan_for
from fourresp.content import Framework
from fourresp.errors import ArgumentError, DocumentError, Problem

__all__ = ["BatchRow", "ScoreRow", "TableRow", "score_batch", "score_rows", "table_rows"]


@attrs.frozen(kw_only=True)
class BatchRow:
    """One scored row: its result, or the problems that kept it from being scored."""

    line: int
    respondent: str | None
    result: Result | None
    problems: tuple[Problem, ...] = ()


def _scored(
    source: str | os.PathLike[str] | IO[str],
    questionnaire: Questionnaire,
    format: BatchFormat | None,
    framework: Framework | None,
    scorers: ScorerRegistry | None,
    scorer: str | None,
    limits: Limits | None,
) -> Iterator[tuple[ResponseRow, Plan]]:
    # The scorer is resolved before the first row is read: an unknown one fails at once.
    plan = plan_for(questionnaire, framework=framework, scorers=scorers, scorer=scorer)
    for row in read_responses(source, questionnaire, format=format, limits=limits):
        yield row, plan


def _refused(row: ResponseRow, problems: tuple[Problem, ...]) -> BatchRow:
    respondent = row.response.respondent if row.response is not None else None
    return BatchRow(line=row.line, respondent=respondent, result=None, problems=problems)


def score_batch(
    source: str | os.PathLike[str] | IO[str],
    questionnaire: Questionnaire,
    *,
    format: BatchFormat | None = None,
    framework: Framework | None = None,
    scorers: ScorerRegistry | None = None,
    scorer: str | None = None,
    reliability: ReliabilityAccumulator | None = None,
    limits: Limits | None = None,
) -> Iterator[BatchRow]:
    """Read and score a batch one row at a time (see :func:`read_responses`).

    Each row comes out as a :class:`BatchRow`: its full :class:`Result`, or the
    problems that kept it from being scored (a value off the scale, an unknown
    item...), placed at the row's line. With ``reliability``, every scored
    response is also added to that accumulator. :func:`score_rows` is faster
    when only the overall and responsibility scores are needed.

    >>> import io
    >>> from fourresp.assessment import load_questionnaire, score_batch
    >>> questionnaire = load_questionnaire()
    >>> header = ",".join(["respondent", *(item.id for item in questionnaire.items)])
    >>> rows = [header, ",".join(["ada", *["4"] * len(questionnaire.items)])]
    >>> [(row.respondent, row.result.overall.status) for row in score_batch(
    ...     io.StringIO("\\n".join(rows)), questionnaire, format="csv")]
    [('ada', 'scored')]
    """
    name = source_name(source)
    for row, plan in _scored(source, questionnaire, format, framework, scorers, scorer, limits):
        response = row.response
        if response is None:
            yield _refused(row, row.problems)
            continue
        try:
            result = plan.score(response)
        except DocumentError as exc:
            yield _refused(row, at(exc.problems, name, row.line))
            continue
        if reliability is not None:
            reliability.add(response)
        yield BatchRow(line=row.line, respondent=response.respondent, result=result)


@attrs.frozen(kw_only=True)
class ScoreRow:
    """One row of a batch, scored lightly: the figures a table needs.

    ``overall`` and ``responsibilities`` (in the framework's order, each with its
    score, band and band feedback) are None and () when the row was refused, and
    ``problems`` says why. :meth:`full_result` builds the complete
    :class:`Result` (aspects, strengths, areas to improve) when it is wanted.
    """

    line: int
    respondent: str | None
    overall: Score | None
    responsibilities: tuple[ResponsibilityResult, ...] = ()
    problems: tuple[Problem, ...] = ()
    response: Response | None = attrs.field(default=None, repr=False)
    _plan: Plan | None = attrs.field(default=None, repr=False, eq=False, alias="plan")

    def full_result(self) -> Result:
        """The row's complete :class:`Result`, as :func:`score` gives it.

        Raises :class:`~fourresp.errors.ArgumentError` for a refused row.
        """
        if self.response is None or self._plan is None:
            raise ArgumentError(f"the row at line {self.line} was refused; it has no result")
        return self._plan.score(self.response)


def score_rows(
    source: str | os.PathLike[str] | IO[str],
    questionnaire: Questionnaire,
    *,
    format: BatchFormat | None = None,
    framework: Framework | None = None,
    scorers: ScorerRegistry | None = None,
    scorer: str | None = None,
    reliability: ReliabilityAccumulator | None = None,
    limits: Limits | None = None,
) -> Iterator[ScoreRow]:
    """Read and score a batch into light rows, one at a time (see :func:`read_responses`).

    Like :func:`score_batch`, but each row carries only the overall and
    responsibility scores (a :class:`ScoreRow`), which is what a table of results
    needs and several times cheaper than a full :class:`Result` per row.

    >>> import io
    >>> from fourresp.assessment import load_questionnaire, score_rows
    >>> questionnaire = load_questionnaire()
    >>> header = ",".join(["respondent", *(item.id for item in questionnaire.items)])
    >>> rows = [header, ",".join(["ada", *["4"] * len(questionnaire.items)])]
    >>> [(row.respondent, len(row.responsibilities)) for row in score_rows(
    ...     io.StringIO("\\n".join(rows)), questionnaire, format="csv")]
    [('ada', 4)]
    """
    name = source_name(source)
    # The scorer is resolved before the first row is read: an unknown one fails at once.
    plan = plan_for(questionnaire, framework=framework, scorers=scorers, scorer=scorer)
    quick = _quick_score_rows(plan, reliability) if plan.spread is not None else None
    for row in read_rows(source, questionnaire, format, limits, quick):
        yield row if isinstance(row, ScoreRow) else _light(row, plan, name, reliability)


def _light(
    row: ResponseRow, plan: Plan, name: str | None, reliability: ReliabilityAccumulator | None
) -> ScoreRow:
    """The light row of a row read the plain way."""
    response = row.response
    if response is None:
        return ScoreRow(line=row.line, respondent=None, overall=None, problems=row.problems)
    try:
        overall, responsibilities = plan.light(response)
    except DocumentError as exc:
        return ScoreRow(
            line=row.line,
            respondent=response.respondent,
            overall=None,
            problems=at(exc.problems, name, row.line),
        )
    if reliability is not None:
        reliability.add(response)
    return ScoreRow(
        line=row.line,
        respondent=response.respondent,
        overall=overall,
        responsibilities=tuple(responsibilities),
        response=response,
        plan=plan,
    )


def _fitting(
    plan: Plan, document: dict[str, Any]
) -> tuple[Score, list[ResponsibilityResult]] | None:
    """The light figures of a plainly well-formed document whose answers fit the plan.

    The answers are checked and summed in one pass over the parsed document, so a
    row is neither checked twice (by the quick check, then by the engine) nor built
    into a response before it is known to fit. A document is taken here only when
    the quick check would accept it and :meth:`Plan.light` would score the response
    built from it, so its row is the same either way; any other goes the plain way,
    which says what is wrong with it. This is a speed trick: with the one sum of
    :meth:`Plan.light_answers` and the parse without a hook (``_jsonrow.parsed``) it
    makes ``fourresp assess-batch`` about 2x faster (22 to 25 us a row against 41
    to 55 us before, CPU time, same runs).
    """
    questionnaire = plan.questionnaire
    if (
        document["questionnaire"] != questionnaire.id
        or document["version"] != questionnaire.version
        or not plain_fields(document)
    ):
        return None
    return plan.light_answers(document["answers"])


def _quick_score_rows(
    plan: Plan, reliability: ReliabilityAccumulator | None
) -> Callable[[int, dict[str, Any]], ScoreRow | None]:
    """Light rows straight from the documents :func:`_fitting` takes."""

    def quick(line: int, document: dict[str, Any]) -> ScoreRow | None:
        found = _fitting(plan, document)
        if found is None:
            return None
        response = response_of(document)
        if reliability is not None:
            reliability.add(response)
        overall, responsibilities = found
        return ScoreRow(
            line=line,
            respondent=response.respondent,
            overall=overall,
            responsibilities=tuple(responsibilities),
            response=response,
            plan=plan,
        )

    return quick


class TableRow:
    """A row of a table of results: a :class:`ScoreRow` without its response.

    What ``fourresp assess-batch`` writes as text or CSV needs no more, and a
    row read the quick way then builds no response at all.
    """

    __slots__ = ("line", "overall", "problems", "respondent", "responsibilities")

    def __init__(
        self,
        line: int,
        respondent: str | None,
        overall: Score | None,
        responsibilities: Sequence[ResponsibilityResult],
        problems: tuple[Problem, ...] = (),
    ) -> None:
        self.line = line
        self.respondent = respondent
        self.overall = overall
        self.responsibilities = responsibilities
        self.problems = problems


def table_rows(
    source: str | os.PathLike[str] | IO[str],
    questionnaire: Questionnaire,
    *,
    format: BatchFormat | None = None,
    reliability: ReliabilityAccumulator | None = None,
) -> Iterator[TableRow | ScoreRow]:
    """:func:`score_rows` for a table: the rows read the quick way are :class:`TableRow`."""
    name = source_name(source)
    plan = plan_for(questionnaire)

    def quick(line: int, document: dict[str, Any]) -> TableRow | None:
        found = _fitting(plan, document)
        if found is None:
            return None
        if reliability is not None:
            reliability.add(response_of(document))
        return TableRow(line, document.get("respondent"), *found)

    taken = quick if plan.spread is not None else None
    for row in read_rows(source, questionnaire, format, None, taken):
        yield row if isinstance(row, TableRow) else _light(row, plan, name, reliability)
