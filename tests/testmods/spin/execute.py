"""Count."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        total = 0
        for number in range(self.options["iterations"]):
            total += number % 7
        self.write_output("data", total)
