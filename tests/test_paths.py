from fourresp._document._paths import format_path


def test_plain_keys_and_indexes():
    assert format_path(()) == "$"
    assert (
        format_path(("responsibilities", 1, "aspects", 0, "id"))
        == "$.responsibilities[1].aspects[0].id"
    )


def test_odd_keys_are_quoted_on_one_line():
    assert format_path(("a b",)) == '$["a b"]'
    assert format_path(("line\nbreak",)) == '$["line\\nbreak"]'
