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

import contextlib
import io
import json
import pathlib
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import fourresp
from fourresp import (
    assessment,
    badges,
    charts,
    content,
    errors,
    exchange,
    scenario,
    supporters,
    testing,
    xapi,
)
from fourresp.assessment import Response, load_questionnaire, score
from fourresp.errors import Problem
from fourresp.scenario import Runner, load_scenario
from typed_app_scorers import HighAnswers, plain_mean

WHEN = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
BASE = "https://example.org/xapi"
T = TypeVar("T")


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


def use_fourresp() -> int:
    """The loader at the top level, each kind through its typed overload; the kinds."""
    kinds: tuple[str, ...] = fourresp.document_kinds()
    names: tuple[str, ...] = fourresp.schema_names()
    bundled: dict[str, object] = fourresp.schema("questionnaire", bundle=True)
    assert bundled
    assert names
    limits: fourresp.Limits = fourresp.DEFAULT_LIMITS
    questionnaire = load_questionnaire()
    document: dict[str, object] = fourresp.to_document(questionnaire)
    again: assessment.Questionnaire = fourresp.load(document, kind="questionnaire", limits=limits)
    assert again == questionnaire
    framework: content.Framework = fourresp.load(content.default_pack_path(), kind="framework")
    story: scenario.Scenario = fourresp.load(scenario.default_scenario_path(), kind="scenario")
    framework_document: dict[str, object] = fourresp.to_document(framework)
    anything = fourresp.load(framework_document)
    assert isinstance(anything, content.Framework)
    problems: tuple[fourresp.Problem, ...] = fourresp.validate(document)
    assert not problems
    assert story.scenes
    failures: list[type[fourresp.FourrespError]] = [
        fourresp.ArgumentError,
        fourresp.ChoiceError,
        fourresp.DocumentError,
    ]
    failures.extend([fourresp.MissingExtraError, fourresp.NotFoundError, fourresp.ResumeError])
    failures.extend(
        [fourresp.SchemaNotFoundError, fourresp.StorageError, fourresp.UnknownKindError]
    )
    try:
        fourresp.load("kind: framework\n", kind="nonsense")
    except fourresp.UnknownKindError as error:
        assert isinstance(error, fourresp.FourrespError)
    try:
        fourresp.load("kind: framework\n")
    except fourresp.DocumentError as error:
        first: fourresp.Problem = error.problems[0]
        assert first.message
    version: str = fourresp.__version__
    assert version
    assert failures
    return len(kinds)


def use_errors() -> int:
    """The exception tree and problems, as an app catches them; the number of kinds."""
    tree: list[type[errors.FourrespError]] = [
        errors.ArgumentError,
        errors.ChoiceError,
        errors.DocumentError,
    ]
    tree.extend([errors.MissingExtraError, errors.NotFoundError, errors.ResumeError])
    tree.extend([errors.SchemaNotFoundError, errors.StorageError, errors.UnknownKindError])
    try:
        fourresp.schema("no-such-schema")
    except errors.SchemaNotFoundError as error:
        assert isinstance(error, errors.FourrespError)
    try:
        load_questionnaire("no-such-questionnaire.yaml")
    except (errors.NotFoundError, errors.DocumentError) as error:
        assert str(error)
    problems: tuple[errors.Problem, ...] = fourresp.validate("kind: framework\n")
    severity: errors.Severity = problems[0].severity
    assert severity in ("error", "warning")
    return len(tree)


def use_content() -> int:
    """The framework, its text, its resources and share links; the aspects."""
    path: pathlib.Path = content.default_pack_path()
    framework: content.Framework = content.load_framework(path)
    text: str = content.framework_text(framework)
    assert text.startswith("#") or text
    problems: tuple[Problem, ...] = content.validate_pack(path)
    same: tuple[Problem, ...] = content.check_translation(framework, framework)
    assert not problems
    assert not same
    resources: content.Resources = framework.resources
    book: content.Book = resources.book
    formats: tuple[content.BookFormat, ...] = book.formats
    intro: content.Introduction = resources.questionnaire
    pledge: content.Pledge = resources.pledge
    licence: content.Licence = resources.licence
    share: content.Share = resources.share
    links: content.ShareLinks = content.share_links("https://example.org", share)
    assert links.email
    assert formats
    assert intro
    assert pledge
    assert licence
    first: content.Responsibility = framework.responsibilities[0]
    aspects: list[content.Aspect] = [a for r in framework.responsibilities for a in r.aspects]
    assert first.aspects
    return len(aspects)


