"""Return a generator (a yield in execute), a coroutine (async def execute), the output, or something extra."""

from collections.abc import Coroutine, Generator
from typing import Any

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> Any:
        returns = self.options["returns"]
        if returns == "generator":
            return self.written_lazily()
        if returns == "coroutine":
            return self.written_asynchronously()
        if returns == "output":
            return {"data": [1, 2]}
        self.write_output("data", [1, 2])  # (and returns something extra)
        return True

    def written_lazily(self) -> Generator[int, None, None]:
        yield 1
        self.write_output("data", [1, 2])

    async def written_asynchronously(self) -> Coroutine[Any, Any, None]:
        self.write_output("data", [1, 2])
