"""Scoring one response: the cached plan for a questionnaire, framework and scorer."""

from __future__ import annotations

import threading

from fourresp.assessment._engine import Plan
from fourresp.assessment._models import Questionnaire, Response, Result
from fourresp.assessment._scorers import ScorerRegistry, default_registry
from fourresp.content import Framework, load_framework
from fourresp.errors import ArgumentError

__all__ = ["plan_for", "score"]

_PLAN_LIMIT = 32  # plans kept: one per questionnaire, framework and scorer in use

# Plans by the arguments as given: the questionnaire's, framework's and registry's
# ids (None's when left to the defaults) and the scorer name. Each entry holds the
# objects whose ids are in its key, so no other object can take an id while the
# entry is kept. A name resolved in a registry stays bound to its scorer (a
# registry refuses to rebind a name), so a kept plan stays right.
_Key = tuple[int, int, int, str | None]
_plans: dict[_Key, tuple[Plan, Framework | None, ScorerRegistry | None]] = {}
_plans_lock = threading.Lock()


def plan_for(
    questionnaire: Questionnaire,
    *,
    framework: Framework | None = None,
    scorers: ScorerRegistry | None = None,
    scorer: str | None = None,
) -> Plan:
    """The (cached) plan that scores responses to ``questionnaire``; see :func:`score`.

    The scorer is resolved here, when scoring, from ``scorers`` (default: the
    default registry): an unknown name raises :class:`~fourresp.errors.NotFoundError`
    before any work is done.
    """
    key = (id(questionnaire), id(framework), id(scorers), scorer)
    kept = _plans.get(key)
    if kept is not None:
        return kept[0]
    registry = scorers if scorers is not None else default_registry()
    scorer_name = scorer or questionnaire.scoring.scorer
    chosen = registry.get(scorer_name)
    plan = Plan(
        questionnaire,
        framework if framework is not None else load_framework(),
        scorer_name,
        chosen,
    )
    with _plans_lock:
        if len(_plans) >= _PLAN_LIMIT:
            _plans.pop(next(iter(_plans)))
        _plans[key] = (plan, framework, scorers)
    return plan


def score(
    questionnaire: Questionnaire,
    response: Response,
    *,
    framework: Framework | None = None,
    scorers: ScorerRegistry | None = None,
    scorer: str | None = None,
) -> Result:
    """Score ``response`` against ``questionnaire``: overall, per responsibility, per aspect.

    ``framework`` defaults to the built-in pack; ``scorers`` to the default registry
    (built-ins and entry points); ``scorer`` overrides the questionnaire's own. The
    scorer is looked up now, not when the questionnaire was loaded, so a
    questionnaire may name a scorer of an app's own registry.

    Raises :class:`~fourresp.errors.DocumentError` listing every way the response
    does not fit (unknown item, value off the scale or off the step, a boolean where
    a number is due, wrong questionnaire or version); nothing is half-scored.

    Scorers must be pure: the engine remembers a group's outcome for a summary of
    its answers it has met before, which keeps scoring a large batch fast.
    """
    if not isinstance(questionnaire, Questionnaire):
        raise ArgumentError(f"score takes a Questionnaire, not {type(questionnaire).__name__}")
    if not isinstance(response, Response):
        raise ArgumentError(
            f"score takes a Response, not {type(response).__name__} (fourresp.load(mapping, "
            "kind='response') makes one from a mapping)"
        )
    return plan_for(questionnaire, framework=framework, scorers=scorers, scorer=scorer).score(
        response
    )