def score_in_batches(questionnaire: assessment.Questionnaire, response: assessment.Response) -> int:
    """Read, score and measure the reliability of a few lines of JSON; the rows scored."""
    document: dict[str, object] = fourresp.to_document(response)
    lines = (json.dumps(document) + "\n") * 3
    form: assessment.BatchFormat = "jsonl"
    read: list[assessment.ResponseRow] = list(
        assessment.read_responses(io.StringIO(lines), questionnaire, format=form)
    )
    accumulator = assessment.ReliabilityAccumulator(questionnaire)
    batch: list[assessment.BatchRow] = list(
        assessment.score_batch(
            io.StringIO(lines), questionnaire, format=form, reliability=accumulator
        )
    )
    rows: list[assessment.ScoreRow] = list(
        assessment.score_rows(io.StringIO(lines), questionnaire, format=form)
    )
    report: assessment.Reliability = accumulator.report()
    direct: assessment.Reliability = assessment.reliability(
        questionnaire, [row.response for row in read if row.response is not None]
    )
    groups: tuple[assessment.GroupReliability, ...] = direct.groups
    item_totals: list[assessment.ItemTotal] = [t for g in groups for t in g.item_total]
    assert report.responses == direct.responses
    assert item_totals is not None
    return len(batch) + len(rows)


def use_assessment() -> int:
    """Score a response, a batch and rows, with the app's own scorers; the rows scored."""
    path: pathlib.Path = assessment.default_questionnaire_path()
    questionnaire: assessment.Questionnaire = assessment.load_questionnaire(path)
    items: tuple[assessment.Item, ...] = questionnaire.items
    scale: assessment.Scale = questionnaire.scale
    labels: tuple[assessment.ScaleLabel, ...] = scale.labels
    scoring: assessment.Scoring = questionnaire.scoring
    missing: assessment.MissingPolicy = questionnaire.missing
    highlights: assessment.Highlights = questionnaire.highlights
    cutoffs: assessment.Cutoffs = questionnaire.cutoffs
    band_sets: tuple[assessment.BandSet, ...] = questionnaire.bands
    bands: list[assessment.Band] = [band for s in band_sets for band in s.bands]
    references: list[assessment.Reference] = [r for band in bands for r in band.references]
    feedback: tuple[assessment.AspectFeedback, ...] = questionnaire.aspect_feedback
    assert assessment.ENTRY_POINT_GROUP
    assert labels
    assert scoring.scorer
    assert missing
    assert highlights
    assert cutoffs
    assert references is not None
    assert feedback is not None
    answers = assessment.Answers({item.id: 4 for item in items})
    response = assessment.Response(
        questionnaire=questionnaire.id, version=questionnaire.version, answers=answers
    )
    problems: tuple[Problem, ...] = assessment.check_response(questionnaire, response)
    assert not problems
    registry: assessment.ScorerRegistry = assessment.ScorerRegistry()
    registry.register("app-high", HighAnswers())
    registry.register("app-mean", plain_mean)
    default: assessment.ScorerRegistry = assessment.default_registry()
    assert "sum" in default.names()
    assert isinstance(plain_mean, assessment.Scorer)
    assert isinstance(HighAnswers(), assessment.AdditiveScorer)
    top: assessment.ScorerOutput = HighAnswers().from_sums(
        (1.0, 2.0), answered=2, total_items=2, parameters={}
    )
    assert top.percent == 50
    result: assessment.Result = assessment.score(
        questionnaire, response, scorers=registry, scorer="app-high"
    )
    overall: assessment.Score = result.overall
    band: assessment.BandRef | None = overall.band
    per_responsibility: tuple[assessment.ResponsibilityResult, ...] = result.responsibilities
    per_aspect: tuple[assessment.AspectResult, ...] = result.aspects
    strengths: tuple[assessment.Highlight, ...] = result.strengths
    assert band is None or band.name
    assert per_responsibility
    assert per_aspect
    assert strengths is not None
    markdown: str = assessment.result_markdown(result, questionnaire=questionnaire)
    chart: str = assessment.result_chart(result)
    shield: str = assessment.result_badge(result)
    assert markdown
    assert chart
    assert shield
    scored = score_in_batches(questionnaire, response)
    # Registering process-wide is the app's call to make; the decorator is typed.
    decorator: Callable[[HighAnswers], HighAnswers] = assessment.register_scorer("app-high")
    assert callable(decorator)
    return scored


