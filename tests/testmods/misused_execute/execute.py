"""An execute() that is a generator (a yield in it), async, or an async generator; or a plain one that returns the
output instead of writing it, or returns something besides writing it."""

from collections.abc import AsyncGenerator, Generator
from typing import Any

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.core.executor import ExecutionContext


class ModuleExecutor(BaseModuleExecutor):
    def __init__(self, context: ExecutionContext) -> None:
        super().__init__(context)
        kinds = {
            "generator": self.execute_with_a_yield,
            "coroutine": self.execute_async,
            "async-generator": self.execute_async_with_a_yield,
        }
        if self.options["returns"] in kinds:
            self.execute = kinds[self.options["returns"]]  # type: ignore[method-assign]

    def execute(self) -> Any:
        if self.options["returns"] == "output":
            return {"data": [1, 2]}
        self.write_output("data", [1, 2])
        if self.options["returns"] == "a-generator":
            return (value for value in (1, 2))  # (returned beside the output written: let be)
        return True

    def execute_with_a_yield(self) -> Generator[int, None, None]:
        yield 1
        self.write_output("data", [1, 2])

    async def execute_async(self) -> None:
        self.write_output("data", [1, 2])

    async def execute_async_with_a_yield(self) -> AsyncGenerator[int, None]:
        yield 1
        self.write_output("data", [1, 2])
