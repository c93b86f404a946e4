"""Execute the gather module type."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Read every input, write a few bytes."""

    def execute(self) -> None:
        """Read the inputs and write the output."""
        self.read_input("parts")
        self.write_output("data", "done")
