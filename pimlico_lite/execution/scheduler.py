"""Run a plan: module instances in dependency order, as many at once as the executor has slots.

The scheduler starts an instance as soon as every input it takes from the run's other targets is COMPLETE, taking
the instance's module lock first, so that two ``run`` processes never execute it at once: a locked instance waits
(polled) while other work goes on, then is found COMPLETE and skipped. Only this process writes the state database;
executors just return outcomes. A failure leaves the instance FAILED, with its error and traceback recorded, and
the run goes on with every instance that does not depend on it (unless ``exit_on_error``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import heapq
import os
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pimlico_lite._signals import Interrupts, signals_ignored, signals_raise_once
from pimlico_lite.errors import InterruptedRunError, PimlicoLiteError
from pimlico_lite.execution.execute import InputSource, Job
from pimlico_lite.execution.jobs import Outcome, Terminated
from pimlico_lite.execution.planner import Plan
from pimlico_lite.execution.reporter import NullReporter, Reporter
from pimlico_lite.execution.runner import ExecutorChoice, RunResult
from pimlico_lite.execution.status import ModuleStatus, State, code_signature, file_signature, module_status
from pimlico_lite.pipeline.model import Pipeline
from pimlico_lite.store import COMPLETE, RUNNING, Completion, ModuleLock, ModuleRecord, Store
from pimlico_lite.store.layout import log_to_keep

if TYPE_CHECKING:
    from pimlico_lite.execution.executors import Executor

# How often to look again at instances that another process is running.
LOCK_POLL_SECONDS = 0.05


class _Claim(enum.Enum):
    """What happened when the scheduler tried to start a module instance."""

    STARTED = "started"
    SETTLED = "settled"  # skipped, not run, or failed to start: its consumers need not wait for it
    WAIT = "wait"  # an input is being re-run by another process: try again soon


@dataclass
class _Running:
    run_id: int
    lock: ModuleLock
    # What its record will say it was made from, taken at its start: a module running in this process that changes
    # its own options (self.options["x"] = ..., a list option appended to) must not change it.
    completion: Completion
    started: float
    # Whether older run folders may exist to clean up: the module had a record before this run, or its folder was
    # there already (left by a reset that stopped half-way, say).
    may_have_old_runs: bool
    # The producers it holds shared locks on (see _ReadLocks).
    reading: list[str] = field(default_factory=list)
    # The run that made its outputs, if it was COMPLETE (or OUTDATED) when this run started: the run stands if this
    # one is stopped (a FAILED module's older outputs are not readable, and stay so).
    standing: int | None = None


class _ReadLocks:
    """The shared locks a run holds on producers' folders: one per producer, however many of its consumers run.

    A claim takes the locks of the producers it reads, so that no other process re-runs or resets them while they
    are read, and the end of the run gives them back; a lock is let go when the last of its readers ends (a fan-out
    of a thousand modules reading one producer locks it once).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.held: dict[str, tuple[ModuleLock, int]] = {}  # producer -> its lock, and how many runs read it

    def take(self, producers: list[str]) -> bool:
        """Take a shared lock on each of ``producers``; False, taking none, if another process is re-running one."""
        for index, producer in enumerate(producers):
            lock, readers = self.held.get(producer, (None, 0))
            if lock is None:
                lock = self.store.lock(producer)
                if not lock.acquire(blocking=False, shared=True):
                    self.give_back(producers[:index])
                    return False
            self.held[producer] = (lock, readers + 1)
        return True

    def give_back(self, producers: list[str]) -> None:
        """One reader of each of ``producers`` is done with it."""
        for producer in producers:
            lock, readers = self.held[producer]
            if readers > 1:
                self.held[producer] = (lock, readers - 1)
            else:
                lock.release()
                del self.held[producer]


