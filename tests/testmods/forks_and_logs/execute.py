"""Fork two children; each process logs `lines` lines of `size` characters, named by who logged them."""

import os

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        children = []
        for child in ("first", "second"):
            pid = os.fork()
            if pid == 0:
                self.log_lines(child)
                os._exit(0)
            children.append(pid)
        self.log_lines("parent")
        for pid in children:
            os.waitpid(pid, 0)
        self.write_output("data", "done")

    def log_lines(self, who: str) -> None:
        for number in range(self.options["lines"]):
            self.log.info("%s %d %s", who, number, "c" * self.options["size"])
