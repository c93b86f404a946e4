"""The doing side of a module type: ``class ModuleExecutor(BaseModuleExecutor)`` in its ``execute.py``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pimlico_lite.core.options import expand_user

if TYPE_CHECKING:
    import logging

    from pimlico_lite.core.info import BaseModuleInfo

T = TypeVar("T")


class ExecutionContext(Protocol):
    """What the runner gives an executor: options, inputs, the outputs' temporary folders, progress."""

    @property
    def module_name(self) -> str:
        """The module instance's name (``module`` or ``module:stage``)."""

    @property
    def info(self) -> type[BaseModuleInfo]:
        """The module type's ModuleInfo class."""

    @property
    def options(self) -> dict[str, Any]:
        """Every declared option, converted."""

    def option_key(self, name: str) -> str:
        """The key that sets option ``name`` in the config (a stage's options have their stage's prefix there)."""

    @property
    def log(self) -> logging.Logger:
        """The logger whose records go to the run record and the reporter."""

    @property
    def config_dir(self) -> Path:
        """The folder of the pipeline config file."""

    def read_input(self, name: str) -> Any:
        """The value of input ``name`` (a list of values for a multiple input)."""

    def input_dirs(self, name: str) -> list[Path]:
        """The folders holding input ``name``, one per connection."""

    def write_output(self, name: str, value: Any) -> None:
        """Store ``value`` as output ``name`` through its datatype."""

    def output_dir(self, name: str) -> Path:
        """The (temporary, until the module completes) folder for output ``name``."""

    def report_progress(self, done: int, total: int | None) -> None:
        """Tell the reporter how far the module has got."""


class BaseModuleExecutor:
    """Do a module's work; subclass it as ``ModuleExecutor`` in ``execute.py`` and define :meth:`execute`.

    ``self.options`` holds every declared option, converted; ``self.info`` is the module type's ModuleInfo class
    and ``self.module_name`` the module instance's name (``name:stage`` for a stage). Read inputs with
    :meth:`read_input` and write every declared output with :meth:`write_output` (or, for data too large to hold,
    write files into :meth:`output_dir` yourself, or hand a generator to a streaming datatype). Outputs become
    visible to other modules only when :meth:`execute` returns without an error.
    """

    def __init__(self, context: ExecutionContext) -> None:
        self.context = context
        self.info = context.info
        self.module_name = context.module_name
        self.options = context.options
        self.log = context.log

    def execute(self) -> None:
        """Do the work."""
        message = f"{type(self).__name__} has no execute(self) method, the one that does the module's work"
        raise NotImplementedError(message)

    def read_input(self, name: str) -> Any:
        """Return the value of input ``name``; a list for an input that takes multiple connections."""
        return self.context.read_input(name)

    def option_key(self, name: str) -> str:
        """The key that sets option ``name`` in the config, for messages: for a stage of a multistage module, the
        multistage module's option (``train_C`` for the train stage's ``C``); else ``name`` itself."""
        return self.context.option_key(name)

    def input_dirs(self, name: str) -> list[Path]:
        """Return the folders of input ``name``, for executors that read files themselves."""
        return self.context.input_dirs(name)

    def write_output(self, name: str, value: Any) -> None:
        """Store ``value`` as output ``name``."""
        self.context.write_output(name, value)

    def output_dir(self, name: str) -> Path:
        """Return the folder to write output ``name`` into directly (it counts as written once created)."""
        return self.context.output_dir(name)

    def resolve_path(self, path: str | Path) -> Path:
        """Resolve a path from an option: ``~`` expanded, relative to the pipeline config file's folder."""
        return self.context.config_dir / expand_user(path)

    def progress(self, items: Iterable[T], total: int | None = None) -> Iterator[T]:
        """Yield from ``items``, reporting progress as it goes (``total`` defaults to ``len(items)``)."""
        if total is None and isinstance(items, Sized):
            total = len(items)
        done = 0
        self.context.report_progress(done, total)
        for item in items:
            yield item
            done += 1
            self.context.report_progress(done, total)
