"""Raise KeyboardInterrupt."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        raise KeyboardInterrupt
