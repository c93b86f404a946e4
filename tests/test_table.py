"""The plain-text table: drawn the same with colour and without, but for the colour codes."""

from __future__ import annotations

import io
import re

import pytest

from pimlico_lite.table import ASCII_BOX, BOX, box_for, draw_table, use_colour

HEADERS = ("module", "state")
ROWS = [("a", "COMPLETE"), ("a_longer_name", "FAILED"), ("b", "")]
STYLES = [(None, "green"), (None, "bold red"), ("dim", None)]


def test_without_colour_every_line_is_as_wide_and_each_cell_is_padded_to_its_column() -> None:
    lines = draw_table(HEADERS, ROWS, STYLES, colour=False).splitlines()
    assert lines[3] == "│ a             │ COMPLETE │"
    assert lines[4] == "│ a_longer_name │ FAILED   │"
    assert lines[5] == "│ b             │          │"
    assert {len(line) for line in lines} == {len(lines[0])}


def test_with_colour_the_same_table_has_each_cells_style() -> None:
    plain = draw_table(HEADERS, ROWS, STYLES, colour=False)
    coloured = draw_table(HEADERS, ROWS, STYLES, colour=True)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "\x1b[32mCOMPLETE\x1b[0m" in coloured
    assert "\x1b[1;31mFAILED  \x1b[0m" in coloured
    assert "\x1b[2mb            \x1b[0m" in coloured


def test_a_wide_or_accented_name_is_padded_by_the_columns_it_takes_on_a_terminal() -> None:
    rows = [("日本語モジュール", "COMPLETE"), ("plain", ""), ("café", "")]  # (the é is e and a combining accent)
    lines = draw_table(HEADERS, [(name.replace("é", "e\u0301"), state) for name, state in rows], STYLES, False)
    assert lines.splitlines()[3:6] == [
        "│ 日本語モジュール │ COMPLETE │",
        "│ plain            │          │",
        "│ cafe\u0301             │          │",
    ]
    assert draw_table(HEADERS, rows[:1], STYLES[:1], True).splitlines()[3] == (
        "│ 日本語モジュール │ \x1b[32mCOMPLETE\x1b[0m │"
    )


def test_an_output_whose_encoding_lacks_the_box_drawing_characters_gets_ascii_lines() -> None:
    latin1 = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    assert box_for(latin1) == ASCII_BOX
    assert box_for(io.TextIOWrapper(io.BytesIO(), encoding="utf-8")) == BOX
    assert draw_table(HEADERS, ROWS[:1], STYLES[:1], False, ASCII_BOX).splitlines() == [
        "+--------+----------+",
        "| module | state    |",
        "+========+==========+",
        "| a      | COMPLETE |",
        "+--------+----------+",
    ]


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize(
    ("environment", "terminal", "coloured"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # (an empty NO_COLOR is ignored, as no-color.org says and rich does)
        ({"TERM": "dumb"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": ""}, True, False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        ({"TTY_COMPATIBLE": "1"}, False, True),
        ({"TTY_COMPATIBLE": "0"}, True, False),
        ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, True, False),
    ],
)
def test_the_status_table_is_coloured_when_rich_would_colour_the_detail_views(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], terminal: bool, coloured: bool
) -> None:
    from rich.console import Console

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    stream = _Stream(terminal)
    assert use_colour(stream) is coloured
    rich = Console(file=_Stream(terminal))
    assert (rich.color_system is not None and not rich.no_color) is coloured
