"""Await a task that is cancelled."""

import asyncio

from pimlico_lite import BaseModuleExecutor


async def _waits_for_a_cancelled_task() -> None:
    task = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    task.cancel()
    await task


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        asyncio.run(_waits_for_a_cancelled_task())
