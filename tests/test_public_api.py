"""The public surface, pinned: nothing leaks or disappears by accident."""

from __future__ import annotations

import importlib
import inspect

import pytest

PUBLIC = {
    "fourresp": [
        "DEFAULT_LIMITS",
        "ArgumentError",
        "ChoiceError",
        "DocumentError",
        "FourrespError",
        "Limits",
        "MissingExtraError",
        "NotFoundError",
        "Problem",
        "ResumeError",
        "SchemaNotFoundError",
        "StorageError",
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
        "ChoiceError",
        "DocumentError",
        "FourrespError",
        "MissingExtraError",
        "NotFoundError",
        "Problem",
        "ResumeError",
        "SchemaNotFoundError",
        "Severity",
        "StorageError",
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
        "framework_text",
        "load_framework",
        "share_links",
        "validate_pack",
    ],
    "fourresp.assessment": [
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
        "Scoring",
        "Scorer",
        "ScorerOutput",
        "ScorerRegistry",
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
        "sign_credential",
        "text_width",
        "to_png",
        "unbake",
        "verdict_badge",
        "verify_credential",
    ],
    "fourresp.charts": [
        "MAX_LABEL",
        "MAX_LABEL_WITH_NOTE",
        "MAX_NOTE",
        "PALETTE",
        "Bar",
        "bar_chart",
    ],
    "fourresp.supporters": [
        "COUNTRY_CODES",
        "MAX_NAME",
        "MAX_ORGANISATION",
        "PUBLIC_FIELDS",
        "Page",
        "Pledge",
        "SQLiteRegistry",
        "Supporter",
        "SupporterRegistry",
        "clean_pledge",
        "normalise_email",
        "open_registry",
        "supporter_badge",
    ],
    "fourresp.testing": [
        "answers_for",
        "check_scorer",
        "keyed_answers",
        "questionnaires",
        "responses",
        "aspects",
        "framework_documents",
        "frameworks",
        "identifiers",
        "locales",
        "resources",
        "responsibilities",
        "runs",
        "scenario_documents",
        "scenarios",
        "texts",
        "versions",
    ],
    "fourresp.scenario": [
        "BY_RULES",
        "DEFAULT_STATE_LIMIT",
        "AllOf",
        "AnyOf",
        "AspectScore",
        "AspectTotal",
        "BalanceReport",
        "Choice",
        "Condition",
        "Effects",
        "Ending",
        "EndingChance",
        "EndingReport",
        "EndingRule",
        "Epilogue",
        "FeedbackItem",
        "Mark",
        "NetRange",
        "Not",
        "Order",
        "ResponsibilityPercent",
        "ResponsibilityScore",
        "ResponsibilityTotal",
        "Run",
        "RunDocument",
        "Runner",
        "SavedStep",
        "Scenario",
        "ScenarioReport",
        "Scene",
        "ScoreRange",
        "Scorecard",
        "Step",
        "Update",
        "Variable",
        "VariableIs",
        "Variant",
        "Visited",
        "check_scenario",
        "check_structure",
        "default_scenario_path",
        "fingerprint",
        "load_scenario",
        "scorecard_chart",
        "scorecard_markdown",
        "to_dot",
        "to_mermaid",
    ],
    "fourresp.cli": ["main", "run"],
    "fourresp.xapi": [
        "ACTIVITY_TYPES",
        "EXTENSIONS",
        "VERBS",
        "agent",
        "questionnaire_statements",
        "scenario_statements",
        "validate_statement",
    ],
    "fourresp.site": ["SiteSettings", "create_app"],
    "fourresp.exchange": [
        "SurveyImport",
        "from_surveyjs",
        "from_twee",
        "responsibility_expression",
        "to_surveyjs",
        "to_twee",
    ],
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


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("Scorer", "fourresp.assessment"),
        ("AdditiveScorer", "fourresp.assessment"),
        ("KeyedAnswer", "fourresp.assessment"),
        ("ScorerOutput", "fourresp.assessment"),
        ("SupporterRegistry", "fourresp.supporters"),
    ],
)
def test_fourresp_typing_still_gives_each_protocol_with_a_deprecation(name, home):
    import fourresp.typing

    with pytest.warns(DeprecationWarning, match=f"import {name} from {home}"):
        value = getattr(fourresp.typing, name)
    assert value is getattr(importlib.import_module(home), name)
    with pytest.raises(AttributeError):
        fourresp.typing.Nothing  # noqa: B018


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_exported_names_show_their_public_module(module_name):
    module = importlib.import_module(module_name)
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            home = value.__module__
            if home.startswith("fourresp"):
                private = [part for part in home.split(".") if part.startswith("_")]
                assert private == [], f"{module_name}.{name} shows {home}"


def test_scenario_diagnostic_is_problem_with_a_deprecation():
    import fourresp.scenario
    from fourresp.errors import Problem

    with pytest.warns(DeprecationWarning, match="diagnostics are fourresp.errors.Problem"):
        value = fourresp.scenario.Diagnostic
    assert value is Problem
    with pytest.raises(AttributeError):
        fourresp.scenario.Nothing  # noqa: B018
