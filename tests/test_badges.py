"""Badges: markup, text metrics against the font, rendering, the emblem, Open Badges baking."""

from __future__ import annotations

import hashlib
import io
import json
import pathlib
import re
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fourresp.assessment import result_badge
from fourresp.badges import (
    MAX_TEXT,
    OB3_CONTEXTS,
    STYLES,
    THEMES,
    Logo,
    badge,
    bake,
    emblem,
    hashed_identity,
    ob2_assertion,
    ob2_badge_class,
    ob2_issuer,
    ob3_credential,
    text_width,
    unbake,
    verdict_badge,
)
from fourresp.errors import ArgumentError, DocumentError

SVG = "{http://www.w3.org/2000/svg}"
FONTS = pathlib.Path("/usr/share/fonts/truetype/dejavu")
styles = st.sampled_from(STYLES)


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _width(svg: str) -> int:
    return int(_parse(svg).get("width"))


def _assert_safe(root: ElementTree.Element) -> None:
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        assert local not in {"script", "foreignObject", "iframe", "use"}
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            if name.endswith("href"):
                assert value.startswith(("data:image/", "#", "https://", "http://", "mailto:"))


@given(st.text(), st.text(), styles)
def test_any_text_makes_a_safe_accessible_deterministic_badge(label, message, style):
    svg = badge(label, message, style=style)
    assert svg == badge(label, message, style=style)
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == root.find(f"{SVG}title").text
    _assert_safe(root)


@given(st.text(), st.text(), st.characters(), styles, st.booleans())
def test_appending_a_character_never_shrinks_a_badge(label, message, extra, style, to_label):
    before = badge(label, message, style=style)
    after = (
        badge(label + extra, message, style=style)
        if to_label
        else badge(label, message + extra, style=style)
    )
    assert _width(after) >= _width(before)


@settings(max_examples=30)
@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=20)), min_size=2, max_size=6))
def test_badges_on_one_page_never_share_ids(pairs):
    badges = {badge(label, message) for label, message in pairs}  # equal badges are equal bytes
    ids: list[str] = []
    for svg in badges:
        ids += re.findall(r' id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))


def test_user_text_is_escaped_and_forbidden_characters_dropped():
    svg = badge('a<b & "c"', "<script>alert(1)</script>\x00\x1b\ufffe")
    root = _parse(svg)
    _assert_safe(root)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert 'a<b & "c"' in texts
    assert "<script>alert(1)</script>" in texts
    assert "<script>" not in svg


def test_overlong_text_is_cut_with_an_ellipsis():
    svg = badge("x" * 500, "y")
    label = next(t.text for t in _parse(svg).iter(f"{SVG}text"))
    assert label == "x" * MAX_TEXT + "\u2026"


def test_whitespace_is_normalised_as_renderers_do():
    assert badge("  a \t\n b  ", "c") == badge("a b", "c")


_AWKWARD = st.sampled_from(" \t\r\n\x00\u00a0\u3000\ufffe\ud800")


@given(st.text(st.characters(exclude_categories=()) | _AWKWARD))
def test_cleaning_text_agrees_with_its_plain_definition(text):
    from fourresp._svg import normalise_space, shorten, strip_forbidden
    from fourresp.badges._shields import clean_text

    assert clean_text(text) == shorten(normalise_space(strip_forbidden(text)), MAX_TEXT)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"style": "round"}, "unknown badge style"),
        ({"color": "blurple"}, "unknown colour"),
        ({"logo": "https://example.org/logo.svg"}, "data:image"),
        ({"logo": "data:image/png;base64,!!!"}, "data:image"),
        ({"links": "javascript:alert(1)"}, "http"),
        ({"links": ("https://a.example", "https://b.example", "https://c.example")}, "two"),
        ({"id_suffix": 'x" onload="evil'}, "id_suffix"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ArgumentError, match=message):
        badge("a", "b", **kwargs)


