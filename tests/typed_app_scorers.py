"""The typed app's own scorers: one additive, one plain (see ``typed_app.py``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from fourresp import assessment


class HighAnswers(assessment.AdditiveScorer):
    """A scorer of the app's own: the share of answers at the top of the scale."""

    def terms(self, answer: assessment.KeyedAnswer) -> tuple[float, ...]:
        """One for an answer at the top of its scale, else nought; and one to count."""
        return (1.0 if answer.keyed >= answer.maximum else 0.0, 1.0)

    def from_sums(
        self,
        sums: tuple[float, ...],
        *,
        answered: int,
        total_items: int,
        parameters: Mapping[str, object],
    ) -> assessment.ScorerOutput:
        """The count of top answers, and its share of the answers."""
        return assessment.ScorerOutput(value=sums[0], percent=100 * sums[0] / sums[1])


def plain_mean(
    answers: Sequence[assessment.KeyedAnswer],
    *,
    total_items: int,
    parameters: Mapping[str, object],
) -> assessment.ScorerOutput:
    """A plain scorer: the mean keyed answer, and the mean share of each answer's scale."""
    mean = math.fsum(answer.keyed for answer in answers) / len(answers)
    shares = [(a.keyed - a.minimum) / (a.maximum - a.minimum) for a in answers]
    percent = min(100.0, max(0.0, 100 * math.fsum(shares) / len(shares)))
    return assessment.ScorerOutput(value=mean, percent=percent)
