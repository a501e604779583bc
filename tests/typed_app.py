"""A small app that uses every public entry point, type-checked so no ``Any`` reaches it.

``tests/test_typed_app.py`` runs ``mypy --strict --disallow-any-expr`` on this file
(and runs it, so every call here is a real one). Under ``--disallow-any-expr``
any expression whose type holds ``Any`` is an error, so a fourresp function or
attribute typed ``Any`` where a library type is meant fails the check.

JSON documents (statements, survey JSON, SurveyJS results) are ``dict[str, Any]``,
as ``json.loads`` gives them: the app says what it expects by annotating the
variable it keeps them in, which the flag allows. Everything else is inferred.

One function per subpackage, named ``use_<subpackage>``; ``main`` calls them all.
To cover another subpackage, add its ``use_`` function and call it from ``main``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from fourresp import exchange, xapi
from fourresp.assessment import Response, load_questionnaire, score
from fourresp.errors import Problem
from fourresp.scenario import Runner, load_scenario

WHEN = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
BASE = "https://example.org/xapi"


def use_xapi() -> int:
    """Statements for an attempt and a run, each checked again; the number made."""
    questionnaire = load_questionnaire()
    answers: dict[str, float | None] = {item.id: 3 for item in questionnaire.items}
    response = Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    result = score(questionnaire, response)
    actor: dict[str, object] = xapi.agent(mbox="ada@example.org", name="Ada")
    attempt: list[dict[str, object]] = xapi.questionnaire_statements(
        questionnaire,
        response,
        result,
        actor=actor,
        activity_base=BASE,
        timestamp=WHEN,
        namespace=uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
        duration=timedelta(minutes=5),
    )
    scenario = load_scenario()
    runner = Runner(scenario)
    run = runner.start()
    while not run.finished:
        run = runner.choose(run, runner.choices(run)[0].id)
    played: list[dict[str, object]] = xapi.scenario_statements(
        scenario, run, actor=actor, activity_base=BASE, timestamp=lambda: WHEN
    )
    for statement in [*attempt, *played]:
        xapi.validate_statement(statement)
    vocabulary: list[dict[str, str]] = [xapi.VERBS, xapi.ACTIVITY_TYPES, xapi.EXTENSIONS]
    assert all(vocabulary)
    return len(attempt) + len(played)


def use_exchange() -> int:
    """A questionnaire through SurveyJS and a scenario through Twee, and back; the items."""
    questionnaire = load_questionnaire()
    survey: dict[str, object] = exchange.to_surveyjs(questionnaire)
    assert survey["pages"]
    expression: str = exchange.responsibility_expression(list(questionnaire.items), questionnaire)
    assert expression
    data: dict[str, object] = {item.id: 4 for item in questionnaire.items}
    imported = exchange.from_surveyjs(questionnaire, data, respondent="ada")
    ignored: tuple[str, ...] = imported.ignored
    assert isinstance(imported, exchange.SurveyImport)
    assert not ignored
    result = score(questionnaire, imported.response)
    assert result.overall.status == "scored"
    scenario = load_scenario()
    story: str = exchange.to_twee(scenario)
    warnings: list[Problem] = []
    again = exchange.from_twee(story, filename="story.twee", warnings=warnings)
    assert again == scenario
    assert not warnings
    return len(again.scenes) + len(imported.response.answers)


def main() -> None:
    """Use every covered subpackage once."""
    use_xapi()
    use_exchange()


if __name__ == "__main__":
    main()
