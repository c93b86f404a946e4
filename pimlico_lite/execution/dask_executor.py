"""Run jobs as tasks on a Dask cluster: an existing one (``--scheduler tcp://HOST:8786``) or a LocalCluster.

Dask is an optional extra, imported only here. Workers must see the store at the same path (a shared file system);
the state database stays with the process that runs the CLI, which alone records state. A task returns an
:class:`Outcome`; a worker that dies has its task retried by Dask on another worker, and if the task keeps killing
workers it ends as ``KilledWorker``, which fails the module instance. A retried task re-runs from scratch in a
partial folder of its own, and the first attempt to finish publishes: a later one finds the run's folder there and
drops its own, so no attempt publishes half an output, or one mixed with another's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import pickle
import signal
import sys
import threading
import time
import uuid
from typing import Any

from pimlico_lite._signals import signals_ignored
from pimlico_lite.errors import UsageError
from pimlico_lite.execution.execute import Job
from pimlico_lite.execution.jobs import Outcome, run_job
from pimlico_lite.execution.reporter import NullReporter, Reporter

IN_FLIGHT_PER_THREAD = 2
CONNECT_SECONDS = 10
THREADS_SECONDS = 2.0


def run_remote(python_path: tuple[str, ...], payload: bytes) -> Outcome:
    """The task a Dask worker runs: load the job (after putting the pipeline's python_path on the path), run it."""
    for entry in python_path:
        if entry not in sys.path:
            sys.path.insert(0, entry)
    job: Job = pickle.loads(payload)
    # Each attempt writes a partial folder of its own: Dask runs a task again when it counts its worker dead, and a
    # worker that was only stopped (a network partition, a SIGSTOP) goes on with the first attempt meanwhile. In one
    # folder, the two attempts' files were mixed, and the first to publish had its folder deleted by the second.
    attempt = job.partial_dir.with_name(f"{job.partial_dir.name}-{uuid.uuid4().hex[:12]}")
    job = dataclasses.replace(job, partial_dir=attempt, attempts_may_repeat=True)
    if job.log_path is not None:
        # Dask runs a task again when its worker died: this attempt's log starts afresh, without the dead one's lines.
        # (Removed before the module runs, not truncated at its first line, which would erase what a process it
        # forked had logged by then. A run on this machine is never attempted twice.)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(job.log_path)
    # A KeyboardInterrupt the module raises fails only it: it must not kill a worker that others share.
    return run_job(job, NullReporter(), stops=())


def _connect(client: Any, scheduler: str) -> Any:
    """A client of the scheduler at ``scheduler``, or a UsageError saying why there is none.

    Dask's own timeout bounds the connection, not the handshake after it: an address where something else answers
    (an HTTP server; the cluster's dashboard, next to its scheduler) would keep it waiting for ever. So the client is
    made in a thread that is given up on (it is a daemon: it does not keep the process alive) after a while.
    """
    made: dict[str, Any] = {}

    def connect() -> None:
        try:
            made["client"] = client(scheduler, timeout=CONNECT_SECONDS)
        except Exception as error:  # a refused or malformed address (OSError, ValueError), a TLS one (TypeError)
            made["error"] = error

    thread = threading.Thread(target=connect, name="pimlico-lite-dask-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS + 5)
    if "client" in made:
        return made["client"]
    error = made.get("error")
    reason = str(error) if error is not None else "no answer: is that the scheduler's address (not its dashboard's)?"
    message = f"cannot reach the Dask scheduler at {scheduler}: {reason}"
    raise UsageError(message)


def _local_cluster(local_cluster: Any, workers: int) -> Any:
    """A LocalCluster of ``workers`` processes of one thread each, which leave Ctrl-C to this process.

    A terminal sends Ctrl-C to every process in its foreground group, the cluster's workers too: they printed their
    tracebacks over the run's lines while it stopped them. A process started while SIGINT is ignored keeps ignoring
    it (neither Python nor asyncio installs a handler then), so the workers are started so; a Ctrl-C in the second
    or so that this takes is lost. A worker that Dask starts later, in place of one that died, ignores it once it has
    loaded ``dask_preload``. Their warnings (a busy event loop, a task cancelled as the run stops) are not shown
    either: the run reports what became of each module, and Dask's errors still show.
    """
    import dask

    preload = [*dask.config.get("distributed.worker.preload"), "pimlico_lite.execution.dask_preload"]
    with signals_ignored(signal.SIGINT):
        # No dashboard; the scheduler's other HTTP routes (health, metrics) on a free port, not on 8787, where
        # another cluster's dashboard may be (Dask then warns, and takes another port anyway).
        return local_cluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},
            silence_logs=logging.ERROR,
            preload=preload,
        )


