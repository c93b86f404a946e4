"""Run module instances, one after another in dependency order, keeping the state database right.

Each instance is run under its module lock, so two ``run`` processes never execute it at once: the second waits,
then finds it COMPLETE and skips it. A failure leaves the instance FAILED with its error and traceback recorded,
and the run goes on with every instance that does not depend on it (unless ``exit_on_error``).
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

from pimlico_lite.errors import InterruptedRunError
from pimlico_lite.execution.execute import Execution, execute_module
from pimlico_lite.execution.planner import Plan, plan_run
from pimlico_lite.execution.reporter import NullReporter, Reporter
from pimlico_lite.execution.status import ModuleStatus, State, compute_statuses, module_status
from pimlico_lite.pipeline.model import Pipeline
from pimlico_lite.store import Completion, Store


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


class _Terminated(BaseException):
    """Raised in the main thread by SIGTERM, so a run can record its interruption and clean up."""


def run(
    pipeline: Pipeline,
    names: Sequence[str] = (),
    *,
    run_all: bool = False,
    force: bool = False,
    exit_on_error: bool = False,
    reporter: Reporter | None = None,
) -> RunResult:
    """Run the named module instances (or, with ``run_all``, every one not COMPLETE) in dependency order.

    Raises UsageError for an unknown name, NotReadyError when an input is not ready (nothing runs then), and
    InterruptedRunError on Ctrl-C or SIGTERM, after recording the running instance as FAILED.
    """
    store = Store(pipeline.store_path)
    try:
        statuses = compute_statuses(pipeline, store)
        plan = plan_run(pipeline, statuses, names, run_all=run_all, force=force)
        if plan.targets:
            store.prepare()
        runner = _Runner(pipeline, store, statuses, reporter or NullReporter(), force, exit_on_error)
        with _sigterm_raises():
            try:
                return runner.run_plan(plan, run_all=run_all)
            except KeyboardInterrupt:  # outside a module (waiting for a lock, say): nothing to record
                raise InterruptedRunError(signal.SIGINT.name) from None
            except _Terminated:
                raise InterruptedRunError(signal.SIGTERM.name) from None
    finally:
        store.state.close()


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While running, turn SIGTERM into an exception in the main thread (elsewhere, leave signals alone)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(number: int, frame: FrameType | None) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Runner:
    def __init__(
        self,
        pipeline: Pipeline,
        store: Store,
        statuses: dict[str, ModuleStatus],
        reporter: Reporter,
        force: bool,
        exit_on_error: bool,
    ) -> None:
        self.pipeline = pipeline
        self.store = store
        self.statuses = statuses
        self.reporter = reporter
        self.force = force
        self.exit_on_error = exit_on_error

    def run_plan(self, plan: Plan, run_all: bool) -> RunResult:
        result = RunResult(plan)
        unfinished: set[str] = set()
        for name in plan.targets:
            blocker = next((p for p in self.pipeline.instances[name].producers if p in unfinished), None)
            if blocker is not None or (self.exit_on_error and result.failed):
                reason = f"{blocker} did not complete" if blocker else "stopped at the first failure (--exit-on-error)"
                result.not_run[name] = reason
                unfinished.add(name)
                self.reporter.module_skipped(name, f"not run: {reason}")
                continue
            self.run_one(name, result, run_all)
            if name in result.failed or name in result.not_run:
                unfinished.add(name)
        return result

    def refresh(self, name: str) -> ModuleStatus:
        """Re-read the records of ``name`` and its producers (another process may have changed them)."""
        instance = self.pipeline.instances[name]
        for producer in instance.producers:
            self.statuses[producer] = module_status(
                self.pipeline.instances[producer],
                self.store.state.record(producer),
                self.statuses,
                self.store,
            )
        self.statuses[name] = module_status(instance, self.store.state.record(name), self.statuses, self.store)
        return self.statuses[name]

    def run_one(self, name: str, result: RunResult, run_all: bool) -> None:
        lock = self.store.lock(name)
        if not lock.acquire(blocking=False):
            self.reporter.module_waiting(name, "another process is running it")
            lock.acquire()
        try:
            status = self.refresh(name)
            if status.state is State.COMPLETE and not self.force:
                # With --all, targets were incomplete when planned: another run has completed this one since.
                reason = "completed by another run" if run_all else "already complete (--force-rerun runs it again)"
                result.skipped[name] = reason
                self.reporter.module_skipped(name, reason)
                return
            unready = [p for p in self.pipeline.instances[name].producers if not self.statuses[p].is_ready_as_input]
            if unready:
                reason = f"input from {unready[0]} is not ready ({self.statuses[unready[0]].state})"
                result.not_run[name] = reason
                self.reporter.module_skipped(name, f"not run: {reason}")
                return
            self.execute(name, result)
        finally:
            lock.release()

    def execute(self, name: str, result: RunResult) -> None:
        instance = self.pipeline.instances[name]
        input_runs = {}
        for producer in instance.producers:
            record = self.statuses[producer].record
            # run_one checked that every producer is COMPLETE, so each has a completing run
            assert record is not None
            assert record.complete_run_id is not None
            input_runs[producer] = record.complete_run_id
        run_id = self.store.state.start_run(name, os.getpid())
        self.reporter.module_started(name, run_id)
        started = time.monotonic()
        execution = Execution()
        try:
            execute_module(self.pipeline, self.store, instance, run_id, input_runs, self.reporter, execution)
        except (KeyboardInterrupt, _Terminated) as interrupt:
            signal_name = "SIGTERM" if isinstance(interrupt, _Terminated) else "SIGINT"
            error = f"interrupted ({signal_name})"
            self.store.state.fail_run(
                name, run_id, error, traceback.format_exc(), execution.peak_memory_kb, execution.log
            )
            self.reporter.module_failed(name, error, "")
            raise InterruptedRunError(signal_name) from None
        except Exception as exception:
            error = f"{type(exception).__name__}: {exception}"
            details = traceback.format_exc()
            self.store.state.fail_run(name, run_id, error, details, execution.peak_memory_kb, execution.log)
            result.failed.append(name)
            self.reporter.module_failed(name, error, details)
            return
        completion = Completion(
            instance.fingerprint,
            instance.fingerprint_parts,
            {p: r for p, r in input_runs.items() if r is not None},
        )
        self.store.state.complete_run(name, run_id, completion, execution.peak_memory_kb, execution.log)
        self.store.remove_runs(name, keep=run_id)
        self.statuses[name] = module_status(instance, self.store.state.record(name), self.statuses, self.store)
        result.completed.append(name)
        self.reporter.module_finished(name, time.monotonic() - started)
