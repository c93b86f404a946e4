"""Change an option in place, then write the output."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        self.options["count"] = 99
        self.write_output("data", self.options["count"])
