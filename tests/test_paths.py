from hypothesis import given
from hypothesis import strategies as st

from fourresp._document._paths import format_path, parse_path


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
