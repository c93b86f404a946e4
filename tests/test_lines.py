"""The run reporters' lines: plain for pipes and logs, and the same words in colour above the live display."""

from __future__ import annotations

import io
import re
import sys

import pytest
from rich.cells import cell_len
from rich.console import Console

from pimlico_lite.console import LiveReporter, shortened
from pimlico_lite.lines import LineReporter


def report_a_run(reporter: LineReporter) -> None:
    reporter.module_started("a", 1)
    reporter.module_finished("a", 0.5)
    reporter.module_failed("b", "ValueError: no", "Traceback ...")
    reporter.module_not_run("c", "b did not complete")
    reporter.module_progress("d", 1, 2)


EXPECTED = [
    "> a started (run 1)",
    "✓ a COMPLETE in 0.50s",
    "✗ b FAILED: ValueError: no",
    "  traceback: status b, or run again with --debug",
    "- c not run: b did not complete",
    "  d | 1/2 (50%)",
]


def test_plain_lines_have_no_markup_and_are_flushed_one_by_one() -> None:
    stream = io.StringIO()
    report_a_run(LineReporter(stream))
    assert stream.getvalue().splitlines() == EXPECTED


def test_the_live_display_prints_the_same_words_in_colour_and_takes_names_literally() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system="standard")
    with LiveReporter(console) as reporter:
        reporter.run_started(["a", "b", "c", "[bold]x[/]"])
        report_a_run(reporter)
        reporter.module_finished("[bold]x[/]", 1.0)  # rich markup in a name is text, not markup
    text = out.getvalue()
    assert "\x1b[32m✓\x1b[0m a \x1b[32mCOMPLETE\x1b[0m" in text  # colour on a terminal
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # the escape codes, taken out
    for line in EXPECTED[:-1]:  # (progress moves the bar, instead of a line)
        assert line in plain
    assert "d | 1/2" not in plain
    assert "✓ [bold]x[/] COMPLETE in 1.00s" in plain


def test_on_a_narrow_terminal_a_long_name_is_shortened_and_the_bar_and_times_stay() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=40, color_system=None)
    long = "a_rather_long_module_name_for_a_narrow_terminal"
    with LiveReporter(console) as reporter:
        reporter.run_started([long, "train_the_big_model:evaluate"])
        reporter.module_started(long, 1)
        reporter.module_started("train_the_big_model:evaluate", 2)
        reporter.module_progress(long, 10, 40)
        reporter.progress.live.refresh()
        frame = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue()).splitlines()
    rows = {line.split()[1]: line for line in frame if "0:00:0" in line}
    assert rows.keys() == {"a_rather_…inal", "train_the…uate"}  # (40 columns leave 14 for a name)
    assert all(len(line) <= 40 for line in rows.values())
    assert "━" in rows["a_rather_…inal"]
    assert "25%" in rows["a_rather_…inal"]


def test_shortened_keeps_the_ends_of_a_name_and_a_stage_whole() -> None:
    assert shortened("short", 10) == "short"
    assert shortened("abcdefghijklmnop", 10) == "abcdef…nop"
    assert shortened("train_the_big_model:evaluate", 20) == "train_the_…:evaluate"
    assert shortened("train_the_big_model:evaluate", 14) == "train_the…uate"  # the stage takes more than half
    wide = "模块名称很长的一个模块实例"  # two columns each
    assert shortened(wide, 12) == "模块名称…例"
    assert cell_len(shortened(wide, 11)) <= 11


def test_the_live_display_prints_under_the_lock_that_rich_redraws_under() -> None:
    # LiveReporter.print_lines holds rich's Live._lock (a redraw between working out where the display is and drawing
    # a line erased the line above it); a rich that renamed it would leave the race open without a word but here.
    reporter = LiveReporter(Console(file=io.StringIO(), force_terminal=True, width=80))
    assert hasattr(reporter.progress.live, "_lock")


def test_lines_printed_and_logged_in_a_burst_come_out_whole_in_order_with_a_redraw_for_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each print redraws the display: a module printing a line per item was held up by a redraw per line (5000
    # lines: 15 seconds). Lines are gathered and printed together, in the order they came.
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system="standard")
    prints = []
    print_once = console.print
    monkeypatch.setattr(console, "print", lambda *args, **kwargs: (prints.append(args), print_once(*args, **kwargs)))
    with LiveReporter(console) as reporter:
        reporter.run_started(["a"])
        reporter.module_started("a", 1)
        for number in range(2000):
            print(f"printed {number}")
            reporter.module_log("a", f"logged {number}")
        print("\x1b[31mred\x1b[0m, then half", end="")
        sys.stdout.write(" a line")
        sys.stdout.flush()  # (as the run does at a module's end)
        reporter.module_finished("a", 1.0)
    text = out.getvalue()
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    expected = [f"{what} {number}" for number in range(2000) for what in ("printed", "a | logged")]
    assert re.findall(r"printed \d+|a \| logged \d+", plain) == expected
    assert "\x1b[31mred\x1b[0m, then half a line" in text  # a module's colours kept; its unended line printed
    assert plain.index("red, then half a line") < plain.index("✓ a COMPLETE")
    assert len(prints) < 200  # a redraw for 20 lines at least (one for each of them before)
    assert sys.stdout is sys.__stdout__ or not hasattr(sys.stdout, "reporter")  # given back
