"""Execute one module instance: give its executor inputs and a temporary output folder, then publish.

Outputs are written into ``run-<id>.partial`` and renamed to ``run-<id>`` only when ``execute()`` returns and every
declared output was written. The caller then records the run as COMPLETE in the state database, which is what
makes the outputs visible to other modules.
"""

from __future__ import annotations

import io
import logging
import os
import resource
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pimlico_lite.datatypes import MultipleInputs
from pimlico_lite.errors import ModuleFailedError, did_you_mean, name_list
from pimlico_lite.execution.reporter import Reporter
from pimlico_lite.pipeline.model import ModuleInstance, Pipeline
from pimlico_lite.store import Store

LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


@dataclass
class ModuleContext:
    """The :class:`~pimlico_lite.core.executor.ExecutionContext` of one run of one module instance."""

    pipeline: Pipeline
    store: Store
    instance: ModuleInstance
    run_id: int
    input_runs: Mapping[str, int]
    reporter: Reporter
    log: logging.Logger
    written: set[str] = field(default_factory=set)

    @property
    def module_name(self) -> str:
        """The module instance's name."""
        return self.instance.name

    @property
    def config_dir(self) -> Path:
        """The folder of the pipeline config file, which relative paths in options start from."""
        return self.pipeline.config_path.parent

    @property
    def options(self) -> dict[str, Any]:
        """The converted option values."""
        return self.instance.options

    @property
    def partial_dir(self) -> Path:
        """Where this run writes its outputs until it completes."""
        return self.store.partial_dir(self.instance.name, self.run_id)

    def _declared_input(self, name: str) -> Any:
        declared = self.instance.info.input_declarations()
        if name not in declared:
            message = f"{self.instance.name} has no input '{name}'{did_you_mean(name, declared)}"
            raise ModuleFailedError(message)
        return declared[name][0]

    def input_dirs(self, name: str) -> list[Path]:
        """The output folders of the modules connected to input ``name``."""
        self._declared_input(name)
        return [
            self.store.run_dir(c.producer, self.input_runs[c.producer]) / c.output
            for c in self.instance.inputs.get(name, [])
        ]

    def read_input(self, name: str) -> Any:
        """Read input ``name`` through each producer's output datatype; a list for a multiple input."""
        declared = self._declared_input(name)
        connections = self.instance.inputs.get(name, [])
        values = []
        for connection, folder in zip(connections, self.input_dirs(name), strict=True):
            producer = self.pipeline.instances[connection.producer]
            datatype = producer.info.output_datatypes()[connection.output]
            values.append(datatype.read(folder))
        if isinstance(declared, MultipleInputs):
            return values
        return values[0] if values else None

    def output_dir(self, name: str) -> Path:
        """The folder of output ``name`` in this run's partial folder, created on first use."""
        outputs = self.instance.info.output_datatypes()
        if name not in outputs:
            hint = did_you_mean(name, outputs)
            message = f"{self.instance.name} has no output '{name}'{hint}; outputs: {name_list(outputs)}"
            raise ModuleFailedError(message)
        folder = self.partial_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        self.written.add(name)
        return folder

    def write_output(self, name: str, value: Any) -> None:
        """Write ``value`` as output ``name`` through its datatype."""
        if name in self.written:
            message = f"{self.instance.name}: output '{name}' was written twice"
            raise ModuleFailedError(message)
        folder = self.output_dir(name)
        self.instance.info.output_datatypes()[name].write(folder, value)

    def report_progress(self, done: int, total: int | None) -> None:
        """Pass progress on to the reporter."""
        self.reporter.module_progress(self.instance.name, done, total)


class _ReporterHandler(logging.Handler):
    """Send an executor's log records to the reporter and keep them for the run record."""

    def __init__(self, name: str, reporter: Reporter) -> None:
        super().__init__()
        self.module_name = name
        self.reporter = reporter
        self.buffer = io.StringIO()
        self.setFormatter(logging.Formatter(LOG_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.buffer.write(self.format(record) + "\n")
        self.reporter.module_log(self.module_name, record.getMessage())


@dataclass
class Execution:
    """What one execution leaves behind for its run record, whether it succeeded or not."""

    log: str = ""
    peak_memory_kb: int | None = None


def execute_module(
    pipeline: Pipeline,
    store: Store,
    instance: ModuleInstance,
    run_id: int,
    input_runs: Mapping[str, int],
    reporter: Reporter,
    execution: Execution,
) -> None:
    """Run ``instance``'s executor and publish its outputs as ``run-<run_id>``; raise whatever it raised."""
    logger = logging.getLogger(f"pimlico_lite.run.{instance.name}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = _ReporterHandler(instance.name, reporter)
    logger.addHandler(handler)
    context = ModuleContext(pipeline, store, instance, run_id, input_runs, reporter, logger)
    partial = context.partial_dir
    try:
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        executor = instance.info.load_executor()(context)
        executor.execute()
        missing = [name for name in instance.info.output_datatypes() if name not in context.written]
        if missing:
            message = f"execute() returned without writing output {name_list(missing)}"
            raise ModuleFailedError(message)
        os.replace(partial, store.run_dir(instance.name, run_id))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(handler)
        execution.log = handler.buffer.getvalue()
        execution.peak_memory_kb = peak_memory_kb()


def peak_memory_kb() -> int:
    """The peak resident set size of this process so far, in KiB (``ru_maxrss``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak
