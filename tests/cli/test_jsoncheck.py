"""`afcmd json` points at the mistake in a broken job file: line, column, the line and a caret."""

from __future__ import annotations

import io

import pytest

from afcore.cli.jsoncheck import JsonSyntaxError, load, parse_json


def error_of(text: str) -> JsonSyntaxError:
    with pytest.raises(JsonSyntaxError) as caught:
        parse_json(text, "job.json")
    return caught.value


def test_missing_comma_between_members_points_at_the_second_member():
    error = error_of('{\n  "name": "shot"\n  "blocks": []\n}')
    assert (error.line, error.column) == (3, 3)
    assert str(error).splitlines() == [
        "job.json:3:3: Expecting ',' delimiter",
        '   3 |   "blocks": []',
        "     |   ^",
    ]


def test_trailing_comma_is_named_as_the_cause():
    error = error_of('{"blocks": [\n  {"name": "a"},\n]}')
    assert (error.line, error.column) == (3, 1)
    assert "remove the trailing comma before ']'" in error.message


def test_missing_value_after_colon_is_not_blamed_on_a_comma():
    error = error_of('{"name": }')
    assert error.column == 10
    assert "trailing comma" not in error.message


def test_truncated_file_points_after_its_last_character_not_at_an_empty_line():
    error = error_of('{\n  "name": "shot"\n\n\n')
    assert (error.line, error.column) == (2, 17)
    assert error.message.endswith("(the text ends here)")


def test_single_quotes_are_explained():
    assert "JSON strings use double quotes" in error_of("{'name': 'a'}").message


def test_nan_is_refused_with_its_position_although_python_would_accept_it():
    error = error_of('{"name": "NaN", "priority": NaN}')
    assert (error.line, error.column) == (1, 29)
    assert error.message == "NaN is not valid JSON"


def test_raw_tab_inside_a_string_keeps_the_caret_under_it():
    error = error_of('{"name": "a\tb"}')
    assert error.column == 12
    assert str(error).splitlines()[2] == "     |            ^"


def test_tab_indentation_is_copied_under_the_caret_so_it_lines_up():
    text = '{\n\t"a": 1\n\t"b": 2}'
    assert str(error_of(text)).splitlines()[1:] == ['   3 | \t"b": 2}', "     | \t^"]


def test_long_minified_line_is_shown_around_the_error_only():
    text = '{"a": "' + "x" * 500 + '" "b": "' + "y" * 500 + '"}'
    lines = str(error_of(text)).splitlines()
    assert lines[1].startswith("   1 | ...") and lines[1].endswith("...")
    assert len(lines[1]) < 90
    caret = lines[2].index("^")
    assert lines[1][caret - 1 : caret + 3] == ' "b"'


def test_extra_data_after_the_document():
    error = error_of('{"job": {}}\n{"job": {}}')
    assert (error.line, error.column) == (2, 1)
    assert error.message == "unexpected text after the end of the JSON document"


def test_empty_input_says_so():
    assert str(error_of("  \n")) == "job.json:1:1: empty input: expected a JSON document"


def test_deep_nesting_is_an_error_not_a_crash():
    assert "nested too deeply" in error_of("[" * 100_000 + "]" * 100_000).message


def test_non_utf8_byte_is_located_in_the_file(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{\n  "name": "caf\u00e9"\n}'.encode("latin-1"))
    with pytest.raises(JsonSyntaxError) as caught:
        load(str(path))
    error = caught.value
    assert (error.source, error.line, error.column) == (str(path), 2, 15)
    assert "byte 0xe9 is not UTF-8" in error.message


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"job": {"name": "a"}}')
    assert load(str(path)) == {"job": {"name": "a"}}


def test_dash_reads_standard_input():
    stdin = io.BytesIO(b'{"job": {"name": "piped"}}')
    assert load("-", stdin) == {"job": {"name": "piped"}}
