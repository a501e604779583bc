"""The default content pack and the content API."""

from __future__ import annotations

import pathlib
import re
import shutil

import attrs
import pytest
import yaml
from hypothesis import given

import fourresp
from fourresp import testing
from fourresp.content import (
    Framework,
    check_translation,
    default_pack_path,
    load_framework,
    share_links,
    validate_pack,
)

# The site's statements, verbatim: the default pack must not drift from them.
STATEMENTS = {
    "client": (
        "As a learning professional I have a responsibility to my client to help them to "
        "achieve their goals for employee performance. Doing the best for my client will "
        "often mean suggesting a solution other than the one requested. Sometimes it will "
        "mean recommending something other than a learning intervention."
    ),
    "learners": (
        "As a learning professional I have a responsibility to the learners who participate "
        "in any learning intervention that I conceive or facilitate. I want these learners to"
        " be inspired and grow in confidence. I want to help them achieve their own goals for"
        " personal development. I want to do them no harm, by boring them, overwhelming them,"
        " embarrassing them or peddling them untested remedies."
    ),
    "peers": (
        "As a learning professional I have a responsibility to my fellow professionals to "
        "uphold the ethics and standards of my profession, and to do nothing that would "
        "damage our collective credibility. In the work that I carry out, I want to enhance "
        "the reputation of learning professionals as trusted consultants and skilled "
        "practitioners; as people who can be relied on to put the interests of their clients "
        "and their learners first."
    ),
    "self": (
        "Finally, as a learning professional, I have a responsibility to myself to make sure "
        "I am fully up-to-date with current best practice and evidence-based learning theory,"
        " that I am constantly reflecting upon and looking to improve my skills, and that I "
        "am conversant with the latest technologies that could enhance learning in terms of "
        "its effectiveness or efficiency."
    ),
}


def test_default_pack_has_the_four_responsibilities_in_order():
    framework = load_framework()
    assert [item.id for item in framework] == ["client", "learners", "peers", "self"]
    assert len(framework) == 4
    assert framework.locale == "en-GB"
    assert framework.version == "1.0.0"


def test_statements_are_verbatim():
    framework = load_framework()
    for item in framework:
        assert item.statement == STATEMENTS[item.id]


def test_twenty_aspects_five_each_unique_and_prefixed():
    framework = load_framework()
    assert len(framework.aspects) == 20
    assert len({aspect.id for aspect in framework.aspects}) == 20
    for item in framework:
        assert len(item.aspects) == 5
        assert all(aspect.id.startswith(item.id + "-") for aspect in item.aspects)


# Aspect ids are public: questionnaires, responses' results, scenarios and saved runs
# name them. Drawing boundaries re-cut what each aspect covers without renaming any.
ASPECT_IDS = [
    "client-performance-goals",
    "client-diagnose-need",
    "client-better-solution",
    "client-non-learning",
    "client-measure-results",
    "learners-inspire",
    "learners-confidence",
    "learners-own-goals",
    "learners-manageable-load",
    "learners-proven-methods",
    "peers-ethics",
    "peers-standards",
    "peers-credibility",
    "peers-trusted-consultant",
    "peers-interests-first",
    "self-best-practice",
    "self-evidence",
    "self-reflection",
    "self-skills",
    "self-technology",
]


def test_aspect_ids_are_unchanged():
    assert [aspect.id for aspect in load_framework().aspects] == ASPECT_IDS


def test_every_aspect_has_one_line_boundaries_naming_real_neighbours():
    framework = load_framework()
    ids = {aspect.id for aspect in framework.aspects}
    named: set[str] = set()
    for aspect in framework.aspects:
        assert aspect.includes, aspect.id
        assert aspect.excludes, aspect.id
        for rule in (aspect.includes, aspect.excludes):
            assert "\n" not in rule, aspect.id
            assert len(rule) <= 200, aspect.id
        # Each exclusion names, in brackets, the aspects the behaviour belongs to instead.
        refs = [
            ref
            for group in re.findall(r"\(([a-z, -]+)\)", aspect.excludes)
            for ref in group.split(", ")
        ]
        assert refs, aspect.id
        for ref in refs:
            assert ref in ids, (aspect.id, ref)
            assert ref != aspect.id, ref
        named.update(refs)
    # The aspects that overlapped before boundaries were drawn each send behaviour elsewhere.
    assert {"client-non-learning", "self-evidence", "peers-credibility", "self-skills"} <= named


