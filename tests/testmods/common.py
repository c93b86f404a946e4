"""Executors shared by the test module types."""

import os
import time
from pathlib import Path

from pimlico_lite import BaseModuleExecutor


def record_execution(name: str) -> None:
    """Append ``name`` to the file named by $PIMLICO_TEST_EXECUTIONS, so tests can count executions."""
    path = os.environ.get("PIMLICO_TEST_EXECUTIONS")
    if path:
        with Path(path).open("a") as file:
            file.write(name + "\n")


class EchoExecutor(BaseModuleExecutor):
    """Write, to every output, what the module received: its name, inputs and options."""

    def execute(self) -> None:
        record_execution(self.module_name)
        inputs = {name: self.read_input(name) for name in self.info.input_declarations()}
        inputs = {name: value for name, value in inputs.items() if value is not None}
        seconds = float(os.environ.get("PIMLICO_TEST_SLEEP", "0"))
        if seconds:
            time.sleep(seconds)
        if os.environ.get("PIMLICO_TEST_FAIL") == self.module_name:
            message = "failing on purpose"
            raise ValueError(message)
        for name in self.info.output_datatypes():
            self.write_output(name, {"module": self.module_name, "inputs": inputs, "options": self.options})