class _StartsSeen(NullReporter):
    """The reporter an executor gets: passes on what executors report, and notes which jobs were reported started
    (the scheduler reports the start of a job that ended before its executor told, just before its end)."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.started: set[str] = set()

    def module_started(self, name: str, run_id: int) -> None:
        self.started.add(name)
        self.reporter.module_started(name, run_id)

    def module_log(self, name: str, message: str) -> None:
        self.reporter.module_log(name, message)

    def module_progress(self, name: str, done: int, total: int | None) -> None:
        self.reporter.module_progress(name, done, total)

    def module_waiting(self, name: str, reason: str) -> None:
        self.reporter.module_waiting(name, reason)


class _ReadyQueue:
    """The targets of a run whose inputs from other targets are settled, in config order.

    Each target waits for the targets it takes input from; when one settles (completed, failed, skipped or not
    run), its consumers that wait for nothing else become ready. Every step is O(log n), so scheduling a run of
    ten thousand modules costs no more per module than one of ten.
    """

    def __init__(self, pipeline: Pipeline, targets: Sequence[str]) -> None:
        self.order = {name: index for index, name in enumerate(targets)}
        self.waiting_for = {
            name: {p for p in pipeline.instances[name].producers if p in self.order} for name in targets
        }
        self.consumers: dict[str, list[str]] = {name: [] for name in targets}
        for name, producers in self.waiting_for.items():
            for producer in producers:
                self.consumers[producer].append(name)
        self.ready = [(self.order[name], name) for name, producers in self.waiting_for.items() if not producers]
        heapq.heapify(self.ready)
        self.unsettled = set(targets)

    def pop(self) -> str | None:
        """The next ready target in config order, or None."""
        return heapq.heappop(self.ready)[1] if self.ready else None

    def retry(self, names: list[str]) -> None:
        """Put back targets that could not start yet (another process holds their lock)."""
        for name in names:
            heapq.heappush(self.ready, (self.order[name], name))

    def settle(self, name: str) -> None:
        """``name`` is done with, one way or another: release the targets that waited only for it."""
        self.unsettled.discard(name)
        for consumer in self.consumers[name]:
            self.waiting_for[consumer].discard(name)
            if not self.waiting_for[consumer]:
                heapq.heappush(self.ready, (self.order[consumer], consumer))

    def remaining(self) -> list[str]:
        """The targets not settled, in config order."""
        return sorted(self.unsettled, key=self.order.__getitem__)


class Scheduler:
    """Runs one plan: claims ready targets, hands them to an executor, records how they ended."""

    def __init__(
        self,
        pipeline: Pipeline,
        store: Store,
        statuses: dict[str, ModuleStatus],
        data_version: int,
        reporter: Reporter,
        force: bool = False,
        exit_on_error: bool = False,
        run_all: bool = False,
    ) -> None:
        self.pipeline = pipeline
        self.store = store
        self.statuses = statuses
        self.reporter = reporter
        self.force = force
        self.exit_on_error = exit_on_error
        self.run_all = run_all
        self.running: dict[str, _Running] = {}
        self.starts = _StartsSeen(reporter)
        self.never_ran: set[str] = set()  # jobs stopped while they waited for a worker: no start to report
        self.read_locks = _ReadLocks(store)
        self.announced_waits: set[str] = set()
        # The state database's data_version when the records in ``statuses`` were read, and the instances whose
        # record there is the database's as of that version. (Versions compare only within one connection: the
        # store keeps its connection open until the run ends.)
        self.data_version = data_version
        self.current: set[str] = set(statuses)

    def catch_up(self) -> None:
        """With the state database open: if there was none when ``statuses`` were read, whatever is recorded in it
        now was written since, by another process; every other record is still current (there is none)."""
        if not self.data_version:
            self.data_version = self.store.state.data_version()
            self.current -= set(self.store.state.records())

    def run(self, plan: Plan, choice: ExecutorChoice) -> RunResult:
        """Prepare the store, start the chosen executor, run ``plan`` with it and stop it."""
        self.store.prepare()
        self.catch_up()
        with signals_raise_once(Terminated) as interrupts:
            try:
                pool = choice.create(self.starts, deep_queues=not self.exit_on_error)
                try:
                    return self.run_plan(plan, pool, interrupts)
                finally:
                    pool.shutdown()
            except Terminated as stopped:  # while starting or stopping the executor: nothing was running
                raise InterruptedRunError(stopped.signal_name) from None

    def run_plan(self, plan: Plan, executor: Executor, interrupts: Interrupts) -> RunResult:
        """Start ready targets whenever a slot is free; collect outcomes until every target is settled. An interrupt
        that a module running in this process caught and did not pass on stops the run all the same, and fails the
        module (its outputs may be those of a computation cut short)."""
        result = RunResult(plan)
        queue = _ReadyQueue(self.pipeline, plan.targets)
        self.reporter.run_started(list(plan.targets))
        try:
            while queue.unsettled:
                locked = self.start_ready(queue, executor, result)
                if not self.running:
                    if not locked:
                        break
                    time.sleep(LOCK_POLL_SECONDS)
                    continue
                waited = executor.wait(LOCK_POLL_SECONDS if locked else None)
                interrupts.check()
                ended = [(name, self.as_recorded(name, outcome)) for name, outcome in waited]
                with self.store.state.transaction():  # one commit for the modules that ended together
                    records = [self.record_end(name, outcome) for name, outcome in ended]
                for (name, outcome), record in zip(ended, records, strict=True):
                    self.conclude(name, outcome, record, result)
                    queue.settle(name)
        except KeyboardInterrupt:
            self.interrupt(executor, signal.SIGINT.name)
        except Terminated as stopped:
            self.interrupt(executor, stopped.signal_name)
        except BaseException as error:  # a bug or a broken store: leave no module RUNNING behind
            self.stop_all(executor, f"the run stopped: {type(error).__name__}: {error}")
            raise
        for name in queue.remaining():  # cannot happen while the graph follows config order; never drop a target
            self.settle_not_run(name, "its inputs never became ready", queue, result)
        return result

    def start_ready(self, queue: _ReadyQueue, executor: Executor, result: RunResult) -> bool:
        """Start ready targets, in config order, while slots are free; say whether any waits for another process.

        The starts are recorded in one transaction, and the jobs are submitted once it is committed.
        """
        locked: list[str] = []
        claimed: list[str] = []
        slots = executor.slots  # (before the write lock is taken: a Dask cluster's count is a round trip)
        with self.store.state.transaction():
            self.claim_ready(queue, slots, result, locked, claimed)
        for name in claimed:
            self.submit(name, executor, result, queue)
        queue.retry(locked)
        return bool(locked)

    def claim_ready(
        self, queue: _ReadyQueue, slots: int, result: RunResult, locked: list[str], claimed: list[str]
    ) -> None:
        """Claim ready targets while slots are free: into ``claimed`` those to submit, into ``locked`` those that
        wait for another process."""
        while len(self.running) < slots and (name := queue.pop()) is not None:
            instance = self.pipeline.instances[name]
            blocker = next((p for p in instance.producers if p in result.failed or p in result.not_run), None)
            if blocker is not None or (self.exit_on_error and result.failed):
                reason = f"{blocker} did not complete" if blocker else "stopped at the first failure (--exit-on-error)"
                self.settle_not_run(name, reason, queue, result)
                continue
            lock = self.store.lock(name)
            if not lock.acquire(blocking=False):
                locked.append(name)
                if name not in self.announced_waits:
                    self.announced_waits.add(name)
                    self.reporter.module_waiting(name, "another process is running it, or a module that reads it")
                continue
            outcome = self.claim(name, lock, result)
            if outcome is _Claim.STARTED:
                claimed.append(name)
            elif outcome is _Claim.WAIT:
                lock.release()
                locked.append(name)
            else:
                if lock.created_folder and not instance.is_executable:  # (data made elsewhere: nothing of it here)
                    with contextlib.suppress(OSError):
                        lock.path.rmdir()  # (with the lock held, as reset deletes a folder)
                lock.release()
                queue.settle(name)  # settled without running: its consumers may start now

    def submit(self, name: str, executor: Executor, result: RunResult, queue: _ReadyQueue) -> None:
        """Hand a claimed module to the executor (which, in this process, runs it there and then; the executor
        reports its start when it starts)."""
        try:
            executor.submit(self.job(name, self.running[name].run_id))
        except PimlicoLiteError:
            raise  # the executor cannot go on (the system refuses another worker): the run stops, saying why
        except Exception as error:  # an option value that cannot be pickled for a worker, say
            self.finish(name, Outcome(f"could not start it: {type(error).__name__}: {error}"), result)
            queue.settle(name)

    def settle_not_run(self, name: str, reason: str, queue: _ReadyQueue, result: RunResult) -> None:
        queue.settle(name)
        result.not_run[name] = reason
        self.reporter.module_not_run(name, reason)

    def refresh(self, name: str) -> ModuleStatus:
        """The status of ``name`` and its producers as they are now.

        While no other process writes to the state database (its ``data_version`` stays the same), the records
        this run holds are the database's: they are used as they are. Once another process has written, every
        record is re-read before use, all of ``name``'s upstream at once (a re-run two steps up makes the
        producer OUTDATED).
        """
        instance = self.pipeline.instances[name]
        version = self.store.state.data_version()
        if version != self.data_version:
            self.data_version = version
            self.current.clear()
            names = self.pipeline.upstream([name])
        else:
            names = [*instance.producers, name]
        stale = {each for each in names if each not in self.current}
        records = self.store.state.records_of(list(stale)) if stale else {}
        for each in names:
            record = records.get(each) if each in stale else self.statuses[each].record
            self.statuses[each] = module_status(self.pipeline.instances[each], record, self.statuses, self.store)
        self.current.update(names)
        return self.statuses[name]

    def claim(self, name: str, lock: ModuleLock, result: RunResult) -> _Claim:
        """With ``name``'s lock held: skip it, wait, or record its start.

        The shared locks on its inputs are taken first, so that no other process can re-run or reset an input
        between the look at the inputs' records and the start.
        """
        instances = self.pipeline.instances
        reading = [producer for producer in instances[name].producers if instances[producer].is_executable]
        if not self.read_locks.take(reading):
            return _Claim.WAIT
        outcome = self.start(name, lock, reading, result)
        if outcome is not _Claim.STARTED:
            self.read_locks.give_back(reading)
        return outcome

    def start(self, name: str, lock: ModuleLock, reading: list[str], result: RunResult) -> _Claim:
        """With ``name``'s lock and its inputs' shared locks held: skip it, or record its start."""
        instance = self.pipeline.instances[name]
        status = self.refresh(name)
        if not instance.is_executable:
            if status.state is State.COMPLETE:
                result.skipped[name] = "its data is already there (nothing to run)"
                self.reporter.module_skipped(name, result.skipped[name])
            else:
                result.not_run[name] = f"its data is missing: {'; '.join(status.reasons)}"
                self.reporter.module_not_run(name, result.not_run[name])
            return _Claim.SETTLED
        if status.state is State.COMPLETE and not self.force:
            # With --all, targets were incomplete when planned: another run has completed this one since.
            reason = "completed by another run" if self.run_all else "already complete (--force-rerun runs it again)"
            result.skipped[name] = reason
            self.reporter.module_skipped(name, reason)
            return _Claim.SETTLED
        unready = [p for p in instance.producers if not self.statuses[p].is_ready_as_input]
        if unready:
            result.not_run[name] = f"input from {unready[0]} is not ready ({self.statuses[unready[0]].state})"
            self.reporter.module_not_run(name, result.not_run[name])
            return _Claim.SETTLED
        self.store.checked_module_dir(name)  # nothing is written through a symbolic link leading out of the store
        stale = status.record is not None and status.record.state == RUNNING
        # (the log of a run whose process was killed is in its log file only: it goes into the record it closes)
        stale_log = self.store.run_log(name, status.record.run_id) if stale and status.record else ""
        run_id = self.store.state.start_run(name, os.getpid(), close_stale=stale, stale_log=stale_log)
        self.current.discard(name)  # its record now says RUNNING; finish() puts the new one in place
        upstream = {p: version for p in instance.producers if (version := self.statuses[p].version) is not None}
        for source in instance.source_files:  # (signed before it reads them; by its absolute path too, which is what
            # versions before 23 November look for)
            upstream[source.key] = upstream[source.path] = file_signature(source.path)
        old_runs = status.record is not None or not lock.created_folder
        parts = instance.fingerprint_parts
        if (code := code_signature(instance.info)) is not None:  # (recorded, not fingerprinted: see code_signature)
            parts = {**parts, "code": code}
        completion = Completion(instance.fingerprint, parts, upstream)
        standing = status.record.complete_run_id if status.record and status.record.state == COMPLETE else None
        self.running[name] = _Running(run_id, lock, completion, time.monotonic(), old_runs, reading, standing)
        return _Claim.STARTED

    def job(self, name: str, run_id: int) -> Job:
        """Resolve everything the executor needs to run ``name`` as run ``run_id``."""
        instance = self.pipeline.instances[name]
        inputs = {}
        for input_name, connections in instance.inputs.items():
            sources = []
            for connection in connections:
                producer = self.pipeline.instances[connection.producer]
                datatype = producer.info.output_datatypes()[connection.output]
                if producer.external_outputs is not None:
                    folder = producer.external_outputs[connection.output]
                else:
                    record = self.statuses[producer.name].record
                    assert record is not None  # claim() checked that every producer is COMPLETE
                    assert record.complete_run_id is not None
                    folder = self.store.run_dir(producer.name, record.complete_run_id) / connection.output
                sources.append(InputSource(folder, datatype))
            inputs[input_name] = sources
        return Job(
            name,
            run_id,
            instance.info,
            instance.options,
            inputs,
            self.store.partial_dir(name, run_id),
            self.store.run_dir(name, run_id),
            self.pipeline.config_path.parent,
            self.pipeline.python_path,
            instance.option_keys,
            instance.dynamic_prefix,
            self.store.run_log_path(name, run_id),
        )

    def finish(self, name: str, outcome: Outcome, result: RunResult) -> None:
        """Record how ``name`` ended, and act on it (see :meth:`conclude`)."""
        outcome = self.as_recorded(name, outcome)
        record = None
        try:
            record = self.record_end(name, outcome)
        finally:
            self.conclude(name, outcome, record, result)

    def as_recorded(self, name: str, outcome: Outcome) -> Outcome:
        """``outcome`` as the run records it: with its log file's lines (:meth:`with_log`), where the config sets the
        option that failed it, if one did (:meth:`placed`), and, for a job the run stopped, which complete run of the
        module stands (see :meth:`record_end`)."""
        outcome = self.with_log(name, outcome)
        if outcome.stopped and (standing := self.running[name].standing) is not None:
            return dataclasses.replace(outcome, error=f"{outcome.error}: the outputs of its run {standing} stand")
        return outcome if outcome.option is None else self.placed(name, outcome)

    def with_log(self, name: str, outcome: Outcome) -> Outcome:
        """``outcome`` with the lines of its run's log file, if the module logged or failed: the file has every line,
        those of processes the module forked too, and it is all there is of the log of a module whose outcome came
        without one (interrupted, or its worker died or was lost). A module that completed without logging (most)
        has no file to look at; one whose forked children alone logged keeps its file, which ``log`` shows, until
        its next run ends."""
        if outcome.error is None and not outcome.log:
            return outcome
        logged = self.store.run_log(name, self.running[name].run_id)  # (at most RUN_LOG_MOST bytes of it)
        return dataclasses.replace(outcome, log=logged if len(logged) > len(outcome.log) else log_to_keep(outcome.log))

    def placed(self, name: str, outcome: Outcome) -> Outcome:
        """``outcome`` of a module failed by an option's value, with where the config sets that option."""
        from pimlico_lite.config.reader import where_set  # (a run from the kept pipeline never reads the config)

        instance = self.pipeline.instances[name]
        section = instance.group or instance.name
        location = where_set(self.pipeline.config_path, section, outcome.option or "")
        if location is None:
            return outcome
        return dataclasses.replace(outcome, error=f"{location} [{section}] {outcome.error}")

    def record_end(self, name: str, outcome: Outcome) -> ModuleRecord | None:
        """Write how ``name`` ended to the state database; the new record if it completed."""
        running, state = self.running[name], self.store.state
        if outcome.error is None:
            return state.complete_run(
                name, running.run_id, running.completion, outcome.peak_memory_kb, outcome.log, outcome.ran
            )
        # A job the run stopped did not fail by itself: a complete run that it was to replace stands, as it was.
        if state.fail_run(
            name,
            running.run_id,
            outcome.error,
            outcome.traceback,
            outcome.peak_memory_kb,
            outcome.log,
            outcome.ran,
            keep_complete=outcome.stopped and running.standing is not None,
        ):
            return None
        # Its end was committed before an interrupt stopped the run (between that commit and conclude()): it stands.
        record = state.record(name)
        completed = record is not None and record.state == COMPLETE and record.complete_run_id == running.run_id
        return record if completed else None

    def conclude(self, name: str, outcome: Outcome, record: ModuleRecord | None, result: RunResult) -> None:
        """Once the end of ``name`` is committed: delete the runs it replaced, report, and release its locks."""
        running = self.running.pop(name)
        try:
            if outcome.ran and name not in self.starts.started and name not in self.never_ran:
                # it ran, and ended before its executor could report its start
                self.starts.module_started(name, running.run_id)
            if record is not None:
                if running.may_have_old_runs:
                    self.store.remove_runs(name, keep=running.run_id)  # (its log file too)
                elif outcome.log:
                    self.store.remove_run_log(name, running.run_id)
                self.statuses[name] = module_status(self.pipeline.instances[name], record, self.statuses, self.store)
                self.current.add(name)
                result.completed.append(name)
                ran = outcome.ran
                seconds = ran[1] - ran[0] if ran else time.monotonic() - running.started
                self.reporter.module_finished(name, seconds)
            elif outcome.error is not None:
                self.store.remove_runs(name, keep=self.completed_run(name))
                result.failed.append(name)
                self.reporter.module_failed(name, outcome.error, outcome.traceback)
        finally:
            self.read_locks.give_back(running.reading)
            running.lock.release()

    def completed_run(self, name: str) -> int | None:
        record = self.store.state.record(name)
        return record.complete_run_id if record else None

    def interrupt(self, executor: Executor, signal_name: str) -> None:
        """Stop every running job, record each as FAILED (interrupted), and raise InterruptedRunError."""
        self.stop_all(executor, f"interrupted ({signal_name})")
        raise InterruptedRunError(signal_name)

    def stop_all(self, executor: Executor, error: str) -> None:
        """Stop every running job and record each as FAILED with ``error``; SIGINT and SIGTERM wait till it is done."""
        with signals_ignored(signal.SIGINT, signal.SIGTERM):  # Ctrl-C again must not cut the records short
            self.store.state.roll_back()  # (no with-block is open any more: whatever is open is left over)
            never_started = executor.not_started()
            executor.shutdown()
            now = time.time()
            for name in list(self.running):
                if name in never_started:  # it waited for a worker: it never ran, and took no time
                    self.never_ran.add(name)
                    outcome = Outcome(error=f"{error}, before it started", started=now, finished=now, stopped=True)
                else:
                    outcome = Outcome(error=error, stopped=True)
                self.finish(name, outcome, RunResult(Plan([])))
