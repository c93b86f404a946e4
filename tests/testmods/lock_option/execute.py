"""Use the lock, then write the output."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        with self.options["lock"]:
            self.write_output("data", "locked")