def play(runner: scenario.Runner) -> scenario.Run:
    """Play to an ending, taking the last choice each time; save and resume the run."""
    run: scenario.Run = runner.start()
    while not run.finished:
        choices: tuple[scenario.Choice, ...] = runner.choices(run)
        scene: scenario.Scene = runner.scene(run)
        assert scene.id
        assert runner.text(run)
        run = runner.choose(run, choices[-1].id)
    ending: scenario.Ending | None = runner.ending(run)
    saved: dict[str, object] = runner.save(run)
    document: scenario.RunDocument = fourresp.load(saved, kind="run")
    kept: tuple[scenario.SavedStep, ...] = document.steps
    again: scenario.Run = runner.resume(document)
    assert again.steps == run.steps
    assert ending
    assert kept
    return run


def use_scenario() -> int:
    """Check, play, save, resume and draw a scenario; the steps played."""
    path: pathlib.Path = scenario.default_scenario_path()
    story: scenario.Scenario = scenario.load_scenario(path)
    order: scenario.Order = story.order
    variables: tuple[scenario.Variable, ...] = story.variables
    rules: tuple[scenario.EndingRule, ...] = story.ending_rules
    conditions: list[scenario.Condition] = [
        choice.condition for scene in story.scenes for choice in scene.choices if choice.condition
    ]
    kinds = (
        scenario.AllOf,
        scenario.AnyOf,
        scenario.Not,
        scenario.VariableIs,
        scenario.AspectTotal,
        scenario.ResponsibilityTotal,
        scenario.ResponsibilityPercent,
        scenario.Visited,
    )
    assert all(isinstance(condition, kinds) for condition in conditions)
    variants: list[scenario.Variant] = [v for scene in story.scenes for v in scene.variants]
    effects: list[scenario.Effects] = [c.effects for s in story.scenes for c in s.choices]
    marks: list[scenario.Mark] = [m for e in effects for m in e.marks]
    updates: list[scenario.Update] = [u for e in effects for u in e.set]
    epilogues: list[scenario.Epilogue] = [e.epilogue for e in story.endings if e.epilogue]
    assert order
    assert marks
    assert variables is not None
    assert rules is not None
    assert variants is not None
    assert updates is not None
    assert epilogues is not None
    structure: list[Problem] = scenario.check_structure(story)
    places: list[tuple[str | int, ...]] = [d.parts for d in structure]
    subjects: list[str | None] = [d.subject for d in structure]
    assert len(places) == len(subjects)
    report: scenario.ScenarioReport = scenario.check_scenario(
        story, state_limit=scenario.DEFAULT_STATE_LIMIT, balance=True
    )
    endings: tuple[scenario.EndingReport, ...] = report.endings
    ranges: list[scenario.ScoreRange] = [r for e in endings for r in e.ranges]
    balance: scenario.BalanceReport | None = report.balance
    chances: tuple[scenario.EndingChance, ...] = balance.endings if balance else ()
    nets: tuple[scenario.NetRange, ...] = balance.ranges if balance else ()
    assert report.ok
    assert not [d for d in structure if d.severity == "error"]
    assert ranges is not None
    assert chances is not None
    assert nets is not None
    assert scenario.BY_RULES
    runner = scenario.Runner(story, seed=7)
    run = play(runner)
    steps: tuple[scenario.Step, ...] = run.steps
    card: scenario.Scorecard = runner.scorecard(run)
    aspects: tuple[scenario.AspectScore, ...] = card.aspects
    responsibilities: tuple[scenario.ResponsibilityScore, ...] = card.responsibilities
    notes: tuple[scenario.FeedbackItem, ...] = card.feedback
    assert aspects
    assert responsibilities
    assert notes is not None
    drawings: list[str] = [
        scenario.scorecard_markdown(card),
        scenario.scorecard_chart(card),
        scenario.to_dot(story),
        scenario.to_mermaid(story),
        scenario.fingerprint(story),
    ]
    assert all(drawings)
    return len(steps)


