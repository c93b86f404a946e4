"""Do the work in run(), which nothing calls."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def run(self) -> None:
        self.write_output("data", [1, 2])
