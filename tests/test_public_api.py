"""The public surface, pinned: nothing leaks or disappears by accident."""

from __future__ import annotations

import importlib
import inspect

import pytest

PUBLIC = {
    "fourresp": [
        "DEFAULT_LIMITS",
        "ArgumentError",
        "DocumentError",
        "FourrespError",
        "Limits",
        "MissingExtraError",
        "NotFoundError",
        "Problem",
        "SchemaNotFoundError",
        "UnknownKindError",
        "__version__",
        "document_kinds",
        "load",
        "schema",
        "schema_names",
        "to_document",
        "validate",
    ],
    "fourresp.errors": [
        "ArgumentError",
        "DocumentError",
        "FourrespError",
        "MissingExtraError",
        "NotFoundError",
        "Problem",
        "SchemaNotFoundError",
        "Severity",
        "UnknownKindError",
    ],
    "fourresp.content": [
        "Aspect",
        "Book",
        "BookFormat",
        "Framework",
        "Introduction",
        "Licence",
        "Pledge",
        "Resources",
        "Responsibility",
        "Share",
        "ShareLinks",
        "check_translation",
        "default_pack_path",
        "load_framework",
        "share_links",
        "validate_pack",
    ],
    "fourresp.assessment": [
        "ENTRY_POINT_GROUP",
        "Answers",
        "AspectFeedback",
        "AspectResult",
        "Band",
        "BandRef",
        "BandSet",
        "BatchFormat",
        "BatchRow",
        "GroupReliability",
        "Highlight",
        "Highlights",
        "Item",
        "ItemTotal",
        "MissingPolicy",
        "Questionnaire",
        "Reliability",
        "ReliabilityAccumulator",
        "Response",
        "ResponseRow",
        "ResponsibilityResult",
        "Result",
        "Scale",
        "ScaleLabel",
        "Score",
        "Scoring",
        "ScorerRegistry",
        "check_response",
        "default_questionnaire_path",
        "default_registry",
        "load_questionnaire",
        "read_responses",
        "register_scorer",
        "reliability",
        "result_chart",
        "result_markdown",
        "score",
        "score_batch",
    ],
    "fourresp.badges": [
        "COLOURS",
        "DETAILED_FROM",
        "MAX_TEXT",
        "OB2_CONTEXT",
        "OB2_NAMESPACE",
        "OB3_CONTEXTS",
        "OB3_NAMESPACE",
        "STYLES",
        "THEMES",
        "BakedBadge",
        "Logo",
        "Theme",
        "badge",
        "bake",
        "contrast_ratio",
        "emblem",
        "hashed_identity",
        "ob2_assertion",
        "ob2_badge_class",
        "ob2_issuer",
        "ob3_credential",
        "result_badge",
        "text_width",
        "to_png",
        "unbake",
        "verdict_badge",
    ],
    "fourresp.charts": [
        "MAX_LABEL",
        "MAX_LABEL_WITH_NOTE",
        "MAX_NOTE",
        "PALETTE",
        "Bar",
        "bar_chart",
    ],
    "fourresp.typing": ["KeyedAnswer", "Scorer", "ScorerOutput"],
    "fourresp.testing": [
        "answers_for",
        "questionnaires",
        "responses",
        "aspects",
        "framework_documents",
        "frameworks",
        "identifiers",
        "locales",
        "resources",
        "responsibilities",
        "texts",
        "versions",
    ],
    "fourresp.cli": ["main"],
}


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_all_is_pinned(module_name):
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(PUBLIC[module_name])
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name} is listed but missing"


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_every_public_callable_and_class_has_a_docstring(module_name):
    module = importlib.import_module(module_name)
    assert module.__doc__
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{module_name}.{name} has no docstring"


def test_package_ships_py_typed():
    from importlib import resources

    assert resources.files("fourresp").joinpath("py.typed").is_file()
