"""Scoring batches: each row read from JSON Lines or CSV scored as it comes.

Rows are read by :mod:`fourresp.assessment._rows` (streaming, each row within a
budget, a bad row refused on its own) and scored one at a time, so memory does
not grow with the size of the file. :func:`score_rows` gives light rows (the
overall and responsibility scores and bands a table needs) and builds a full
:class:`Result` only when asked; :func:`score_batch` gives a full ``Result`` per
row.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO

import attrs

from fourresp._document._limits import Limits
from fourresp.assessment._engine import Plan, plan_for
from fourresp.assessment._models import (
    Questionnaire,
    Response,
    ResponsibilityResult,
    Result,
    Score,
)
from fourresp.assessment._reliability import ReliabilityAccumulator
from fourresp.assessment._rows import BatchFormat, ResponseRow, at, read_responses, source_name
from fourresp.assessment._scorers import ScorerRegistry
from fourresp.content import Framework
from fourresp.errors import ArgumentError, DocumentError, Problem

__all__ = ["BatchRow", "ScoreRow", "score_batch", "score_rows"]


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
    for row, plan in _scored(source, questionnaire, format, framework, scorers, scorer, limits):
        response = row.response
        if response is None:
            yield ScoreRow(line=row.line, respondent=None, overall=None, problems=row.problems)
            continue
        try:
            overall, responsibilities = plan.light(response)
        except DocumentError as exc:
            yield ScoreRow(
                line=row.line,
                respondent=response.respondent,
                overall=None,
                problems=at(exc.problems, name, row.line),
            )
            continue
        if reliability is not None:
            reliability.add(response)
        yield ScoreRow(
            line=row.line,
            respondent=response.respondent,
            overall=overall,
            responsibilities=tuple(responsibilities),
            response=response,
            plan=plan,
        )
