"""Execute one module instance: give its executor inputs and a temporary output folder, then publish.

Everything an execution needs is in a picklable :class:`Job`, so it runs the same in this process, in a worker
process or on a Dask worker. Outputs are written into ``run-<id>.partial`` and renamed to ``run-<id>`` only when
``execute()`` returns and every declared output was written. The caller then records the run as COMPLETE in the
state database, which is what makes the outputs visible to other modules.
"""

from __future__ import annotations

import contextlib
import errno
import inspect
import io
import logging
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pimlico_lite.core.info import BaseModuleInfo
from pimlico_lite.core.multistage import stage_option_key
from pimlico_lite.datatypes import Datatype, MultipleInputs
from pimlico_lite.errors import ModuleFailedError, did_you_mean, name_list
from pimlico_lite.execution.reporter import Reporter
from pimlico_lite.lines import flush_standard_streams

LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"
# One formatter for every job's handler (making one parses the format: a few microseconds per module).
_FORMATTER = logging.Formatter(LOG_FORMAT)


@dataclass(frozen=True)
class InputSource:
    """One connection of an input, resolved: the folder holding the output, and the datatype that reads it."""

    folder: Path
    datatype: Datatype


@dataclass(frozen=True)
class Job:
    """What it takes to execute one run of one module instance, anywhere that sees the store."""

    name: str
    run_id: int
    info: type[BaseModuleInfo]
    options: dict[str, Any]
    inputs: dict[str, list[InputSource]]
    partial_dir: Path
    final_dir: Path
    config_dir: Path
    python_path: tuple[str, ...] = ()
    # See ModuleInstance.option_keys and dynamic_prefix (None: a module's own options are set by their names).
    option_keys: dict[str, str] | None = None
    dynamic_prefix: str = ""
    # Where the module's log lines are written as they come (Store.run_log_path), so that `log` shows them while it
    # runs, and after a crash or an interrupt that left no outcome with them.
    log_path: str | None = None
    # Whether another attempt of the same run may publish it too (a Dask task run again): then the first to finish
    # publishes, and a later one drops its outputs. Otherwise a run folder already there is one no record names (the
    # state database was deleted, and run ids start again): it is replaced.
    attempts_may_repeat: bool = False


@dataclass
class ModuleContext:
    """The :class:`~pimlico_lite.core.executor.ExecutionContext` of one job."""

    job: Job
    reporter: Reporter
    log: logging.Logger
    written: set[str] = field(default_factory=set)
    # Those of them written through write_output (the others are folders handed out by output_dir).
    filled: set[str] = field(default_factory=set)

    @property
    def module_name(self) -> str:
        """The module instance's name."""
        return self.job.name

    @property
    def config_dir(self) -> Path:
        """The folder of the pipeline config file, which relative paths in options start from."""
        return self.job.config_dir

    @property
    def info(self) -> type[BaseModuleInfo]:
        """The module type's ModuleInfo class."""
        return self.job.info

    @property
    def options(self) -> dict[str, Any]:
        """The converted option values."""
        return self.job.options

    def option_key(self, name: str) -> str:
        """The key that sets option ``name`` in the config: ``train_C`` for a stage's ``C``, say."""
        return stage_option_key(self.job.option_keys, self.job.dynamic_prefix, name)

    def _sources(self, name: str) -> tuple[Any, list[InputSource]]:
        declared = self.job.info.input_declarations()
        if name not in declared:
            message = f"{self.job.name} has no input '{name}'{did_you_mean(name, declared)}"
            raise ModuleFailedError(message)
        return declared[name][0], self.job.inputs.get(name, [])

    def input_dirs(self, name: str) -> list[Path]:
        """The output folders of the modules connected to input ``name``."""
        return [source.folder for source in self._sources(name)[1]]

    def read_input(self, name: str) -> Any:
        """Read input ``name`` through each producer's output datatype; a list for a multiple input."""
        declared, sources = self._sources(name)
        values = [source.datatype.read(source.folder) for source in sources]
        if isinstance(declared, MultipleInputs):
            return values
        return values[0] if values else None

    def output_dir(self, name: str) -> Path:
        """The folder of output ``name`` in this run's partial folder, created on first use."""
        outputs = self.job.info.output_datatypes()
        if name not in outputs:
            hint = did_you_mean(name, outputs)
            message = f"{self.job.name} has no output '{name}'{hint}; outputs: {name_list(outputs)}"
            raise ModuleFailedError(message)
        folder = self.job.partial_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        self.written.add(name)
        return folder

    def write_output(self, name: str, value: Any) -> None:
        """Write ``value`` as output ``name`` through its datatype."""
        if name in self.written:
            message = f"{self.job.name}: output '{name}' was written twice"
            raise ModuleFailedError(message)
        folder = self.output_dir(name)
        datatype = self.job.info.output_datatypes()[name]
        try:
            datatype.write(folder, value)
        except TypeError as error:  # a value of a type its datatype cannot write (a set as JSON): with the output named
            hint = " (a generator: give a list, list(...))" if "generator" in str(error) else ""
            failed = f"{type(error).__name__}: {error}{hint}"
            message = f"writing output '{name}' as {type(datatype).__name__} failed: {failed}"
            raise ModuleFailedError(message) from error
        self.filled.add(name)

    def report_progress(self, done: int, total: int | None) -> None:
        """Pass progress on to the reporter."""
        self.reporter.module_progress(self.job.name, done, total)


