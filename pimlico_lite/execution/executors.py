"""Where jobs run: the :class:`Executor` protocol, and the in-process executor that runs one job at a time.

The scheduler (:mod:`pimlico_lite.execution.scheduler`) submits jobs and waits for outcomes; an executor never
touches the state database. The other executors live in their own modules, imported only when chosen: a pool of
worker processes (:mod:`~pimlico_lite.execution.workers`) and Dask (:mod:`~pimlico_lite.execution.dask_executor`).
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Protocol

from pimlico_lite.execution.execute import Job
from pimlico_lite.execution.jobs import Outcome, run_job
from pimlico_lite.execution.reporter import Reporter
from pimlico_lite.lines import flush_standard_streams


class Executor(Protocol):
    """Runs jobs; the scheduler submits up to ``slots`` at once and collects outcomes with :meth:`wait`.

    An executor tells its reporter when a job starts (``module_started``), as closely as it can know: a job may wait
    in a queue after it is submitted.
    """

    @property
    def slots(self) -> int:
        """How many jobs may be submitted and not yet ended at once."""

    def submit(self, job: Job) -> None:
        """Start ``job``."""

    def wait(self, timeout: float | None) -> list[tuple[str, Outcome]]:
        """Return the (job name, outcome) of jobs that ended, waiting up to ``timeout`` seconds for one."""

    def not_started(self) -> set[str]:
        """The names of the jobs submitted that have certainly not started (those that may have, are not)."""

    def shutdown(self) -> None:
        """Stop: kill jobs still running, and every worker."""


class InProcessExecutor:
    """Run each job in this process as it is submitted: the fastest way for one job at a time."""

    slots = 1

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self._ended: list[tuple[str, Outcome]] = []

    def submit(self, job: Job) -> None:
        """Run ``job`` now (Ctrl-C and SIGTERM propagate to the caller), with its own copy of its options, as a
        worker has: a module that changes them in place (appends to a list option, say) changes neither the
        pipeline's nor another module's (a type's default list is one object for every section that leaves it out)."""
        self.reporter.module_started(job.name, job.run_id)
        if job.options:
            try:
                job = dataclasses.replace(job, options=copy.deepcopy(job.options))
            except Exception:  # a value that cannot be copied (an open file a converter made): the options as they are
                job = dataclasses.replace(job, options=dict(job.options))
        outcome = run_job(job, self.reporter)
        flush_standard_streams()  # a line the module left unended: before its end (as a worker does)
        self._ended.append((job.name, outcome))

    def wait(self, timeout: float | None) -> list[tuple[str, Outcome]]:
        """The outcomes of the jobs run since the last call."""
        ended, self._ended = self._ended, []
        return ended

    def not_started(self) -> set[str]:
        """None: a job runs as it is submitted."""
        return set()

    def shutdown(self) -> None:
        """Nothing runs in the background."""
