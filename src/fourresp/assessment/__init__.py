"""Self-assessment: questionnaires, a pluggable scoring engine, bands and feedback.

>>> from fourresp.assessment import Response, load_questionnaire, score
>>> questionnaire = load_questionnaire()
>>> answers = {item.id: 4 for item in questionnaire.items}
>>> result = score(questionnaire, Response(questionnaire=questionnaire.id,
...     version=questionnaire.version, answers=answers))
>>> [r.responsibility for r in result.responsibilities]
['client', 'learners', 'peers', 'self']
"""

from typing import TYPE_CHECKING

from fourresp._public import lazy

if TYPE_CHECKING:
    from fourresp.assessment._batch import BatchRow, ScoreRow, score_batch, score_rows
    from fourresp.assessment._defaults import default_questionnaire_path, load_questionnaire
    from fourresp.assessment._engine import check_response
    from fourresp.assessment._models import (
        Answers,
        AspectFeedback,
        AspectResult,
        Band,
        BandRef,
        BandSet,
        Cutoffs,
        Highlight,
        Highlights,
        Item,
        MissingPolicy,
        Questionnaire,
        Reference,
        Response,
        ResponsibilityResult,
        Result,
        Scale,
        ScaleLabel,
        Score,
        Scoring,
    )
    from fourresp.assessment._protocols import AdditiveScorer, KeyedAnswer, Scorer, ScorerOutput
    from fourresp.assessment._reliability import (
        GroupReliability,
        ItemTotal,
        Reliability,
        ReliabilityAccumulator,
        reliability,
    )
    from fourresp.assessment._report import result_badge, result_chart, result_markdown
    from fourresp.assessment._rows import BatchFormat, ResponseRow, read_responses
    from fourresp.assessment._scorers import (
        ENTRY_POINT_GROUP,
        ScorerRegistry,
        default_registry,
        register_scorer,
    )
    from fourresp.assessment._scoring import score
else:
    # Each name's module is imported when the name is first used (see fourresp._public).
    __getattr__, __dir__ = lazy(
        __name__,
        {
            "_batch": (
                "BatchRow",
                "ScoreRow",
                "score_batch",
                "score_rows",
            ),
            "_defaults": (
                "default_questionnaire_path",
                "load_questionnaire",
            ),
            "_engine": ("check_response",),
            "_models": (
                "Answers",
                "AspectFeedback",
                "AspectResult",
                "Band",
                "BandRef",
                "BandSet",
                "Cutoffs",
                "Highlight",
                "Highlights",
                "Item",
                "MissingPolicy",
                "Questionnaire",
                "Reference",
                "Response",
                "ResponsibilityResult",
                "Result",
                "Scale",
                "ScaleLabel",
                "Score",
                "Scoring",
            ),
            "_protocols": (
                "AdditiveScorer",
                "KeyedAnswer",
                "Scorer",
                "ScorerOutput",
            ),
            "_reliability": (
                "GroupReliability",
                "ItemTotal",
                "Reliability",
                "ReliabilityAccumulator",
                "reliability",
            ),
            "_report": (
                "result_badge",
                "result_chart",
                "result_markdown",
            ),
            "_rows": (
                "BatchFormat",
                "ResponseRow",
                "read_responses",
            ),
            "_scorers": (
                "ENTRY_POINT_GROUP",
                "ScorerRegistry",
                "default_registry",
                "register_scorer",
            ),
            "_scoring": ("score",),
        },
    )

__all__ = [
    "ENTRY_POINT_GROUP",
    "AdditiveScorer",
    "Answers",
    "AspectFeedback",
    "AspectResult",
    "Band",
    "BandRef",
    "BandSet",
    "BatchFormat",
    "BatchRow",
    "Cutoffs",
    "GroupReliability",
    "Highlight",
    "Highlights",
    "Item",
    "ItemTotal",
    "KeyedAnswer",
    "MissingPolicy",
    "Questionnaire",
    "Reference",
    "Reliability",
    "ReliabilityAccumulator",
    "Response",
    "ResponseRow",
    "ResponsibilityResult",
    "Result",
    "Scale",
    "ScaleLabel",
    "Score",
    "ScoreRow",
    "Scorer",
    "ScorerOutput",
    "ScorerRegistry",
    "Scoring",
    "check_response",
    "default_questionnaire_path",
    "default_registry",
    "load_questionnaire",
    "read_responses",
    "register_scorer",
    "reliability",
    "result_badge",
    "result_chart",
    "result_markdown",
    "score",
    "score_batch",
    "score_rows",
]
