from hypothesis import given
from hypothesis import strategies as st

from fourresp._document._json import _Lines
from fourresp._document._paths import byte_line_column, format_path, line_column, parse_path


def test_plain_keys_and_indexes():
    assert format_path(()) == "$"
    assert (
        format_path(("responsibilities", 1, "aspects", 0, "id"))
        == "$.responsibilities[1].aspects[0].id"
    )


def test_odd_keys_are_quoted_on_one_line():
    assert format_path(("a b",)) == '$["a b"]'
    assert format_path(("line\nbreak",)) == '$["line\\nbreak"]'


PARTS = st.lists(
    st.one_of(st.text(max_size=8), st.integers(min_value=-5, max_value=10**6)), max_size=6
).map(tuple)


@given(PARTS)
def test_parse_path_undoes_format_path(parts):
    assert parse_path(format_path(parts)) == parts


@given(st.text(max_size=20))
def test_parse_path_gives_parts_that_format_back_or_none(text):
    parts = parse_path(text)
    if parts is not None:
        assert parse_path(format_path(parts)) == parts


def test_parse_path_refuses_other_dialects():
    for text in ("", "scenes", "$['a']", "$.", "$[x]", '$["a"', "$.a b", '$["a"]x'):
        assert parse_path(text) is None, text


LINES_TEXT = st.text(alphabet=st.sampled_from("ab\n\u00e9\u4e2d\U0001f600\r"), max_size=40)


@given(LINES_TEXT, st.data())
def test_line_column_counts_as_lines_are_split(text, data):
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    lines = text[:offset].split("\n")
    assert line_column(text, offset) == (len(lines), len(lines[-1]) + 1)


@given(LINES_TEXT, st.data())
def test_byte_line_column_names_the_character_at_a_byte_offset(text, data):
    starts = [len(text[:at].encode("utf-8")) for at in range(len(text) + 1)]
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert byte_line_column(text.encode("utf-8"), starts[at]) == line_column(text, at)


@given(LINES_TEXT, st.lists(st.integers(min_value=0, max_value=40), max_size=8))
def test_the_json_readers_running_count_agrees_with_line_column(text, offsets):
    lines = _Lines(text)
    for offset in sorted(min(offset, len(text)) for offset in offsets):
        assert lines.at(offset) == line_column(text, offset)
