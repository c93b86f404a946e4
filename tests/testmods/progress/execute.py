"""Step slowly, logging."""

import time

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        for step in self.progress(range(self.options["steps"])):
            time.sleep(self.options["seconds"])
            self.log.info("step %d", step)
        time.sleep(self.options["rest"])
        self.write_output("data", self.options["steps"])