def _check_plain(execute: Callable[[], object]) -> None:
    """Fail a module whose ``execute`` is a generator or async function: calling it would not run its body."""
    if inspect.isgeneratorfunction(execute) or inspect.isasyncgenfunction(execute):
        kind = "a generator (it has a yield)"
    elif inspect.iscoroutinefunction(execute):
        kind = "async"
    else:
        return
    message = f"execute() is {kind}, so calling it would not run its body: do the work in a plain def execute(self)"
    raise ModuleFailedError(message)


def _missing_outputs(missing: list[str], returned: object) -> str:
    """Why a module whose ``execute()`` returned ``returned`` without writing outputs ``missing`` failed."""
    said = ""
    if returned is not None:
        import reprlib

        said = f" (it returned {reprlib.repr(returned)}: outputs are written with self.write_output(NAME, value))"
    return f"execute() returned without writing output {name_list(missing)}{said}"


def _leave_if_forked(owner: int, code: int) -> None:
    """End a process that the module forked (``os.fork()``) and that came back out of ``execute()``, returning or
    raising, with ``code``: only the process that runs the job goes on with it (a child went on to publish or delete
    the job's partial folder, or to run the scheduler's code)."""
    if os.getpid() == owner:
        return
    if code:
        import traceback

        traceback.print_exc()
    flush_standard_streams()
    os._exit(code)


def _check_filled(name: str, datatype: Datatype, folder: Path) -> None:
    """Fail a module that left the folder ``output_dir(name)`` gave it empty (a module reading it failed instead, on a
    file not found). What a module writes there is its own business: files no datatype marks, read by ``input_dirs``,
    are a way to pass data on; nothing at all is not."""
    with os.scandir(folder) as entries:
        empty = next(entries, None) is None
    if empty:
        marker = f" (a {type(datatype).__name__} is read from its {datatype.marker_file})"
        message = f"output '{name}': the folder output_dir() gave was left empty{marker}"
        raise ModuleFailedError(message)