def test_boundaries_are_optional_in_a_pack_of_ones_own(tmp_path):
    document = fourresp.to_document(load_framework())
    for responsibility in document["responsibilities"]:
        for aspect in responsibility["aspects"]:
            del aspect["includes"], aspect["excludes"]
    framework = fourresp.load(document)
    assert all(a.includes is None and a.excludes is None for a in framework.aspects)


def test_default_pack_is_cached_and_validates_clean():
    assert load_framework() is load_framework()
    assert validate_pack(default_pack_path()) == ()
    assert fourresp.validate(default_pack_path()) == ()


def test_resources_carry_the_site_texts():
    resources = load_framework().resources
    assert resources.share.hashtag == "#FourResponsibilities"
    assert resources.licence.spdx == "CC-BY-NC-SA-4.0"
    assert resources.licence.url == "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    assert resources.questionnaire.text.startswith(
        "Would you like to know how professional you are?"
    )
    assert "day in the life" in resources.scenario.text
    assert resources.pledge.badge_call_to_action == "Get the badge"
    assert [fmt.free for fmt in resources.book.formats] == [True, False, False]


def test_lookups_by_id():
    framework = load_framework()
    assert framework.responsibility("peers").title == "Responsibility to peers"
    assert framework.aspect("client-non-learning").title == "Recommend non-learning solutions"
    assert framework.responsibility_of("self-evidence").id == "self"
    assert (
        framework.responsibility("client").aspect("client-diagnose-need").id
        == "client-diagnose-need"
    )


@pytest.mark.parametrize(
    "lookup",
    [
        lambda f: f.responsibility("nobody"),
        lambda f: f.aspect("nothing"),
        lambda f: f.responsibility_of("nothing"),
        lambda f: f.responsibility("client").aspect("self-evidence"),
    ],
)
def test_unknown_ids_raise_not_found(lookup):
    with pytest.raises(fourresp.NotFoundError):
        lookup(load_framework())


def test_models_are_frozen_and_hashable():
    framework = load_framework()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        framework.id = "other"  # type: ignore[misc]
    assert {framework: 1}[framework] == 1


def _write_pack(tmp_path: pathlib.Path, document: dict) -> pathlib.Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "framework.yaml").write_text(
        yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
    )
    return folder


def test_custom_packs_load_side_by_side(tmp_path):
    document = fourresp.to_document(load_framework())
    document["locale"] = "fr-FR"
    document["responsibilities"][0]["title"] = "Responsabilité envers le client"
    folder = _write_pack(tmp_path, document)
    french = load_framework(folder)
    english = load_framework()
    assert french.locale == "fr-FR"
    assert english.locale == "en-GB"
    assert french.responsibility("client").title == "Responsabilité envers le client"
    assert load_framework(folder / "framework.yaml") == french
    assert check_translation(english, french) == ()


def test_translation_check_reports_changed_ids():
    base = load_framework()
    document = fourresp.to_document(base)
    document["responsibilities"][1]["aspects"][0]["id"] = "learners-inspiration"
    document["responsibilities"].reverse()
    changed = fourresp.load(document)
    problems = check_translation(base, changed)
    paths = [problem.path for problem in problems]
    assert "$.responsibilities" in paths
    assert "$.responsibilities[2].aspects" in paths
    assert all(problem.code == "translation-mismatch" for problem in problems)


def test_pack_folder_without_framework_is_a_document_error(tmp_path):
    with pytest.raises(fourresp.DocumentError, match=r"framework\.yaml"):
        load_framework(tmp_path)
    assert validate_pack(tmp_path)[0].code == "unreadable"


def test_missing_file_is_a_document_error(tmp_path):
    with pytest.raises(fourresp.DocumentError) as caught:
        load_framework(tmp_path / "nope.yaml")
    assert caught.value.problems[0].code == "unreadable"


