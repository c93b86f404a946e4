"""Execute the source module type."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Write a few bytes."""

    def execute(self) -> None:
        """Write the output."""
        self.write_output("data", "done")
