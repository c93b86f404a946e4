"""The run reporters' lines: plain for pipes and logs, and the same words in colour above the live display."""

from __future__ import annotations

import io
import re

from rich.console import Console

from pimlico_lite.console import LiveReporter
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
    for line in EXPECTED[1:-1]:  # a start adds a line to the display, and progress moves its bar, instead
        assert line in plain
    assert "started" not in plain
    assert "✓ [bold]x[/] COMPLETE in 1.00s" in plain
