"""how = catch: wait for Ctrl-C for up to 30 s, catch it, and finish; how = handler: put in a SIGINT handler that
prints, and finish. Says that it starts in $PIMLICO_TEST_EXECUTIONS."""

import signal
import time

from testmods.common import record_execution

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        record_execution(self.module_name)
        if self.options["how"] == "handler":
            signal.signal(signal.SIGINT, lambda number, frame: print("the module's own handler ran"))
        else:
            try:
                time.sleep(30)
            except KeyboardInterrupt:
                self.log.info("caught Ctrl-C: finishing early")
        self.write_output("data", "done")