def test_colours_logo_and_links():
    png = Logo.from_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    svg = badge(
        "build",
        "ok",
        color="#0a0",
        label_color="informational",
        logo=png,
        links=("https://example.org/a?x=1&y=2", "mailto:team@example.org"),
    )
    root = _parse(svg)
    _assert_safe(root)
    assert 'fill="#0a0"' in svg
    assert 'fill="#007ec6"' in svg
    assert 'href="https://example.org/a?x=1&amp;y=2"' in svg
    assert Logo.from_data_uri(png.data_uri()) == png
    assert _width(svg) > _width(badge("build", "ok"))


@pytest.mark.parametrize("bad", [["#fff"], {"c": 1}, 5, None, "not-a-colour", "#12345"])
@pytest.mark.parametrize("which", ["color", "label_color"])
def test_a_bad_colour_is_refused_by_name(bad, which):
    with pytest.raises(ArgumentError, match="colour"):
        badge("build", "ok", **{which: bad})


def test_text_colour_is_the_one_with_more_contrast():
    from fourresp.badges import contrast_ratio

    for colour in ("#4c1", "#007ec6", "#e05d44", "#ffffff", "#000000", "#dfb317"):
        svg = badge("x", "y", color=colour, style="flat-square")
        fill = re.findall(r'<text x="[^"]+" y="[^"]+" fill="([^"]+)"', svg)[-1]
        other = "#222" if fill == "#fff" else "#fff"
        assert contrast_ratio(colour, fill) >= contrast_ratio(colour, other)


# -- metrics against the font itself -------------------------------------------------

fonttools = pytest.importorskip("fontTools.ttLib")


def _font_width(path: pathlib.Path, text: str, size: float) -> float:
    font = fonttools.TTFont(path)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    return sum(metrics[cmap[ord(c)]][0] for c in text) * size / font["head"].unitsPerEm


latin = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_categories=("Cc", "Zs")),
    min_size=1,
    max_size=40,
)


@pytest.fixture(scope="module")
def dejavu():
    regular, bold = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
    if not regular.exists():
        pytest.fail(f"{regular} is needed (Debian: fonts-dejavu-core)")
    return regular, bold


@settings(max_examples=40)
@given(text=latin)
def test_reserved_width_matches_the_fonts_advances_within_1px(dejavu, text):
    regular, bold = dejavu
    assert abs(text_width(text) - _font_width(regular, text, 11)) < 1
    assert abs(text_width(text, size=10, bold=True) - _font_width(bold, text, 10)) < 1
    svg = badge("label", text, style="flat-square")
    length = float(re.findall(r'textLength="(\d+)"', svg)[-1]) / 10
    assert abs(length - _font_width(regular, text, 11)) < 1
    message_box = _width(svg) - _width(badge("label", "", style="flat-square"))
    assert 0 <= message_box - _font_width(regular, text, 11) - 0 <= 1 + 0  # ceil only


def test_fallback_widths_for_what_the_font_lacks():
    assert text_width("\u0301") == 0  # a combining mark alone
    assert text_width("漢") == pytest.approx(11)  # full width: 1 em
    assert text_width("🧪") == pytest.approx(11 * 1.3)


# -- what a renderer draws ------------------------------------------------------------

cairosvg = pytest.importorskip("cairosvg")
Image = pytest.importorskip("PIL.Image")

SCALE = 4
HARD_STRINGS = [
    "recognised as a true professional and then some more words",
    "iiiiiiiiiiiiiiiiiiiiiiii",
    "llllllllll!!!!!!!!;;;;",
    "WWWWWWWWWWWWW",
    "MMMMMMMM@@@@@@%%%%",
    "Ærøskøbing ÿ ß Ñ",
    "0123456789",
]


def _pixels(svg: str):
    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=_width(svg) * SCALE)
    return Image.open(io.BytesIO(png)).convert("RGBA")


