"""Allocate, touch, and write the size."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        block = bytearray(self.options["megabytes"] * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])
        self.write_output("data", len(block))
