"""A pool of worker processes that run jobs, ``run -j N``.

A worker pool keeps its processes between jobs (starting a process per module would cost more than a small
module's work), notices a worker that dies (a segfault, the out-of-memory killer) and fails that worker's job with
the reason, then replaces it. Workers die with the process that started them.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import dataclasses
import functools
import itertools
import multiprocessing.connection
import os
import pickle
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, NoReturn, TextIO

from pimlico_lite._signals import die_of, getsignal_raw
from pimlico_lite.encoding import escape_what_cannot_be_shown
from pimlico_lite.errors import PimlicoLiteError
from pimlico_lite.execution.execute import Job
from pimlico_lite.execution.jobs import Outcome, Terminated, run_job
from pimlico_lite.execution.reporter import NullReporter, Reporter
from pimlico_lite.lines import WholeLines, flush_standard_streams, shared_by_workers, standard_streams_replaced

# Progress from a worker is sent at most this often (seconds), and always when a job ends.
PROGRESS_INTERVAL = 0.1
# How often, at the least, the pool looks at whether its busy workers are still alive.
WORKER_CHECK_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


@dataclass
class _Job:
    """A job as sent to a worker, kept until it ends so that it can be sent again if it never started."""

    name: str
    run_id: int
    python_path: tuple[str, ...]
    payload: bytes
    reported: bool = False  # its start has been reported


@dataclass
class _Worker:
    process: subprocess.Popen[bytes] | _ForkedProcess
    connection: Connection
    memory_limit: int | None
    # Jobs sent, in order: the worker runs the first, and the others when it has finished those before them.
    jobs: list[_Job] = field(default_factory=list)
    # When its first job became its first (it started then, or soon after).
    running_since: float = 0.0
    # It has been asked to give back the jobs it has not started, and has not answered yet.
    giving_back: bool = False


def _queued_bytes(worker: _Worker) -> int:
    """How much the jobs waiting in ``worker`` (all but the one it runs) take."""
    return sum(len(job.payload) for job in worker.jobs[1:])


# A worker that is not forked at the start of `run` (see _fork_worker) is a fresh interpreter (not multiprocessing's
# spawn, which would re-import the caller's main module): it imports only pimlico_lite and, per job, the module type
# it runs.
_WORKER_COMMAND = "import sys; from pimlico_lite.execution.workers import worker_entry; worker_entry(sys.argv[1:])"
# Jobs queued per worker: the next ones wait in the worker while one runs, so that the worker never idles while the
# scheduler records outcomes. Only while jobs are short, though: a long job queued behind another could wait there
# while another worker sits idle at the end of a run; then the pool keeps it until a worker is free. While jobs are
# short, a worker's queue holds about QUEUE_SECONDS of them (judged by the slowest of the last RECENT_JOBS to end, as
# the workers timed them; at most MOST_JOBS_PER_WORKER), so that the scheduler claims, records and sends them in
# batches: one commit and one wake-up of a worker for many small modules. A job that turns out long (it has run for
# LONG_JOB_SECONDS) gets no more jobs queued behind it, and while a worker is free, gives back those that were (a
# quick module and all that reads it waited behind a 3-second one while the other worker sat idle). Never more than
# QUEUE_BYTES of jobs wait for a worker: they are read into its memory as they come.
JOBS_PER_WORKER = 2
QUEUE_SECONDS = 0.05
LONG_JOB_SECONDS = 0.1
MOST_JOBS_PER_WORKER = 32
RECENT_JOBS = 8
QUEUE_BYTES = 64 * 1024
# What the pool sends a worker to have back the jobs it has not started; the worker answers ("given back", names).
GIVE_BACK = "give back"
# Messages, and characters that its modules printed, read from one worker at a time (see WorkerPoolExecutor._drain).
MOST_MESSAGES = 256
MOST_PRINTED = 256 * 1024


@dataclass
class WorkerPoolExecutor:
    """Run jobs in up to ``workers`` worker processes, started on demand and kept for later jobs."""

    workers: int
    reporter: Reporter
    memory_limit: int | None = None
    # False: never more than JOBS_PER_WORKER per worker (a run that stops at the first failure runs few after it)
    deep_queues: bool = True
    _workers: list[_Worker] = field(default_factory=list)
    _held: collections.deque[_Job] = field(default_factory=collections.deque)  # submitted, kept until a worker is free
    _unended: set[str] = field(default_factory=set)  # the jobs submitted whose outcome has not been returned
    # How long the last jobs to end took, as their workers timed them (until one has ended, jobs count as long).
    _recent: collections.deque[float] = field(default_factory=lambda: collections.deque(maxlen=RECENT_JOBS))
    # Workers that went on to a job they held when the one before it ended. Its start is reported at the next call
    # into the pool, after the scheduler has reported the end before it (the scheduler reports the start of a job
    # that ended meanwhile, just before its end).
    _went_on: list[_Worker] = field(default_factory=list)

    @property
    def _short_jobs(self) -> bool:
        return bool(self._recent) and max(self._recent) < QUEUE_SECONDS

    @property
    def slots(self) -> int:
        """How many jobs may be submitted at once: JOBS_PER_WORKER for each worker, more while jobs are short."""
        if not (self.deep_queues and self._short_jobs):
            return JOBS_PER_WORKER * self.workers
        fit = int(QUEUE_SECONDS / max(*self._recent, QUEUE_SECONDS / MOST_JOBS_PER_WORKER))
        return max(JOBS_PER_WORKER, fit) * self.workers

    def submit(self, job: Job) -> None:
        """Hand ``job`` to an idle worker, a new one while the pool is not full, else the least busy one."""
        self._report_starts()
        payload = pickle.dumps(job)  # before choosing a worker: an unpicklable job fails here, cleanly
        self._unended.add(job.name)
        self._send(_Job(job.name, job.run_id, job.python_path, payload))

    def _send(self, job: _Job) -> None:
        self._workers = [w for w in self._workers if w.jobs or w.process.poll() is None]
        worker = min(self._workers, key=lambda w: len(w.jobs), default=None)
        if worker is None or (worker.jobs and len(self._workers) < self.workers):
            try:
                worker = self._start_worker()
            except PimlicoLiteError as error:
                if worker is None:
                    raise  # not one worker: the run cannot go on
                # The system refuses another process or file: go on with the workers there are, and start no more.
                self.workers = len(self._workers)
                self.reporter.module_waiting(job.name, f"{error}; going on with the {self.workers} there are")
                self._send(job)
                return
        elif worker.jobs and not self._may_queue(worker, job):
            self._held.append(job)
            return
        self._hand(worker, job)

    def _may_queue(self, worker: _Worker, job: _Job) -> bool:
        """Whether ``job`` may wait behind the jobs ``worker`` has: they are short, and so far the one it runs is."""
        return (
            self._short_jobs
            and not worker.giving_back
            and time.monotonic() - worker.running_since < LONG_JOB_SECONDS
            and _queued_bytes(worker) + len(job.payload) <= QUEUE_BYTES
        )

    def _hand(self, worker: _Worker, job: _Job) -> None:
        worker.jobs.append(job)
        try:
            # The payload is unpickled only once the worker has the pipeline's python_path on its import path.
            worker.connection.send((job.name, job.python_path, job.payload))
        except OSError:  # the worker died since it was last looked at: wait() will say so; the job never reached it
            worker.jobs.remove(job)
            self._held.appendleft(job)
            return
        if worker.jobs[0] is job:  # an idle worker starts it at once; else when the jobs before it have ended
            worker.running_since = time.monotonic()
            self._report_start(job)

    def _report_start(self, job: _Job) -> None:
        if not job.reported:
            job.reported = True
            self.reporter.module_started(job.name, job.run_id)

    def _start_worker(self) -> _Worker:
        ahead = next((w for w in _STARTED_AHEAD if w.memory_limit == self.memory_limit), None)
        if ahead is not None:
            _STARTED_AHEAD.remove(ahead)
            if ahead.process.poll() is not None:  # it died before it was needed: start another
                ahead.connection.close()
                ahead = None
        worker = ahead or _new_worker(_spawn_worker, self.memory_limit)
        self._workers.append(worker)
        return worker

    def _report_starts(self) -> None:
        went_on, self._went_on = self._went_on, []
        for worker in went_on:
            if worker.jobs:
                self._report_start(worker.jobs[0])

    def not_started(self) -> set[str]:
        """The jobs submitted that certainly have not started: those no worker holds (the pool keeps them for a free
        one). Counted from what was submitted and has not ended, not from the pool's list of held jobs, which a
        signal can catch half handed out."""
        handed = {job.name for worker in self._workers for job in worker.jobs}
        return self._unended - handed

    def wait(self, timeout: float | None) -> list[tuple[str, Outcome]]:
        """Pass on workers' log and progress messages; return the jobs that ended (or whose worker died)."""
        self._report_starts()
        self._send_held()  # (after every worker died, say)
        busy = {w.connection: w for w in self._workers if w.jobs}
        if not busy:
            return []
        # Wake at least every second to look at the processes themselves: a child of a module may hold the
        # worker's socket open after the worker died, and then no end-of-file would ever arrive.
        wait = WORKER_CHECK_SECONDS if timeout is None else min(timeout, WORKER_CHECK_SECONDS)
        wait = min(wait, self._ask_for_queued_jobs())
        ready = multiprocessing.connection.wait(list(busy), wait)
        ended: list[tuple[str, Outcome]] = []
        for connection, worker in busy.items():
            if connection in ready:
                ended.extend(self._drain(worker))
            elif worker.process.poll() is not None:
                ended.extend(self._drain(worker, everything=True))  # what it sent before it died counts
                ended.extend(self._exited(worker))  # (nothing more, if _drain found the end of its socket)
        self._send_held()
        return ended

    def _ask_for_queued_jobs(self) -> float:
        """While a worker is free (or another may start), ask each worker whose job has turned out long for the jobs
        queued behind it; return how long until another may turn out long (infinity: none to wait for)."""
        if self._held or (all(worker.jobs for worker in self._workers) and len(self._workers) >= self.workers):
            return float("inf")
        now = time.monotonic()
        soonest = float("inf")
        for worker in self._workers:
            if len(worker.jobs) < 2 or worker.giving_back:
                continue
            long_in = worker.running_since + LONG_JOB_SECONDS - now
            if long_in > 0:
                soonest = min(soonest, long_in)
                continue
            try:
                worker.connection.send(GIVE_BACK)
            except OSError:  # it died: wait() will say so, and send its jobs elsewhere
                continue
            worker.giving_back = True
        return soonest

    def _given_back(self, worker: _Worker, names: list[str]) -> None:
        """Hold the jobs ``worker`` gave back, in their order, before any held already."""
        worker.giving_back = False
        named = set(names)
        given = [job for job in worker.jobs if job.name in named]
        worker.jobs = [job for job in worker.jobs if job not in given]
        self._held.extendleft(reversed(given))

    def _send_held(self) -> None:
        """Send the jobs held back to the workers that are free now (the others stay held)."""
        held, self._held = self._held, collections.deque()
        for job in held:
            self._send(job)

    def _drain(self, worker: _Worker, everything: bool = False) -> list[tuple[str, Outcome]]:
        """Read what the worker sent: the outcomes of the jobs that ended, and a failure if the worker died.

        Unless told to read ``everything`` (the worker has died), at most MOST_MESSAGES and MOST_PRINTED characters
        of printed lines at a time, so that a module that prints or logs without a pause cannot keep the ends of the
        other workers' jobs waiting. What its modules printed is written a run of lines at a time: the live display
        draws itself again after each write, far slower than a module can print.
        """
        ended = []
        printed = _Lines()
        try:
            for count in itertools.count():
                if not everything and (count >= MOST_MESSAGES or printed.size >= MOST_PRINTED):
                    break
                try:  # (the worker's end of its socket: not what reporting a message does, which is this process's)
                    if not (worker.jobs and worker.connection.poll()):
                        break
                    kind, *payload = worker.connection.recv()
                except (EOFError, OSError):
                    ended.extend(self._exited(worker))
                    break
                if kind == "print":  # (a worker on the terminal: above the live display, if there is one)
                    printed.add(*payload)
                    continue
                printed.write()  # what was printed before what comes now
                if kind == "given back":
                    self._given_back(worker, *payload)
                elif kind == "done":
                    ended.append(self._done(worker, *payload))
                elif kind == "log":
                    self.reporter.module_log(*payload)
                elif kind == "progress":
                    self.reporter.module_progress(*payload)
        except Exception as error:  # a garbled message: the worker cannot be trusted any more
            worker.process.kill()
            worker.process.wait()
            ended.extend(self._died(worker, f"was lost track of: {type(error).__name__}: {error}"))
        printed.write()
        return ended

    def _done(self, worker: _Worker, outcome: Outcome, seconds: float) -> tuple[str, Outcome]:
        """The first job of ``worker`` ended with ``outcome`` after ``seconds``: the worker goes on with the next."""
        if worker.memory_limit and outcome.error and _MEMORY_ERRORS.search(outcome.error):
            outcome = dataclasses.replace(outcome, error=f"{outcome.error} {_limit_hint(worker.memory_limit)}")
        self._recent.append(seconds)
        name = worker.jobs.pop(0).name
        self._unended.discard(name)
        worker.running_since = time.monotonic()
        if worker.jobs and worker not in self._went_on:  # it goes on with the next job it holds
            self._went_on.append(worker)
        return name, outcome

    def _exited(self, worker: _Worker) -> list[tuple[str, Outcome]]:
        """:meth:`_died`, saying how the worker's process ended."""
        how = f"died: {describe_exit(worker.process.wait())}"
        if worker.memory_limit:  # a library that cannot map memory may exit (OpenBLAS does) rather than raise
            how = f"{how} {_limit_hint(worker.memory_limit)}"
        return self._died(worker, how)

    def _died(self, worker: _Worker, how: str) -> list[tuple[str, Outcome]]:
        """Fail the job the worker was running; send the jobs it had not started to other workers."""
        worker.connection.close()
        if worker in self._workers:
            self._workers.remove(worker)
        if not worker.jobs:
            return []
        running, *waiting = worker.jobs
        worker.jobs = []
        worker.giving_back = False
        self._unended.discard(running.name)
        for job in waiting:
            self._send(job)
        return [(running.name, Outcome(error=f"the worker process running it {how}"))]

    def shutdown(self) -> None:
        """Stop every worker: idle ones are asked to exit, busy ones are killed."""
        for worker in self._workers:
            if not worker.jobs:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            else:
                worker.process.terminate()
        deadline = time.monotonic() + 2
        for worker in self._workers:
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            worker.connection.close()
        self._workers = []
        self._held.clear()
        self._unended.clear()


