"""Forget module instances: delete their outputs and state, and (by default) those of everything downstream."""

from __future__ import annotations

from collections.abc import Sequence

from pimlico_lite.errors import PimlicoLiteError
from pimlico_lite.execution.planner import resolve_name
from pimlico_lite.pipeline.model import Pipeline
from pimlico_lite.store import Store


def plan_reset(pipeline: Pipeline, names: Sequence[str], with_dependents: bool = True) -> list[str]:
    """The module instances that ``reset names`` deletes, in config order (a multistage name means every stage)."""
    chosen: list[str] = []
    for name in names:
        group, instances = resolve_name(pipeline, name)
        chosen.extend(instances if instances or group is None else group.stages)
    if with_dependents:
        return pipeline.downstream(chosen)
    return [name for name in pipeline.instances if name in set(chosen)]


def reset(pipeline: Pipeline, instances: Sequence[str]) -> None:
    """Delete the state and outputs of ``instances``; refuse, changing nothing, if any of them is running."""
    store = Store(pipeline.store_path)
    locks = []
    try:
        for name in instances:
            lock = store.lock(name)
            if not lock.acquire(blocking=False):
                message = f"cannot reset {name}: another process is running it"
                raise PimlicoLiteError(message)
            locks.append(lock)
        # State first: if we stop half-way, folders without state are not outputs, and the next run cleans them.
        store.state.forget(instances)
        for name in instances:
            store.remove_module(name)
    finally:
        for lock in locks:
            lock.release()
        store.state.close()
