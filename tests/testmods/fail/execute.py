"""Fail after writing part of an output."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        (self.output_dir("data") / "half-written").write_text("partial")
        message = "this module always fails"
        raise ValueError(message)
