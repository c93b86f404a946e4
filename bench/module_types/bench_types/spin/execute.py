"""Execute the spin module type."""

from pimlico_lite import BaseModuleExecutor


def spin(loops: int) -> int:
    """Busy-loop in pure Python; the same loop as the peers' CPU-bound step."""
    total = 0
    for i in range(loops):
        total = (total * 31 + i) % 1_000_003
    return total


class ModuleExecutor(BaseModuleExecutor):
    """Spin, then write a few bytes."""

    def execute(self) -> None:
        """Spin and write the output."""
        self.write_output("data", str(spin(self.options["loops"])))
