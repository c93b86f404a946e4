"""Say which process runs it, after a pause (so that two of them run at once in two workers)."""

import os
import time
from pathlib import Path

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        time.sleep(self.options["seconds"])
        print(f"{self.module_name} was here")  # what a module prints must reach the run's output
        command = Path("/proc/self/cmdline").read_bytes().split(b"\0")
        threads = os.environ.get("OPENBLAS_NUM_THREADS")
        said = {"pid": os.getpid(), "ppid": os.getppid(), "command": [c.decode() for c in command], "blas": threads}
        self.write_output("data", said)