def use_supporters() -> int:
    """Pledges into a registry, listed, searched, exported and a badge; the supporters."""
    limits: list[int] = [supporters.MAX_NAME, supporters.MAX_ORGANISATION]
    fields: tuple[str, ...] = supporters.PUBLIC_FIELDS
    countries: frozenset[str] = supporters.COUNTRY_CODES
    assert limits
    assert fields
    assert "GB" in countries
    email: str = supporters.normalise_email(" Ada@Example.org ")
    pledge = supporters.clean_pledge(
        supporters.Pledge(
            name="Ada",
            pledged_on="2026-11-29",
            framework_version="1.0.0",
            public=True,
            country="GB",
            email=email,
        )
    )
    registry: supporters.SupporterRegistry = supporters.open_registry(":memory:")
    assert isinstance(registry, supporters.SQLiteRegistry)
    added: supporters.Supporter = registry.add(pledge)
    page: supporters.Page = registry.list_public(limit=10)
    found: tuple[supporters.Supporter, ...] = registry.search("Ad")
    out = io.StringIO()
    exported: int = registry.export_to(out)
    count: int = registry.count(public_only=True)
    registry.close()
    assert page.supporters
    assert found
    assert exported == 1
    svg: str = supporters.supporter_badge(added)
    assert svg.startswith("<svg")
    return count


def use_badges() -> int:
    """Shields, an emblem, Open Badges 2 and 3, baking and signing; the badges made."""
    colours: dict[str, str] = badges.COLOURS
    styles: tuple[str, ...] = badges.STYLES
    themes: dict[str, badges.Theme] = badges.THEMES
    contexts: tuple[str, ...] = badges.OB3_CONTEXTS
    names: list[str] = [badges.OB2_CONTEXT, badges.OB2_NAMESPACE, badges.OB3_NAMESPACE]
    sizes: list[int] = [badges.DETAILED_FROM, badges.MAX_TEXT]
    assert colours
    assert styles
    assert themes
    assert contexts
    assert names
    assert sizes
    logo: badges.Logo = badges.Logo.from_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    shield: str = badges.badge("fourresp", "ok", logo=logo, style=styles[0])
    verdict: str = badges.verdict_badge("passed", passed=True)
    emblem: str = badges.emblem(name="Ada", year=2026)
    ratio: float = badges.contrast_ratio("#000000", "#ffffff")
    width: float = badges.text_width("fourresp")
    identity: str = badges.hashed_identity("ada@example.org", "app-salt-2026")
    assert ratio > 20
    assert width > 0
    assert identity
    assert verdict
    issuer: dict[str, object] = badges.ob2_issuer(
        id="https://example.org/issuer", name="Example", url="https://example.org"
    )
    badge_class: dict[str, object] = badges.ob2_badge_class(
        id="https://example.org/badge",
        name="Supporter",
        description="Supports the four responsibilities.",
        image="https://example.org/badge.svg",
        issuer="https://example.org/issuer",
        criteria_narrative="Pledged to the four responsibilities.",
    )
    assertion: dict[str, object] = badges.ob2_assertion(
        id="https://example.org/assertion/1",
        badge="https://example.org/badge",
        recipient_email="ada@example.org",
        salt="app-salt-2026",
        issued_on=WHEN,
    )
    assert issuer
    assert badge_class
    baked = badges.bake(emblem, assertion)
    assert isinstance(baked, str)
    found: badges.BakedBadge | None = badges.unbake(baked)
    assert found is not None
    payload: object = found.payload
    assert payload == assertion
    credential: dict[str, object] | str = badges.ob3_credential(
        id="urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        issuer_id="https://example.org/issuer",
        issuer_name="Example",
        achievement_id="https://example.org/achievement",
        achievement_name="Supporter",
        achievement_description="Supports the four responsibilities.",
        criteria_narrative="Pledged.",
        recipient_email="ada@example.org",
        salt="app-salt-2026",
        valid_from=WHEN,
    )
    assert isinstance(credential, dict)
    # Signing needs the crypto extra and a key of the app's own; both are typed.
    sign: Callable[[dict[str, object], str], str] = badges.sign_credential
    verify: Callable[[str, str], dict[str, object]] = badges.verify_credential
    signing = [sign, verify]
    png: bytes | None = None
    with contextlib.suppress(errors.MissingExtraError):
        png = badges.to_png(shield)
    assert png is None or png.startswith(b"\x89PNG")
    return len(signing) + 3


