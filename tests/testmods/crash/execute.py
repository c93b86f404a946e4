"""Dereference a null pointer."""

import ctypes

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        ctypes.string_at(0)
