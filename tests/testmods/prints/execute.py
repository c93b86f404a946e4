"""Print."""

import io
import os
import sys
import time

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        wanted = self.options["stdout_is"]
        if wanted and not isinstance(sys.stdout, getattr(io, wanted)):
            message = f"sys.stdout is a {type(sys.stdout).__name__}, not an io.{wanted}"
            raise TypeError(message)
        children = []
        for number in range(self.options["children"]):
            pid = os.fork()
            if pid == 0:
                try:
                    if self.options["children_log"]:
                        self.log.info("child %d logs", number)
                    self.say(f"child {number}")
                    sys.stdout.flush()
                finally:
                    os._exit(0)
            children.append(pid)
        self.say("parent")
        for pid in children:
            os.waitpid(pid, 0)
        if self.options["children_log"]:  # after the children's lines: the module's first line must not erase them
            self.log.info("parent logs")
        if self.options["unended"]:
            sys.stdout.write(self.options["unended"])
            sys.stdout.flush()
        if self.options["raw"]:
            sys.stdout.buffer.write(b"written as bytes\n")
            sys.stdout.buffer.flush()
        self.write_output("data", self.options["lines"])

    def say(self, who: str) -> None:
        for line in range(self.options["lines"]):
            print(
                f"{who} line {line} " + "x" * self.options["width"], file=sys.stderr if self.options["stderr"] else None
            )
            if self.options["pause"]:
                time.sleep(self.options["pause"])