# Errors of a module that ran short of address space under --memory-limit: Python's, and a library's that could
# not map memory (the dynamic loader's "failed to map segment", in an ImportError or ctypes' OSError, anywhere in
# the message; mmap's errno: "Cannot allocate memory").
_MEMORY_ERRORS = re.compile(r"^MemoryError\b|failed to map segment|Cannot allocate memory")


def _limit_hint(limit: int) -> str:
    """What to say of a failure in a worker whose address space was capped at ``limit`` bytes."""
    if limit % 2**30 == 0:
        size = f"{limit // 2**30}G"
    else:
        size = f"{limit // 2**20}M" if limit % 2**20 == 0 else str(limit)
    return (
        f"(the limit may be why: --memory-limit {size} caps the worker's address space, which counts every library it"
        " maps as well, often several times the peak memory that status shows; try a larger limit)"
    )


# Workers started before the pool that will use them (see start_workers_ahead).
_STARTED_AHEAD: list[_Worker] = []


def start_workers_ahead(count: int, memory_limit: int | None) -> None:
    """Start ``count`` workers now, for a pool made later, so that they are ready when the first module is.

    While this process has no thread but its main one, they are forked from it (:func:`_fork_worker`): ready at
    once, with the worker code imported. Otherwise they are fresh interpreters, which take about 0.1 s to start
    while the run loads its pipeline and plans. :func:`stop_workers_started_ahead` stops those no pool took. When
    the system refuses another process or file, it starts no more: the pool goes on with those there are, or says
    why when it cannot start one at all.
    """
    for _ in range(count):
        try:
            _STARTED_AHEAD.append(_new_worker(_fork_worker if _can_fork() else _spawn_worker, memory_limit))
        except PimlicoLiteError:
            return


