"""Tables line up in a terminal: text on the left, numbers on the right, no trailing spaces."""

from __future__ import annotations

from afcore.cli.tables import format_table


def test_columns_are_aligned_and_numbers_right_aligned():
    table = format_table(
        ["id", "name", "progress"],
        [[2, "smoke", "40%"], [13, "render test", "100%"], [7, "b", None]],
    )
    assert table.splitlines() == [
        "id  name         progress",
        " 2  smoke             40%",
        "13  render test      100%",
        " 7  b",
    ]


def test_a_column_with_any_text_stays_left_aligned():
    table = format_table(["frames"], [["10"], ["1-10"]])
    assert table.splitlines() == ["frames", "10", "1-10"]


def test_header_only_when_there_are_no_rows():
    assert format_table(["id", "name"], []) == "id  name"