def test_validate_pack_reports_duplicate_aspect_ids_with_both_lines(tmp_path):
    text = (
        default_pack_path()
        .read_text(encoding="utf-8")
        .replace("id: learners-confidence", "id: learners-inspire")
    )
    path = tmp_path / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    (problem,) = validate_pack(path)
    assert problem.code == "duplicate-id"
    assert problem.path == "$.responsibilities[1].aspects[1].id"
    first_line = text.splitlines().index("      - id: learners-inspire") + 1
    assert f"(first at line {first_line})" in problem.message
    assert problem.line == first_line + 5 or problem.line > first_line
    assert problem.parts == ("responsibilities", 1, "aspects", 1, "id")
    assert problem.first == ("responsibilities", 1, "aspects", 0, "id")


def test_default_pack_copy_is_a_valid_pack(tmp_path):
    shutil.copy(default_pack_path(), tmp_path / "framework.yaml")
    assert validate_pack(tmp_path) == ()


def test_share_links_cover_the_networks():
    share = load_framework().resources.share
    links = share_links("https://example.org/page?a=1&b=2", share)
    assert set(links.as_dict()) == {"linkedin", "x", "facebook", "mastodon", "email"}
    assert all(
        "https%3A%2F%2Fexample.org%2Fpage%3Fa%3D1%26b%3D2" in link
        for link in links.as_dict().values()
    )
    assert "%23FourResponsibilities" in links.x
    assert links.mastodon.startswith("https://mastodon.social/share?text=")
    assert links.email.startswith("mailto:?subject=Spread%20the%20word&body=")
    custom = share_links(
        "https://example.org",
        share,
        message="Hi #fourresponsibilities",
        mastodon_instance="fosstodon.org",
    )
    assert custom.x.count("%23") == 1
    assert custom.mastodon.startswith("https://fosstodon.org/")


@pytest.mark.parametrize(
    "url", ["example.org", "ftp://example.org", "https://exa mple.org", "javascript:alert(1)", ""]
)
def test_share_links_refuse_bad_urls(url):
    with pytest.raises(fourresp.ArgumentError):
        share_links(url, load_framework().resources.share)


def test_share_links_refuse_bad_instance():
    with pytest.raises(fourresp.ArgumentError):
        share_links(
            "https://example.org", load_framework().resources.share, mastodon_instance="evil.org/x?"
        )


@given(testing.frameworks())
def test_every_aspect_is_found_in_its_responsibility(framework: Framework):
    for item in framework:
        for aspect in item.aspects:
            assert framework.aspect(aspect.id) is aspect
            assert framework.responsibility_of(aspect.id) is item
    assert check_translation(framework, framework) == ()


def test_attribution_names_work_creator_source_licence_and_changes():
    licence = load_framework().resources.licence
    text = " ".join(licence.attribution.split())
    assert '"The Four Responsibilities of the Learning Professional"' in text
    assert "by Clive Shepherd" in text
    assert "https://four-responsibilities.org" in text
    assert "CC BY-NC-SA 4.0" in text
    assert licence.url in text
    assert "Changes made:" in text
    assert licence.work == "The Four Responsibilities of the Learning Professional"
    assert licence.creator == "Clive Shepherd"
    assert licence.source == "https://four-responsibilities.org"
    assert licence.changes
    assert "blurb" in licence.changes


ROOT = pathlib.Path(__file__).resolve().parent.parent
SHIPPED_DATA = sorted(path for path in (ROOT / "src" / "fourresp").glob("*/data/*.yaml"))


@pytest.mark.parametrize("path", SHIPPED_DATA, ids=lambda path: path.name)
def test_every_shipped_data_file_opens_with_its_licence(path):
    header = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    text = " ".join(" ".join(line.lstrip("# ") for line in header).split())
    assert "CC BY-NC-SA 4.0" in text
    assert "https://creativecommons.org/licenses/by-nc-sa/4.0/" in text
    assert "Clive Shepherd" in text
    assert "https://four-responsibilities.org" in text
    assert "LICENSE-CONTENT.md" in text
    # LICENSE-CONTENT.md covers the file by name.
    licence_text = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert f"{path.parent.parent.name}/data/{path.name}" in licence_text


def test_the_package_declares_both_licences():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT AND CC-BY-NC-SA-4.0"' in pyproject
    assert '"LICENSE-CONTENT.md"' in pyproject
