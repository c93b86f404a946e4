"""Log oddly, then log a plain line."""

import os

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        mode = self.options["mode"]
        if mode == "surrogate":
            self.log.info("file %s", os.fsdecode(b"caf\xe9.txt"))
        elif mode == "bad_format":
            self.log.info("%d files", "some")
        else:
            self.log.info("tool output:\r\n" + "ok\r\n" * 60)
            pid = os.fork()
            if pid == 0:
                try:
                    self.log.info("child line")
                finally:
                    os._exit(0)
            os.waitpid(pid, 0)
        self.log.info("after")
        self.write_output("data", mode)
