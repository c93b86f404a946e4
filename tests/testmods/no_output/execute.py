"""Write nothing."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        self.log.info("doing nothing")
