"""Run module instances: plan what the command asks for, then hand the plan to the scheduler.

A run with nothing to do stops after planning, without importing the scheduler, the executors or the module API
(``run --all`` on a complete pipeline costs what ``status`` costs). :mod:`pimlico_lite.execution.scheduler` runs
the plan.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pimlico_lite.errors import UsageError
from pimlico_lite.execution.planner import Plan, plan_run
from pimlico_lite.execution.reporter import NullReporter, Reporter
from pimlico_lite.execution.status import compute_statuses
from pimlico_lite.pipeline.model import Pipeline
from pimlico_lite.store import Store

if TYPE_CHECKING:
    from pimlico_lite.execution.executors import Executor

EXECUTORS = ("local", "dask")


@dataclass
class RunResult:
    """What a run did: which instances completed, failed, or were skipped and why."""

    plan: Plan
    completed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    not_run: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 when nothing failed and nothing was left unrun because of a failure, else 1."""
        return 1 if self.failed or self.not_run else 0


@dataclass(frozen=True)
class ExecutorChoice:
    """Where jobs run: ``local`` (in this process for one job at a time, else worker processes) or ``dask``."""

    name: str = "local"
    jobs: int = 1
    scheduler: str | None = None
    memory_limit: int | None = None

    def __post_init__(self) -> None:
        if self.name == "dask" and self.memory_limit is not None:
            message = "--memory-limit is for local worker processes; a Dask cluster's workers have their own limit"
            raise UsageError(message)

    @property
    def slots(self) -> int:
        """How many jobs may run at once (``jobs=0`` means one per core)."""
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)

    @property
    def uses_workers(self) -> bool:
        """Whether jobs run in local worker processes (else in this process, or on Dask)."""
        return self.name == "local" and (self.slots > 1 or self.memory_limit is not None)

    def start_ahead(self) -> None:
        """Start this choice's worker processes now, while the pipeline is still to be loaded and planned, so that
        they are ready when the first module is (only for local workers; a run with nothing to do stops them)."""
        if self.uses_workers:
            from pimlico_lite.execution.workers import start_workers_ahead

            # No more than the cores can run at once: with -j above that, the pool starts the others when it needs
            # them (a -j of a thousand must not fork a thousand processes for a run of three modules).
            start_workers_ahead(min(self.slots, os.cpu_count() or 1), self.memory_limit)

    def stop_ahead(self) -> None:
        """Stop the workers that :meth:`start_ahead` started and no executor took (the run had nothing to do)."""
        if self.uses_workers:
            from pimlico_lite.execution.workers import stop_workers_started_ahead

            stop_workers_started_ahead()

    def create(self, reporter: Reporter, deep_queues: bool = True) -> Executor:
        """Start the executor (``deep_queues=False``: local workers never hold more than two jobs each, for a run
        that stops at its first failure)."""
        if self.name not in EXECUTORS:
            message = f"unknown executor '{self.name}'; choose from {', '.join(EXECUTORS)}"
            raise UsageError(message)
        if self.name == "dask":
            from pimlico_lite.execution.dask_executor import DaskExecutor

            return DaskExecutor(self.slots, self.scheduler, reporter)
        if self.scheduler is not None:
            message = "--scheduler needs --executor dask"
            raise UsageError(message)
        if not self.uses_workers:
            from pimlico_lite.execution.executors import InProcessExecutor

            return InProcessExecutor(reporter)
        from pimlico_lite.execution.workers import WorkerPoolExecutor

        return WorkerPoolExecutor(self.slots, reporter, self.memory_limit, deep_queues)


def run(
    pipeline: Pipeline,
    names: Sequence[str] = (),
    *,
    run_all: bool = False,
    force: bool = False,
    exit_on_error: bool = False,
    reporter: Reporter | None = None,
    executor: ExecutorChoice | None = None,
    on_start: Callable[[], None] | None = None,
) -> RunResult:
    """Run the named module instances (or, with ``run_all``, every one not COMPLETE) in dependency order; call
    ``on_start`` first if there is something to run (the store is made then, not before, and notes the config).

    Raises UsageError for an unknown name, NotReadyError when an input is not ready (nothing runs then), and
    InterruptedRunError on Ctrl-C or SIGTERM, after recording the running instances as FAILED (interrupted).
    """
    store = Store(pipeline.store_path)
    try:
        # Read before the records: a commit by another process after this changes it (see the scheduler's refresh).
        data_version = store.state.data_version()
        statuses = compute_statuses(pipeline, store)
        plan = plan_run(pipeline, statuses, names, run_all=run_all, force=force)
        # Each config that runs the store is noted, so that `clean` from another spares its modules.
        config = str(pipeline.config_path.resolve())
        if not plan.targets:
            if (
                store.path.is_dir()
            ):  # (a copy of a config finds everything complete: its modules are there all the same)
                store.note_config(config, last=False)
            return RunResult(plan)
        if on_start is not None:
            on_start()
        store.note_config(config)
        from pimlico_lite.execution.scheduler import Scheduler

        scheduler = Scheduler(
            pipeline, store, statuses, data_version, reporter or NullReporter(), force, exit_on_error, run_all
        )
        return scheduler.run(plan, executor or ExecutorChoice())
    finally:
        store.state.close()
