"""Print a line to each standard stream."""

import sys

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        print("said on stdout")
        print("said on stderr", file=sys.stderr)
        self.write_output("data", "spoken")
