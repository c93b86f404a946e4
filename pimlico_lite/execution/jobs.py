"""Run one job and describe how it ended, wherever it runs; and what a run records about memory.

:func:`run_job` turns every exception a module raises into an :class:`Outcome`, so executors (in this process, in
a worker process, on a Dask worker) only pass outcomes back. Interrupts (Ctrl-C, SIGTERM) are not outcomes: they
propagate to the process that decides what an interrupt means.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from pimlico_lite.errors import OptionError
from pimlico_lite.execution.execute import Execution, Job, execute_job
from pimlico_lite.execution.reporter import Reporter

_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


@dataclass(frozen=True)
class Outcome:
    """How a job ended: ``error`` is None when it completed.

    ``started`` and ``finished`` (seconds since the epoch) say when the module ran, which for a job that waited in
    a worker's queue is later than when the scheduler handed it over; the same moment twice for a job stopped
    before it started; None when nobody can tell (a job that could not be sent, or whose worker died).
    ``option`` is the config key of the option that an :class:`~pimlico_lite.errors.OptionError` blamed.
    ``stopped``: the run stopped the job (an interrupt, a bug of the run's own), which is no failure of the module.
    """

    error: str | None = None
    traceback: str = ""
    log: str = ""
    peak_memory_kb: int | None = None
    started: float | None = None
    finished: float | None = None
    option: str | None = None
    stopped: bool = False

    @property
    def ran(self) -> tuple[float, float] | None:
        """(started, finished) if the job ran."""
        return None if self.started is None or self.finished is None else (self.started, self.finished)


class Terminated(BaseException):
    """Raised in the main thread by SIGTERM (or SIGHUP: the terminal closed) while a run goes on, so that it can record
    its interruption and clean up; its argument is the signal's name."""

    @property
    def signal_name(self) -> str:
        """The name of the signal that raised it."""
        return str(self.args[0]) if self.args else "SIGTERM"


def run_job(
    job: Job, reporter: Reporter, stops: tuple[type[BaseException], ...] = (KeyboardInterrupt, Terminated)
) -> Outcome:
    """Execute ``job``, measuring its peak memory. Whatever the module raises fails it, and only it (a module's
    ``sys.exit()``, asyncio's ``CancelledError``), except ``stops``: an interrupt of the run itself (Ctrl-C or
    SIGTERM in the process running the run; a worker process ignores them, and passes none)."""
    reset_peak_memory()
    execution = Execution()
    started = time.time()
    try:
        execute_job(job, reporter, execution)
    except stops:
        raise
    except BaseException as exception:
        said = str(exception) or ("sys.exit() with no code" if isinstance(exception, SystemExit) else "")
        if isinstance(exception, OptionError):  # (its message names the option: where it is set is added later)
            error, option = said, exception.key
        else:
            error, option = f"{type(exception).__name__}: {said}" if said else type(exception).__name__, None
        finished = time.time()
        return Outcome(error, traceback.format_exc(), execution.log, peak_memory_kb(), started, finished, option)
    return Outcome(None, "", execution.log, peak_memory_kb(), started, time.time())


class _ProcFiles:
    """This process's /proc files, opened once: re-reading an open /proc file is much cheaper than opening it."""

    def __init__(self) -> None:
        self.pid = 0
        self.clear_refs: int | None = None
        self.status: int | None = None

    def open(self) -> None:
        if self.pid == os.getpid():
            return
        self.pid = os.getpid()
        try:
            self.clear_refs = os.open(_CLEAR_REFS, os.O_WRONLY)
            self.status = os.open(_STATUS, os.O_RDONLY)
        except OSError:
            self.clear_refs = self.status = None


_PROC = _ProcFiles()


def reset_peak_memory() -> None:
    """Reset this process's peak resident memory (Linux: ``/proc/self/clear_refs``), so the next reading is the
    peak since now; elsewhere, do nothing (the reading is then the process's peak so far)."""
    _PROC.open()
    if _PROC.clear_refs is not None:
        with contextlib.suppress(OSError):
            os.write(_PROC.clear_refs, b"5")


def peak_memory_kb() -> int:
    """This process's peak resident memory in KiB, since the last :func:`reset_peak_memory` where supported."""
    _PROC.open()
    if _PROC.status is not None:
        with contextlib.suppress(OSError, ValueError):
            text = os.pread(_PROC.status, 8192, 0)
            start = text.index(b"VmHWM:") + 6
            return int(text[start : text.index(b"kB", start)])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak
