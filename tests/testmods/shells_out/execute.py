"""Run `sleep 60`, after saying it starts (in $PIMLICO_TEST_EXECUTIONS)."""

import subprocess

from testmods.common import record_execution

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        record_execution(self.module_name)
        subprocess.run(["sleep", "60"], check=True)
        self.write_output("data", "slept")
