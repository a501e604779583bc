"""The xAPI 1.0.3 rules every statement is checked against before it is returned."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fourresp._iri import is_iri
from fourresp.errors import ArgumentError

__all__ = ["validate_statement"]


def _iris(statement: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every IRI of a statement as fourresp makes them, with where it is."""

    def activity(where: str, value: Any) -> Iterator[tuple[str, Any]]:
        if not isinstance(value, Mapping):
            return
        yield f"{where}.id", value.get("id")
        definition = value.get("definition")
        if isinstance(definition, Mapping):
            if "type" in definition:
                yield f"{where}.definition.type", definition["type"]
            yield from extensions(f"{where}.definition.extensions", definition.get("extensions"))

    def extensions(where: str, value: Any) -> Iterator[tuple[str, Any]]:
        if isinstance(value, Mapping):
            for key in value:
                yield f"{where}[{key!r}]", key

    actor = statement.get("actor")
    if isinstance(actor, Mapping) and isinstance(actor.get("account"), Mapping):
        yield "$.actor.account.homePage", actor["account"].get("homePage")
    verb = statement.get("verb")
    if isinstance(verb, Mapping):
        yield "$.verb.id", verb.get("id")
    yield from activity("$.object", statement.get("object"))
    result = statement.get("result")
    if isinstance(result, Mapping):
        yield from extensions("$.result.extensions", result.get("extensions"))
    context = statement.get("context")
    if isinstance(context, Mapping):
        yield from extensions("$.context.extensions", context.get("extensions"))
        groups = context.get("contextActivities")
        if isinstance(groups, Mapping):
            for group, members in groups.items():
                for index, member in enumerate(members if isinstance(members, list) else []):
                    yield from activity(f"$.context.contextActivities.{group}[{index}]", member)


def validate_statement(statement: Mapping[str, Any]) -> None:
    """Check a statement against the xAPI 1.0.3 rules; :class:`ArgumentError` names what breaks.

    The JSON Schema ``xapi-statement`` says most of it; every IRI is then checked
    by RFC 3987's grammar, and what a schema cannot compare (a raw score between
    its min and max, min below max) is checked here.
    """
    from fourresp._document._paths import format_path
    from fourresp._document._schemas import schema_problems

    for path, message in schema_problems("xapi-statement", statement):
        raise ArgumentError(
            f"the statement breaks the xAPI rules at {format_path(path)}: {message}"
        )
    for where, value in _iris(statement):
        if not is_iri(value):
            raise ArgumentError(
                f"the statement breaks the xAPI rules at {where}: {value!r} is not an RFC 3987 IRI"
            )
    score = statement.get("result", {}).get("score")
    if score is not None and "raw" in score:
        low, high = score.get("min"), score.get("max")
        if low is not None and high is not None and low > high:
            raise ArgumentError("the score's min is above its max")
        if (low is not None and score["raw"] < low) or (high is not None and score["raw"] > high):
            raise ArgumentError("the raw score is outside its min and max")
