"""Forget module instances: delete their outputs and state, and (by default) those of everything downstream."""

from __future__ import annotations

from collections.abc import Sequence

from pimlico_lite.errors import PimlicoLiteError, StoreError
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


def with_state_or_outputs(pipeline: Pipeline, names: Sequence[str]) -> list[str]:
    """Those of ``names`` that a reset would change: with a record in the state database, or a folder in the store."""
    store = Store(pipeline.store_path)
    if not store.path.is_dir():
        return []
    try:
        recorded = store.state.records()
    finally:
        store.state.close()
    return [name for name in names if name in recorded or store.module_dir(name).is_dir()]


def reset(pipeline: Pipeline, instances: Sequence[str]) -> None:
    """Delete the state and outputs of ``instances``; refuse, changing nothing, if any of them is running."""
    store = Store(pipeline.store_path)
    if not store.path.is_dir():
        return  # nothing has run: nothing to forget (and no store to create)
    locks = []
    try:
        for name in instances:
            if not pipeline.instances[name].is_executable:
                continue  # data made elsewhere is never deleted
            # Locked even if it never ran (the lock makes its folder, deleted below): a run may start it any moment.
            lock = store.lock(name)
            if not lock.acquire(blocking=False):
                message = f"cannot reset {name}: another process is running it, or a module that reads it"
                raise PimlicoLiteError(message)
            locks.append(lock)
        # State first: if we stop half-way, folders without state are not outputs, and the next run cleans them.
        store.state.forget(instances)
        left = [folder for name in instances for folder in store.remove_module(name)]
        if left:
            folders = ", ".join(str(folder) for folder in left)
            message = f"forgot the state of {', '.join(instances)}, but could not delete all of {folders}"
            raise StoreError(message)
    except OSError as error:
        message = f"cannot reset in the store {store.path}: {error.strerror or error}"
        raise StoreError(message) from None
    finally:
        for lock in locks:
            lock.release()
        store.state.close()
