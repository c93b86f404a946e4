"""Write one output, fork a child that leaves its own way, wait for it, write the other."""

import os
import signal
import sys
import time

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        self.write_output("data", "before the fork")
        how = self.options["child"]
        pid = os.fork()
        if pid == 0:
            if how == "exits":
                sys.exit(0)
            if how == "sigterm":
                time.sleep(30)
            return
        if how == "sigterm":
            time.sleep(0.3)
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        self.write_output("more", "after it")
