"""Start a long-lived child, then crash (or wait)."""

import ctypes
import os
import time

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        if os.fork() == 0:  # a forked child, as multiprocessing would make
            time.sleep(10)
            os._exit(0)
        if self.options["crash"]:
            ctypes.string_at(0)
        time.sleep(30)