class _ReporterHandler(logging.Handler):
    """Send an executor's log records to the reporter, keep them for the run record, and write them to the run's log
    file as they come (opened at the first record: most modules log nothing)."""

    def __init__(self, name: str, reporter: Reporter, path: str | None) -> None:
        super().__init__()
        self.module_name = name
        self.reporter = reporter
        self.buffer = io.StringIO()
        self.path = path
        self.file: TextIO | None = None
        self.setFormatter(_FORMATTER)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # A message with text that is not UTF-8 (a file name from os.listdir, say) is kept, escaped: the log file
            # and the state database take UTF-8 only.
            message = _as_utf8(record.getMessage())
        except RecursionError:
            raise
        except Exception as error:  # a bad format string or argument: said in a line of its own, not a traceback
            said = f"{record.msg!r} % {record.args!r}"
            message = _as_utf8(f"(a log call could not be formatted: {said}: {type(error).__name__}: {error})")
            record = logging.makeLogRecord({**record.__dict__, "msg": message, "args": None})
        line = _as_utf8(self.format(record)) + "\n"
        self.buffer.write(line)
        if self.path is not None:
            self.write_to_file(line)
        self.reporter.module_log(self.module_name, message)

    def write_to_file(self, line: str) -> None:
        """Append ``line`` to the log file; a failure (a full disk, say) stops the file, not the module, whose outcome
        still carries the whole log."""
        try:
            file = self.file
            if file is None and self.path is not None:
                # Appending, in the module's process and in those it forked, so that none writes over another.
                descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
                file = self.file = open(descriptor, "w", encoding="utf-8", newline="")  # noqa: SIM115  (close_file())
            if file is not None:
                file.write(line)
                file.flush()
        except OSError:
            self.path = None

    def close_file(self) -> None:
        """Close the log file, if the module logged (the handler itself is dropped with the job, as it always was:
        logging.Handler.close() takes logging's module lock, a cost for every module)."""
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.close()


def _as_utf8(text: str) -> str:
    """``text``, with what UTF-8 cannot encode (lone surrogates, from bytes that were not UTF-8) escaped."""
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class Execution:
    """What one execution leaves behind for its run record, whether it succeeded or not."""

    log: str = ""


def execute_job(job: Job, reporter: Reporter, execution: Execution) -> None:
    """Run the job's executor and publish its outputs as ``final_dir``; raise whatever it raised."""
    for entry in job.python_path:
        if entry not in sys.path:
            sys.path.insert(0, entry)
    # One logger for every module: a logger per module instance would make each setLevel() clear the level caches
    # of all of them. A job runs at a time per process, and the handler says which module a record belongs to.
    logger = logging.getLogger("pimlico_lite.module")
    if logger.level != logging.INFO:
        logger.setLevel(logging.INFO)
        logger.propagate = False
    handler = _ReporterHandler(job.name, reporter, job.log_path)
    logger.addHandler(handler)
    context = ModuleContext(job, reporter, logger)
    owner = os.getpid()
    try:
        _make_empty_dir(job.partial_dir)
        executor = job.info.load_executor()(context)
        _check_plain(executor.execute)
        returned = executor.execute()  # type: ignore[func-returns-value]  # (None, unless its author erred)
        _leave_if_forked(owner, 0)
        missing = [name for name in job.info.output_datatypes() if name not in context.written]
        if missing:
            raise ModuleFailedError(_missing_outputs(missing, returned))
        for name in context.written - context.filled:
            _check_filled(name, job.info.output_datatypes()[name], job.partial_dir / name)
        try:
            os.replace(job.partial_dir, job.final_dir)
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise  # (the partial folder gone, say: never a reason to touch the run's folder)
            if job.attempts_may_repeat:
                # Another attempt of the same run published first: its outputs are as complete, and may be read
                # already; this attempt's go.
                shutil.rmtree(job.partial_dir, ignore_errors=True)
            else:
                shutil.rmtree(job.final_dir, ignore_errors=True)
                os.replace(job.partial_dir, job.final_dir)
    except BaseException:
        _leave_if_forked(owner, 1)
        shutil.rmtree(job.partial_dir, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(handler)
        handler.close_file()
        execution.log = handler.buffer.getvalue()


def _make_empty_dir(folder: Path) -> None:
    """Create ``folder`` empty, deleting what an earlier attempt of the same job left there (a retried Dask job)."""
    try:
        folder.mkdir()
    except FileExistsError:
        shutil.rmtree(folder)
        folder.mkdir()
    except FileNotFoundError:  # the module's folder is made by its lock; elsewhere (a test, a Dask job) maybe not
        folder.mkdir(parents=True)
