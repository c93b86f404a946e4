"""A run's events as lines of text, one per event: plain for logs and pipes, styled by console.py on a terminal.

This module imports neither rich nor click: a run whose output goes to a file or a pipe never loads rich, and a
line costs a string join, not a render (rich takes about a quarter of a millisecond per line, as much as the
runner spends on a trivial module).
"""

from __future__ import annotations

import contextlib
import os
from typing import IO

# A line is a sequence of (text, style) pieces; the style is a rich style name, ignored by plain output.
Piece = tuple[str, str]


class LineReporter:
    """Write a run's events as they happen, one plain line each, flushed so that a log that is followed is current."""

    def __init__(self, stream: IO[str], debug: bool = False) -> None:
        self.stream = stream
        self.debug = debug
        self.reported_progress: dict[str, int] = {}
        self.reader_gone = False

    def __enter__(self) -> LineReporter:
        return self

    def __exit__(self, *exception: object) -> None:
        """Nothing to tear down (the live display has)."""

    def write(self, *pieces: Piece) -> None:
        """Write one line made of ``pieces``; once the reader of the output has gone, nothing."""
        if self.reader_gone:
            return
        try:
            self.stream.write("".join(text for text, _ in pieces) + "\n")
            self.stream.flush()
        except BrokenPipeError:
            # `run ... | head`: the run goes on without its lines (its records and logs are in the store); the error
            # is not the module's whose log line it was. The stream's file now leads nowhere, so that nothing written
            # to it later (Python's last flush, say) fails again.
            self.reader_gone = True
            with contextlib.suppress(OSError, ValueError):
                descriptor = self.stream.fileno()
                nowhere = os.open(os.devnull, os.O_WRONLY)
                os.dup2(nowhere, descriptor)
                os.close(nowhere)

    def run_started(self, names: list[str]) -> None:
        """Nothing to write yet."""

    def module_started(self, name: str, run_id: int) -> None:
        """Write that ``name`` started."""
        self.write((">", "cyan"), (f" {name} ", ""), (f"started (run {run_id})", "dim"))

    def module_finished(self, name: str, seconds: float) -> None:
        """Write that ``name`` completed."""
        self.write(("✓", "green"), (f" {name} ", ""), ("COMPLETE", "green"), (f" in {seconds:.2f}s", "dim"))

    def module_failed(self, name: str, error: str, traceback: str) -> None:
        """Write the error (with the traceback under ``--debug``)."""
        self.write((f"✗ {name} FAILED:", "red"), (f" {error}", ""))
        if self.debug and traceback:
            self.write((traceback.rstrip(), "dim"))
        elif traceback:
            self.write((f"  traceback: status {name}, or run again with --debug", "dim"))

    def module_skipped(self, name: str, reason: str) -> None:
        """Write why ``name`` needs no run."""
        self.write(("-", "dim"), (f" {name} ", ""), (reason, "dim"))

    def module_not_run(self, name: str, reason: str) -> None:
        """Write why ``name`` could not run."""
        self.write(("-", "yellow"), (f" {name} ", ""), ("not run:", "yellow"), (f" {reason}", ""))

    def module_waiting(self, name: str, reason: str) -> None:
        """Write that ``name`` waits."""
        self.write(("…", "yellow"), (f" {name} ", ""), (f"waits: {reason}", "dim"))

    def module_log(self, name: str, message: str) -> None:
        """Write a log line of ``name``."""
        self.write((f"  {name} |", "dim"), (f" {message}", ""))

    def module_progress(self, name: str, done: int, total: int | None) -> None:
        """Write a line each time ``name`` passes another quarter of its work."""
        if not total:
            return
        quarter = done * 4 // total
        if quarter > self.reported_progress.get(name, 0):
            self.reported_progress[name] = quarter
            self.write((f"  {name} |", "dim"), (f" {done}/{total} ({done * 100 // total}%)", ""))
