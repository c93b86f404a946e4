"""Execute the step module type."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Read the input, write a few bytes."""

    def execute(self) -> None:
        """Read the input and write the output."""
        self.read_input("data")
        self.write_output("data", "done")
