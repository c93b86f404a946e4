"""Never reached in a worker."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        self.write_output("data", self.options["function"]())