def _without_text(svg: str, index: int) -> str:
    """The badge with the text of its ``index``-th visible text element (and shadow) emptied."""
    texts = list(re.finditer(r"(<text[^>]*>)([^<]*)(</text>)", svg))
    groups: list[list[re.Match[str]]] = []
    for match in texts:
        if groups and 'aria-hidden="true"' in groups[-1][-1].group(1):
            groups[-1].append(match)
        else:
            groups.append([match])
    out = svg
    for match in sorted(groups[index], key=lambda m: -m.start()):
        out = out[: match.start(2)] + out[match.end(2) :]
    return out


def _ink_columns(full, empty) -> tuple[int, int]:
    columns = [
        x
        for x in range(full.width)
        for y in range(full.height)
        if full.getpixel((x, y)) != empty.getpixel((x, y))
    ]
    return min(columns), max(columns)


@pytest.mark.parametrize("style", ["flat", "flat-square", "for-the-badge", "plastic"])
@pytest.mark.parametrize("text", HARD_STRINGS)
def test_rendered_text_stays_inside_its_box(style, text, dejavu):
    svg = badge("label", text, style=style)
    left = _width(badge("label", "", style=style)) - 2 * (9 if style == "for-the-badge" else 5)
    full = _pixels(svg)
    message_first, message_last = _ink_columns(full, _pixels(_without_text(svg, 1)))
    label_first, label_last = _ink_columns(full, _pixels(_without_text(svg, 0)))
    assert label_first > 0
    assert label_last < left * SCALE
    assert left * SCALE < message_first
    assert message_last < full.width - 1


# -- the emblem and result badges ----------------------------------------------------


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("size", [64, 128, 512])
def test_emblems_are_well_formed_and_accessible(theme, size):
    svg = emblem(name="Ada Lovelace", year=2026, theme=theme, size=size)
    root = _parse(svg)
    assert root.get("width") == root.get("height") == str(size)
    assert root.get("role") == "img"
    _assert_safe(root)
    assert (">Ada Lovelace</text>" in svg) == (size >= 128)
    assert "Supporter: Ada Lovelace" in root.find(f"{SVG}desc").text
    assert svg == emblem(name="Ada Lovelace", year=2026, theme=theme, size=size)


@given(st.text(max_size=300))
def test_any_name_fits_the_emblem(name):
    svg = emblem(name=name, year=2026, size=256)
    _assert_safe(_parse(svg))
    match = re.search(r'<text x="256" y="342" font-size="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    if match:
        size, shown = float(match.group(1)), match.group(2)
        shown = shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert text_width(shown.replace("&quot;", '"'), size=size, bold=True) <= 236 + 1e-6


def test_emblem_arguments_are_checked():
    with pytest.raises(ArgumentError, match="theme"):
        emblem(theme="neon")
    with pytest.raises(ArgumentError, match="size"):
        emblem(size=8)
    with pytest.raises(ArgumentError, match="year"):
        emblem(year=26)


def test_result_and_verdict_badges():
    from fourresp.assessment import Response, load_questionnaire, score

    questionnaire = load_questionnaire()
    answers = {item.id: 1 if item.reverse else 5 for item in questionnaire.items}
    result = score(
        questionnaire,
        Response(questionnaire=questionnaire.id, version=questionnaire.version, answers=answers),
    )
    assert "self-assessment: consistent practice 100%" in result_badge(result)
    assert "scenario: recognised as a true professional" in verdict_badge(
        "recognised as a true professional", passed=True
    )


# -- Open Badges ---------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://example.org/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "ada@example.org"},
    "badge": "https://example.org/badges/pledge",
    "verification": {"type": "hosted"},
    "issuedOn": "2026-11-29T10:00:00Z",
}
CREDENTIAL = {
    "@context": list(OB3_CONTEXTS),
    "id": "urn:uuid:6a1c0f1e-0000-4000-8000-000000000009",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://example.org/issuer", "type": ["Profile"], "name": "Example"},
    "validFrom": "2026-11-29T10:00:00Z",
    "name": "Supporter",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:x:a"}},
}
EXAMPLES = {"2.0": ASSERTION, "3.0": CREDENTIAL}


