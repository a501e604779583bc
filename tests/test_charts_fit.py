"""Every text on a chart fits the canvas; bad arguments are ArgumentError."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fourresp.badges import text_width
from fourresp.charts import Bar, bar_chart
from fourresp.errors import ArgumentError

SVG = "{http://www.w3.org/2000/svg}"
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=300
) | st.sampled_from(["W" * 200, "Ш" * 120, "漢" * 150, "mmm " * 60])


def _drawn(svg: str):
    root = ET.fromstring(svg)
    width = float(root.get("width"))
    for element in root.iter(f"{SVG}text"):
        yield element, width


@given(
    title=texts,
    subtitle=st.none() | texts,
    bars=st.lists(
        st.builds(
            Bar,
            label=texts,
            percent=st.none() | st.floats(0, 100),
            note=st.none() | texts,
            missing=texts,
        ),
        max_size=5,
    ),
)
def test_every_text_fits_on_the_canvas(title, subtitle, bars):
    svg = bar_chart(title, bars, subtitle=subtitle)
    for element, canvas in _drawn(svg):
        text = element.text or ""
        size = float(element.get("font-size"))
        wide = text_width(text, size=size, bold=element.get("font-weight") == "bold")
        x = float(element.get("x"))
        anchor = element.get("text-anchor", "start")
        start = x - wide if anchor == "end" else x - wide / 2 if anchor == "middle" else x
        assert start >= 0, (text, start)
        assert start + wide <= canvas, (text, start + wide, canvas)


def test_a_long_title_is_cut_with_an_ellipsis_and_kept_whole_in_the_description():
    title = "The Four Responsibilities of the Learning Professional, measured " * 3
    svg = bar_chart(title, [Bar(label="Client", percent=50)])
    shown = next(e.text for e, _ in _drawn(svg))
    assert shown.endswith("\u2026")
    assert " ".join(title.split()) in svg


@pytest.mark.parametrize(
    ("bars", "options"),
    [
        ([Bar(label="x", percent=101)], {}),
        ([Bar(label="x", percent=float("nan"))], {}),
        ([Bar(label="x", percent=5, colour="red")], {}),
        ([Bar(label="x", percent=5)], {"id_prefix": "1 bad"}),
    ],
)
def test_bad_arguments_are_argument_errors(bars, options):
    with pytest.raises(ArgumentError):
        bar_chart("t", bars, **options)


@pytest.mark.parametrize("width", range(40, 100, 3))
def test_a_licence_name_is_never_wrapped(width, monkeypatch):
    import fourresp.content._text as cli

    text = "Shared under CC BY-NC-SA 4.0 by the authors, " * 4
    original = cli.textwrap.fill

    def narrow(text, **options):
        return original(text, **{**options, "width": width})

    monkeypatch.setattr(cli.textwrap, "fill", narrow)
    wrapped = cli._wrap(text, "  ")
    assert wrapped.count("CC BY-NC-SA 4.0") == 4


def test_the_framework_text_keeps_its_licence_whole():
    from fourresp.content import framework_text, load_framework

    assert "CC BY-NC-SA" in framework_text(load_framework())


def test_charts_are_the_pinned_bytes():
    # Charts over empty, missing, full, noted and long bars, with and without a
    # subtitle and an id prefix, hashed: a change to the markup must be deliberate.
    bar_sets = (
        [],
        [Bar(label="Client", percent=72, note="Established")],
        [
            Bar(label="L" * 90, percent=None),
            Bar(label="<b>", percent=0, colour="#123456"),
            Bar(label="x", percent=100, note="N" * 40),
        ],
        [Bar(label=f"bar {i}", percent=i * 7.5, note=("n" if i % 2 else None)) for i in range(9)],
    )
    digest = hashlib.sha256()
    for bars in bar_sets:
        for subtitle in (None, "", "A subtitle & more " * 5):
            for id_prefix in (None, "chart1"):
                title = "Scores <&> " * (1 + len(bars))
                svg = bar_chart(title, bars, subtitle=subtitle, id_prefix=id_prefix)
                digest.update(svg.encode())
    assert digest.hexdigest() == "e8156588f86a3af4ea34ace8913f2e38b7f81f5215419424dba7ec4282d38988"