def use_charts() -> int:
    """A bar chart of the app's own figures; the bars drawn."""
    bars = [
        charts.Bar(label="Learning", percent=80.0, colour=charts.PALETTE[0]),
        charts.Bar(label="Evidence", percent=None, note="n" * charts.MAX_NOTE),
    ]
    limits: list[int] = [charts.MAX_LABEL, charts.MAX_LABEL_WITH_NOTE]
    svg: str = charts.bar_chart("The app's figures", bars, subtitle="two bars")
    assert svg.startswith("<svg")
    assert limits
    with contextlib.suppress(errors.ArgumentError):
        charts.bar_chart("", [])
    return len(bars)


def use_testing() -> int:
    """Every strategy drawn from once, and a scorer checked; the values drawn."""
    from hypothesis import Phase, find, settings
    from hypothesis import strategies as st

    # The first value made is enough: no shrinking (find would shrink it to the simplest).
    quiet = settings(max_examples=5, database=None, deadline=None, phases=[Phase.generate])

    def draw(strategy: st.SearchStrategy[T]) -> T:
        """The first value ``strategy`` makes."""

        def anything(value: object) -> bool:
            return True

        return find(strategy, anything, settings=quiet)

    questionnaire = load_questionnaire()
    story = load_scenario()
    framework: content.Framework = draw(testing.frameworks(max_responsibilities=2))
    generated: assessment.Questionnaire = draw(testing.questionnaires(max_items=4))
    played: scenario.Scenario = draw(testing.scenarios(max_scenes=4))
    response: assessment.Response = draw(testing.responses(questionnaire))
    answers: dict[str, float | None] = draw(testing.answers_for(questionnaire))
    run: scenario.Run = draw(testing.runs(story, max_steps=3))
    aspect: content.Aspect = draw(testing.aspects())
    responsibility: content.Responsibility = draw(testing.responsibilities(max_aspects=2))
    resources: content.Resources = draw(testing.resources())
    keyed: list[assessment.KeyedAnswer] = draw(testing.keyed_answers(max_size=3))
    words: list[str] = [
        draw(testing.identifiers()),
        draw(testing.locales()),
        draw(testing.texts()),
        draw(testing.versions()),
    ]
    framework_documents: st.SearchStrategy[dict[str, object]] = testing.framework_documents()
    scenario_documents: st.SearchStrategy[dict[str, object]] = testing.scenario_documents()
    documents = [draw(framework_documents), draw(scenario_documents)]
    testing.check_scorer(plain_mean, max_examples=5, shrink=False)
    drawn: list[object] = [
        framework,
        generated,
        played,
        response,
        answers,
        run,
        aspect,
        responsibility,
        resources,
        keyed,
        *words,
        *documents,
    ]
    return len(drawn)


def use_site() -> int:
    """The site's app, made with the app's own settings, and its home page; the status."""
    try:
        from fourresp import site
    except errors.MissingExtraError:
        return 0
    with tempfile.TemporaryDirectory() as folder:
        settings = site.SiteSettings(
            db=str(pathlib.Path(folder) / "supporters.db"), secret_key=b"0" * 32
        )
        app = site.create_app(settings)
        status: int = app.test_client().get("/").status_code
    return status


def main() -> None:
    """Use every covered subpackage once."""
    use_xapi()
    use_exchange()
    use_fourresp()
    use_errors()
    use_content()
    use_assessment()
    use_scenario()
    use_supporters()
    use_badges()
    use_charts()
    use_testing()
    use_site()


if __name__ == "__main__":
    main()