@given(json_values, st.sampled_from(["2.0", "3.0"]), styles)
def test_bake_then_unbake_gives_the_same_json(extra, version, style):
    payload = {**EXAMPLES[version], "extra": extra}
    svg = bake(badge("pledge", "signed", style=style), payload, version=version)
    baked = unbake(svg)
    assert baked.version == version
    assert baked.payload == payload
    _parse(svg)
    again = bake(svg, payload, version=version)
    assert len(re.findall(r"<openbadges:(?:assertion|credential)", again)) == 1


def test_baked_json_can_hold_cdata_ends_and_is_first_child():
    payload = {**ASSERTION, "note": "]]> and ]]]]> and <![CDATA[ and openbadges:assertion"}
    svg = bake(badge("a", "b"), payload)
    root = _parse(svg)
    first = next(iter(root))
    assert first.tag == "{http://openbadges.org}assertion"
    assert first.get("verify") == "https://example.org/assertions/1"
    assert svg.count("]]>") == 1  # one CDATA section, whatever the JSON holds
    assert unbake(svg).payload == payload


def test_unbake_understands_any_prefix_and_3_0_jwt():
    other = (
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:ob3="https://purl.imsglobal.org/ob/v3p0">'
        '<ob3:credential verify="aaa.bbb.ccc"/><rect width="1" height="1"/></svg>'
    )
    baked = unbake(other)
    assert (baked.version, baked.verify, baked.payload) == ("3.0", "aaa.bbb.ccc", None)
    rebaked = bake(other, CREDENTIAL)
    assert "ob3:credential" not in rebaked
    assert '<rect width="1" height="1"/>' in rebaked
    assert unbake(rebaked).payload == CREDENTIAL
    assert unbake(badge("a", "b")) is None


@pytest.mark.parametrize(
    "svg",
    [
        "<svg",
        "<html xmlns='http://www.w3.org/1999/xhtml'/>",
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    ],
)
def test_bad_svg_is_refused(svg):
    with pytest.raises(DocumentError):
        unbake(svg)
    with pytest.raises(DocumentError):
        bake(svg, ASSERTION)


def test_open_badges_objects():
    salt = "0123456789abcdef"
    identity = hashed_identity(" ada@example.org ", salt)
    assert identity == hashed_identity("ada@example.org", salt)
    assert re.fullmatch(r"sha256\$[0-9a-f]{64}", identity)
    issuer = ob2_issuer(id="https://example.org/issuer", name="Example", url="https://example.org")
    badge_class = ob2_badge_class(
        id="https://example.org/badges/pledge",
        name="Four Responsibilities supporter",
        description="Pledged to the four responsibilities.",
        image="https://example.org/badges/pledge.svg",
        issuer=issuer["id"],
        criteria_narrative="Sign the pledge.",
    )
    assertion = ob2_assertion(
        id="https://example.org/assertions/1",
        badge=badge_class["id"],
        recipient_email="ada@example.org",
        salt=salt,
        issued_on="2026-11-29T10:00:00Z",
    )
    assert assertion["recipient"]["identity"] == identity
    assert "ada@example.org" not in json.dumps(assertion)
    credential = ob3_credential(
        id="urn:uuid:6a1c0f1e-0000-4000-8000-000000000001",
        issuer_id="https://example.org/issuer",
        issuer_name="Example",
        achievement_id="https://example.org/achievements/pledge",
        achievement_name="Four Responsibilities supporter",
        achievement_description="Pledged to the four responsibilities.",
        criteria_narrative="Sign the pledge.",
        recipient_email="ada@example.org",
        salt=salt,
        valid_from="2026-11-29T10:00:00Z",
    )
    assert credential["@context"] == list(OB3_CONTEXTS)
    assert unbake(bake(badge("a", "b"), credential)).version == "3.0"
    signed = ob3_credential(**_credential_arguments(), signer=lambda c: "h.p.s")
    assert unbake(bake(badge("a", "b"), verify=signed)).verify == "h.p.s"
    with pytest.raises(ArgumentError, match="bake what"):
        bake(badge("a", "b"))
    with pytest.raises(ArgumentError, match="timezone"):
        ob2_assertion(
            id="https://example.org/a/2",
            badge=badge_class["id"],
            recipient_email="ada@example.org",
            salt=salt,
            issued_on="2026-11-29T10:00:00",
        )
    with pytest.raises(ArgumentError, match="e-mail"):
        hashed_identity("not an address", salt)