def stop_workers_started_ahead() -> None:
    """Stop the workers started ahead that no pool took (they have run nothing: killing them loses nothing)."""
    for worker in _STARTED_AHEAD:
        worker.process.kill()
        worker.process.wait()
        worker.connection.close()
    _STARTED_AHEAD.clear()


def _new_worker(start: Callable[[int | None], _Worker], memory_limit: int | None) -> _Worker:
    """A worker started by ``start``, or an error saying so when the system refuses another process or socket."""
    try:
        return start(memory_limit)
    except OSError as error:
        message = f"cannot start a worker process: {error.strerror or error} (run fewer modules at once: a smaller -j)"
        raise PimlicoLiteError(message) from None


def _spawn_worker(memory_limit: int | None) -> _Worker:
    parent_end, child_end = socket.socketpair()
    arguments = [str(child_end.fileno()), str(memory_limit or 0), str(os.getpid())]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry)}
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_COMMAND, *arguments],
            pass_fds=[child_end.fileno()],
            stdin=subprocess.DEVNULL,
            env=environment,
        )
    except OSError:
        parent_end.close()
        raise
    finally:
        child_end.close()
    return _Worker(process, Connection(parent_end.detach()), memory_limit)


def _can_fork() -> bool:
    """Whether forking this process is safe: on Linux, with no thread but the main one (counted by the kernel, so
    threads started by native libraries count too)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _fork_worker(memory_limit: int | None) -> _Worker:
    """A worker forked from this process, which must have no other thread, no open state database and no module
    lock (as when ``run`` starts: the pipeline is not loaded yet)."""
    parent_end, child_end = socket.socketpair()
    parent = os.getpid()
    for stream in (sys.stdout, sys.stderr):  # or the worker would write what this process had buffered again
        stream.flush()
    sigint_ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # (a run in the background)
    # Ctrl-C between the fork and the worker's ignoring it must not kill the worker: held back until then.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        parent_end.close()
        child_end.close()
        raise
    if pid == 0:
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            parent_end.close()
            for worker in _STARTED_AHEAD:  # the other workers' sockets are not this worker's to keep open
                worker.connection.close()
            _STARTED_AHEAD.clear()
            stdin = os.open(os.devnull, os.O_RDONLY)
            os.dup2(stdin, 0)
            os.close(stdin)
            worker_main(Connection(child_end.detach()), memory_limit, parent, sigint_ignored)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            flush_standard_streams()  # what modules printed (os._exit flushes nothing)
            os._exit(code)  # never back into the command that forked it (atexit handlers do not run)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    child_end.close()
    return _Worker(_ForkedProcess(pid), Connection(parent_end.detach()), memory_limit)


class _ForkedProcess:
    """What the pool uses of :class:`subprocess.Popen`, for a worker forked from this process."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The exit code (minus the signal that killed it) once the process has ended, else None."""
        if self.returncode is None:
            self._reap(os.WNOHANG)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the process to end (raising subprocess.TimeoutExpired after ``timeout`` seconds)."""
        if timeout is None and self.returncode is None:
            self._reap(0)
        deadline = time.monotonic() + (timeout or 0)
        while (code := self.poll()) is None:
            if time.monotonic() >= deadline:
                command = f"worker process {self.pid}"
                raise subprocess.TimeoutExpired(command, timeout or 0)
            time.sleep(0.01)
        return code

    def _reap(self, options: int) -> None:
        try:
            pid, status = os.waitpid(self.pid, options)
        except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored, say): its exit status is lost, as Popen says
            self.returncode = 0
            return
        if pid:
            self.returncode = os.waitstatus_to_exitcode(status)

    def kill(self) -> None:
        """Send SIGKILL, unless it has ended."""
        self._signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Send SIGTERM, unless it has ended."""
        self._signal(signal.SIGTERM)

    def _signal(self, number: signal.Signals) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)


