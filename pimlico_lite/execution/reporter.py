"""How the runner tells its caller what happens (doit's reporter hooks); the CLI renders these with rich."""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    """Receives the events of a run."""

    def run_started(self, names: list[str]) -> None:
        """A run starts, and will try to run ``names``."""

    def module_started(self, name: str, run_id: int) -> None:
        """Module instance ``name`` starts executing, as run ``run_id``."""

    def module_finished(self, name: str, seconds: float) -> None:
        """Module instance ``name`` completed."""

    def module_failed(self, name: str, error: str, traceback: str) -> None:
        """Module instance ``name`` raised ``error``; it is now FAILED."""

    def module_skipped(self, name: str, reason: str) -> None:
        """Module instance ``name`` needs no run (it is complete), for ``reason``."""

    def module_not_run(self, name: str, reason: str) -> None:
        """Module instance ``name`` could not run (an input is missing or failed), for ``reason``."""

    def module_waiting(self, name: str, reason: str) -> None:
        """Module instance ``name`` waits (for another process that is running it)."""

    def module_log(self, name: str, message: str) -> None:
        """Module instance ``name`` logged ``message``."""

    def module_progress(self, name: str, done: int, total: int | None) -> None:
        """Module instance ``name`` has done ``done`` of ``total`` items."""


class NullReporter:
    """A reporter that ignores everything (for library use and tests that look only at results)."""

    def run_started(self, names: list[str]) -> None:
        """Ignore."""

    def module_started(self, name: str, run_id: int) -> None:
        """Ignore."""

    def module_finished(self, name: str, seconds: float) -> None:
        """Ignore."""

    def module_failed(self, name: str, error: str, traceback: str) -> None:
        """Ignore."""

    def module_skipped(self, name: str, reason: str) -> None:
        """Ignore."""

    def module_not_run(self, name: str, reason: str) -> None:
        """Ignore."""

    def module_waiting(self, name: str, reason: str) -> None:
        """Ignore."""

    def module_log(self, name: str, message: str) -> None:
        """Ignore."""

    def module_progress(self, name: str, done: int, total: int | None) -> None:
        """Ignore."""