def _credential_arguments():
    return {
        "id": "urn:uuid:6a1c0f1e-0000-4000-8000-000000000002",
        "issuer_id": "https://example.org/issuer",
        "issuer_name": "Example",
        "achievement_id": "https://example.org/achievements/pledge",
        "achievement_name": "Supporter",
        "achievement_description": "Pledged.",
        "criteria_narrative": "Sign the pledge.",
        "recipient_email": "ada@example.org",
        "salt": "0123456789abcdef",
        "valid_from": "2026-11-29T10:00:00+01:00",
    }


def test_png_output_and_a_missing_extra(monkeypatch):
    import sys

    from fourresp.badges import to_png
    from fourresp.errors import MissingExtraError

    png = to_png(badge("a", "b"), width=200)
    assert png.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(png)).width == 200
    monkeypatch.setitem(sys.modules, "cairosvg", None)
    with pytest.raises(MissingExtraError, match="png extra"):
        to_png(badge("a", "b"))


def test_the_pictures_in_the_guides_are_what_the_library_draws():
    import importlib.util

    root = pathlib.Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "generate_doc_images", root / "scripts" / "generate_doc_images.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, svg in module.pictures().items():
        committed = (root / "docs" / "images" / name).read_text(encoding="utf-8")
        assert committed == svg, f"docs/images/{name} is stale: run scripts/generate_doc_images.py"


_PINNED_WORDS = ("build", "", "café & <tea>", 'Ελληνικά "q"', "学习", "a" * 120, " x  y ", "🎉ok")


def _pinned_badge_inputs():
    png = Logo.from_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    colours = ("brightgreen", "#0a0", "grey", "blue", "ff00ff")
    extras = (
        {},
        {"logo": png},
        {"links": "https://example.org/?a=1&b=2"},
        {"links": ("https://a.example", "mailto:x@example.org")},
        {"title": "A <title>"},
        {"id_suffix": "page-1"},
        {"logo": png, "links": ["https://a.example"], "title": ""},
    )
    count = 0
    for style in STYLES:
        for label in _PINNED_WORDS:
            for message in _PINNED_WORDS[:4]:
                for colour in colours[:3]:
                    for extra in extras:
                        if count % 3 == 0 or not extra:
                            yield (
                                label,
                                message,
                                {
                                    "color": colour,
                                    "label_color": colours[count % 5],
                                    "style": style,
                                    **extra,
                                },
                            )
                        count += 1


def test_badges_and_emblems_are_the_pinned_bytes():
    # Thousands of badges and emblems over every style, theme and option, hashed:
    # a change to the markup, however small, must be deliberate.
    digest = hashlib.sha256()
    for label, message, options in _pinned_badge_inputs():
        digest.update(badge(label, message, **options).encode())
    assert digest.hexdigest() == "a6e125cddc85aad4d5850f86aec6d5317c7376aabd9bf06c96d06ff131b0aae4"
    digest = hashlib.sha256()
    for theme in THEMES:
        for size in (16, 64, 127, 128, 256, 512):
            for name in (None, "Ada Lovelace", "W" * 80, "<&>"):
                for year in (None, 2026):
                    for hashtag in (None, "#4R"):
                        svg = emblem(name=name, year=year, theme=theme, size=size, hashtag=hashtag)
                        digest.update(svg.encode())
    assert digest.hexdigest() == "17eefbc02baf9fece85d9ad01bb5f30a5c347ca57f64609e39baa2f3edd6574c"
