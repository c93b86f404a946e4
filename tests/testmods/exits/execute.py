"""Exit with status 0."""

import sys

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        sys.exit(0)
