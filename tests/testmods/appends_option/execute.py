"""Append to the list option, then write what it held."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        self.options["words"].append(self.module_name)
        self.write_output("data", list(self.options["words"]))
