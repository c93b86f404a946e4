"""Exit with status 0, or with no code."""

import sys

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        if self.options["code"] == "none":
            sys.exit()
        sys.exit(0)