def describe_exit(exitcode: int | None) -> str:
    """Say how a process ended, e.g. ``killed by SIGSEGV`` or ``exit code 3``."""
    if exitcode is None:
        return "still running"
    if exitcode < 0:
        name = signal.Signals(-exitcode).name
        hint = " (out of memory?)" if name == "SIGKILL" else ""
        return f"killed by {name}{hint}"
    return f"exit code {exitcode}"


class _Lines:
    """What workers' modules printed, gathered into one write for each run of lines to the same stream."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, list[str]]] = []
        self.size = 0

    def add(self, stream: str, text: str) -> None:
        """Gather ``text``, printed to ``stream`` (stdout or stderr)."""
        if self.runs and self.runs[-1][0] == stream:
            self.runs[-1][1].append(text)
        else:
            self.runs.append((stream, [text]))
        self.size += len(text)

    def write(self) -> None:
        """Write what was gathered to this process's streams (where the live display shows it), and forget it.

        Each write ends a line: the start of a line left unended (a module's flush) would wait in rich's stand-in for
        the stream, and the next line, from another worker's module maybe, would be joined to it.
        """
        for stream, texts in self.runs:
            text = "".join(texts)
            out = getattr(sys, stream)
            with contextlib.suppress(OSError, ValueError):  # this process's own output failing is not the worker's
                out.write(text if text.endswith("\n") else text + "\n")
                out.flush()
        self.runs = []
        self.size = 0


class _PipeReporter(NullReporter):
    """A worker's reporter: send log lines and (throttled) progress to the scheduler, which reports the rest."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.last_progress = 0.0
        self.sending = threading.Lock()  # a module may log from several threads
        self.pid = os.getpid()

    def send(self, message: tuple[object, ...]) -> None:
        """Send one message whole, from the worker itself. A process that the module forked has the socket too, but
        its messages would be mixed up with the worker's (a long one is written in two parts, and the lock is the
        worker's alone): what it logs reaches the run's log file only, which the run's record takes up."""
        if os.getpid() != self.pid:
            return
        with self.sending:
            self.connection.send(message)

    def module_log(self, name: str, message: str) -> None:
        """Send a log line."""
        self.send(("log", name, message))

    def module_progress(self, name: str, done: int, total: int | None) -> None:
        """Send progress, at most every PROGRESS_INTERVAL seconds (and at the end)."""
        now = time.monotonic()
        if now - self.last_progress >= PROGRESS_INTERVAL or done == total:
            self.last_progress = now
            self.send(("progress", name, done, total))


class _Printed(WholeLines):
    """A worker's ``sys.stdout`` or ``sys.stderr`` while it is the terminal: what a module prints goes to the
    scheduler, a line at a time, which prints it above its live display, as it does for a module run in its own
    process. Written to the terminal straight, it was drawn over by the display, which left a stale copy of itself
    behind. What a library writes to the file descriptor itself (or to ``.buffer``) still goes straight there, and
    so does what a process forked by a module prints: the worker's socket is not its to write to."""

    def __init__(self, reporter: _PipeReporter, stream_name: str, stream: TextIO) -> None:
        super().__init__(stream)
        self.reporter = reporter
        self.stream_name = stream_name

    def hand_on(self, text: str) -> None:
        """Send ``text`` to the scheduler."""
        self.reporter.send(("print", self.stream_name, text))


def _worker_stream(reporter: _PipeReporter, name: str, stream: TextIO) -> object:
    """A worker's ``sys.stdout`` or ``sys.stderr``: sent to the scheduler when it is a terminal, else written a
    whole line at a time and guarded (:func:`~pimlico_lite.lines.shared_by_workers`)."""
    return _Printed(reporter, name, stream) if stream.isatty() else shared_by_workers(stream)


def worker_entry(arguments: list[str]) -> None:
    """The entry point of a worker process: ``FD MEMORY_LIMIT PARENT_PID``."""
    descriptor, memory_limit, parent = (int(argument) for argument in arguments)
    os.set_inheritable(descriptor, False)  # children a module starts must not keep the scheduler's socket open
    escape_what_cannot_be_shown()  # (as the run did for itself, and for the workers it forked)
    sigint_ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # (as the run's was: exec keeps it so)
    worker_main(Connection(descriptor), memory_limit or None, parent, sigint_ignored)


def worker_main(connection: Connection, memory_limit: int | None, parent: int, sigint_ignored: bool = False) -> None:
    """A worker process: run jobs from ``connection`` until told to stop or the scheduler goes away. ``sigint_ignored``:
    the run ignores SIGINT (it was started in the background), and so do the worker and the commands it starts."""
    # A closed terminal's SIGHUP is the run's to act on: it stops the workers, as for SIGTERM (a worker that died of
    # it first failed its module, where the run records the module interrupted and keeps its complete run).
    _HANDLERS.update(
        {
            signal.SIGINT: signal.SIG_IGN if sigint_ignored else _pass_over,
            signal.SIGTERM: _stop,
            signal.SIGHUP: signal.SIG_IGN,
        }
    )
    _WORKER_PID[0] = os.getpid()
    _put_handlers_back()
    _die_with_parent(parent)
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        # OpenBLAS (NumPy's, SciPy's) starts a thread per core, each with its buffers; when the cap refuses them it
        # spins at full speed for ever instead of failing (a Ridge fit under --memory-limit 500M never ended). One
        # thread, unless the user chose: set before NumPy is imported in this worker, when OpenBLAS reads it.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    reporter = _PipeReporter(connection)
    with standard_streams_replaced(functools.partial(_worker_stream, reporter)):
        _run_jobs(connection, reporter)


class _Inbox:
    """The jobs sent to a worker, read from its socket as they come by a thread of its own, so that those it has not
    started can be given back while it runs a long one (GIVE_BACK), and a job waiting for it never fills its socket."""

    def __init__(self, connection: Connection, reporter: _PipeReporter) -> None:
        self.jobs: collections.deque[tuple[str, tuple[str, ...], bytes]] = collections.deque()
        self.changed = threading.Condition()
        self.closed = False
        reader = threading.Thread(target=self.read, args=(connection, reporter), name="pimlico-lite-inbox", daemon=True)
        reader.start()

    def read(self, connection: Connection, reporter: _PipeReporter) -> None:
        """Read jobs until told to stop or the scheduler goes away; answer GIVE_BACK with the jobs not started."""
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                message = None
            with self.changed:
                if message is None:
                    self.closed = True
                    self.changed.notify()
                    return
                if message == GIVE_BACK:
                    names = [name for name, _, _ in self.jobs]
                    self.jobs.clear()
                    reporter.send(("given back", names))  # (before the next job can be taken: under the lock)
                else:
                    self.jobs.append(message)
                    self.changed.notify()

    def next(self) -> tuple[str, tuple[str, ...], bytes] | None:
        """The next job, once there is one; None when told to stop or the scheduler has gone."""
        with self.changed:
            while not self.jobs and not self.closed:
                self.changed.wait()
            return self.jobs.popleft() if self.jobs else None


def _run_jobs(connection: Connection, reporter: _PipeReporter) -> None:
    """Run the jobs that come through ``connection`` until told to stop or the scheduler goes away."""
    inbox = _Inbox(connection, reporter)
    while True:
        message = inbox.next()
        if message is None:
            return
        _, python_path, payload = message
        for entry in python_path:
            if entry not in sys.path:
                sys.path.insert(0, entry)
        started = time.monotonic()
        try:
            job = pickle.loads(payload)
        except Exception as exception:
            error = f"cannot load the job: {type(exception).__name__}: {exception}"
            now = time.time()  # it started, and ended, now
            outcome = Outcome(error, traceback.format_exc(), started=now, finished=now)
        else:
            outcome = _run_stoppable_job(job, reporter)
            _put_handlers_back()  # (a module that put in its own must not keep them for the next)
        flush_standard_streams()  # a line the module left unended: before its end
        reporter.send(("done", outcome, time.monotonic() - started))  # (whole: the inbox's thread sends too)


def _run_stoppable_job(job: Job, reporter: _PipeReporter) -> Outcome:
    """Run ``job``; exit if the run stops this worker meanwhile (see :func:`_stop`). A worker passes SIGINT over (see
    worker_main): a KeyboardInterrupt is one the module raised, and fails only it."""
    global _RUNNING_JOB
    _RUNNING_JOB = True
    try:
        return run_job(job, reporter, stops=(Terminated,))
    except Terminated:
        _exit_stopped()
    finally:
        _RUNNING_JOB = False


# A worker's signal handlers. Ctrl-C reaches the whole process group, and the scheduler decides what happens to
# running jobs: a worker passes SIGINT over with a handler of Python's rather than ignoring it, since a command that a
# module starts (by exec) keeps an ignored signal, and a Ctrl-C on the terminal left it running after the run had
# stopped (unless the run itself ignores SIGINT, started in the background: then so does all of it).
_HANDLERS: dict[int, Any] = {}
# The worker's process id (a process that a module forks has the worker's handlers, but is not the worker).
_WORKER_PID = [0]
# Whether the worker is running a module's job (set in the main thread, which runs the handlers).
_RUNNING_JOB = False


def _put_handlers_back() -> None:
    """Install the worker's signal handlers where another is in place."""
    for number, handler in _HANDLERS.items():
        if getsignal_raw(number) != handler:
            signal.signal(number, handler)


def _pass_over(number: int, frame: object) -> None:
    """A worker's SIGINT handler: nothing (see _HANDLERS)."""


def _stop(number: int, frame: object) -> None:
    """A worker's SIGTERM handler (the run stopping it while it runs a job): the module is stopped by an exception,
    so that its own clean-up runs (``subprocess.run`` kills the command it waits for) before the worker exits; an
    idle worker exits at once. A process the module forked (a pool's) ends, as SIGTERM would end it."""
    if os.getpid() != _WORKER_PID[0]:
        die_of(number)
    if _RUNNING_JOB:
        raise Terminated(signal.SIGTERM.name)
    _exit_stopped()


def _exit_stopped() -> NoReturn:
    """End a worker that the run stopped: SIGTERM its children first (a command a module started, even one whose
    ``subprocess.run`` was cut short before it could kill it), then itself, by that signal's default action."""
    for child in _children():
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGTERM)
    die_of(signal.SIGTERM)


def _children() -> list[int]:
    """This process's child processes (Linux's /proc; elsewhere none are known)."""
    children = []
    with contextlib.suppress(OSError):
        for task in os.listdir("/proc/self/task"):
            with contextlib.suppress(OSError, ValueError), open(f"/proc/self/task/{task}/children") as listed:
                children += [int(pid) for pid in listed.read().split()]
    return children


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies, so no worker outlives a killed scheduler."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