class DaskExecutor:
    """Submit jobs to a Dask cluster and collect their outcomes."""

    def __init__(self, slots: int, scheduler: str | None, reporter: Reporter) -> None:
        try:
            from dask.distributed import Client, LocalCluster, as_completed
        except ImportError:
            message = "--executor dask needs Dask: pip install 'pimlico-lite[dask]'"
            raise UsageError(message) from None
        self.cluster: Any = None
        self.address = scheduler
        if scheduler is None:
            self.cluster = _local_cluster(LocalCluster, slots)
            self.client = Client(self.cluster)
        else:
            self.client = _connect(Client, scheduler)
        self._threads = slots
        self._threads_seen = -float("inf")  # when the cluster's worker threads were last counted (an external one)
        self._said_no_workers = False
        self.futures: dict[Any, str] = {}
        self.completed = as_completed(with_results=True, raise_errors=False)
        self.reporter = reporter

    @property
    def slots(self) -> int:
        """Two tasks per worker thread in flight: the next one travels while one runs, hiding the round trip (about
        15 ms for a trivial task on a LocalCluster) behind work. An external cluster's threads are counted again
        every few seconds: workers join it (a batch system starts them when it can) and leave it during a run."""
        self._count_threads()
        return IN_FLIGHT_PER_THREAD * max(1, self._threads)

    def _count_threads(self) -> None:
        """Count an external cluster's worker threads, unless they were counted less than THREADS_SECONDS ago."""
        if self.cluster is None and time.monotonic() - self._threads_seen >= THREADS_SECONDS:
            # A scheduler out of reach keeps the last count: the tasks it had say so when they end. (Once its client
            # has given up reconnecting, Dask raises RuntimeError: "ConnectionPool is closed".)
            with contextlib.suppress(OSError, RuntimeError):
                self._threads = sum(self.client.nthreads().values())
            self._threads_seen = time.monotonic()
            if self._threads:
                self._said_no_workers = False  # (to be said again if they all leave)

    def submit(self, job: Job) -> None:
        """Send ``job`` to the cluster (its start is reported once it is sent: Dask does not say when a task starts)."""
        future = self.client.submit(
            run_remote, job.python_path, pickle.dumps(job), key=f"{job.name}-{uuid.uuid4().hex}", pure=False
        )
        self.futures[future] = job.name
        self.completed.add(future)
        self.reporter.module_started(job.name, job.run_id)

    def wait(self, timeout: float | None) -> list[tuple[str, Outcome]]:
        """The outcomes of tasks that ended, waiting up to ``timeout`` seconds for one."""
        if not self.futures:
            return []
        if timeout is None and self.cluster is None:
            self._wait_for_an_end()
        # as_completed fetches each result as its task ends: a round trip less than wait() then result().
        batch = self.completed.next_batch(block=timeout is None)
        if not batch and timeout:
            time.sleep(timeout)
            batch = self.completed.next_batch(block=False)
        ended = []
        for future, value in batch:
            name = self.futures.pop(future)
            if future.status == "error":
                # (with raise_errors=False, as_completed gives the task's exc_info)
                error = value[1] if isinstance(value, tuple) and len(value) == 3 else value
                ended.append((name, Outcome(error=f"the Dask task failed: {type(error).__name__}: {error}")))
            elif not isinstance(value, Outcome):
                why = f"the Dask task ended without an outcome ({future.status}): was the scheduler restarted or lost?"
                ended.append((name, Outcome(error=why)))
            else:
                ended.append((name, value))
        return ended

    def _wait_for_an_end(self) -> None:
        """Wait until a task ends, saying (once each time it happens) when the cluster has no worker to run them:
        an external cluster's workers may not have started yet, or may all have left.

        The wait is on ``as_completed`` itself, which is told of every end (a task's, or a cancelled one's when the
        scheduler is lost): ``dask.distributed.wait`` raises for a cancelled task, and leaves a task behind on the
        client's event loop for each task it waited on whenever its timeout runs out.
        """
        while not self.completed.has_ready():
            deadline = time.monotonic() + THREADS_SECONDS
            # Notified by as_completed as each task's end reaches it (an attribute of its own: without it, this polls).
            ended = getattr(self.completed, "thread_condition", None) or threading.Condition()
            with ended:
                while not self.completed.has_ready() and (left := deadline - time.monotonic()) > 0:
                    ended.wait(min(left, 0.1))
            if self.completed.has_ready():
                return
            self._count_threads()
            if self._threads == 0 and not self._said_no_workers:
                reason = f"the Dask cluster at {self.address} has no workers: it waits for one"
                for name in self.futures.values():
                    self.reporter.module_waiting(name, reason)
                self._said_no_workers = True

    def not_started(self) -> set[str]:
        """None that it can tell: Dask does not say when a task starts."""
        return set()

    def shutdown(self) -> None:
        """Cancel what still runs and close the client (and the LocalCluster, if this executor started one)."""
        if self.futures:
            self.client.cancel(list(self.futures))
            self.futures = {}
        # A client whose scheduler was lost is trying to reconnect; closing it cancels that, which Dask logs as an
        # error with a traceback. What became of each module has been said.
        client_log = logging.getLogger("distributed.client")
        level = client_log.level
        client_log.setLevel(logging.CRITICAL)
        try:
            self.client.close()
        finally:
            client_log.setLevel(level)
        if self.cluster is not None:
            self.cluster.close()
