"""Forget module instances: delete their outputs and state. ``reset`` forgets those named (by default with everything
downstream); ``clean`` those the config no longer has (a section removed or renamed, a stage renamed)."""

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
    if store.path.is_dir():  # (else nothing has run: nothing to forget, and no store to create)
        # Data made elsewhere is never deleted.
        _forget(store, [name for name in instances if pipeline.instances[name].is_executable], "reset")


def left_behind(pipeline: Pipeline) -> list[str]:
    """The module instances that have state or a folder in the pipeline's store but are not in its config, in order
    of name: a section removed or renamed, a stage renamed, a plain module made multistage or the other way round."""
    store = Store(pipeline.store_path)
    if not store.path.is_dir():
        return []
    try:
        recorded = store.state.records()
    finally:
        store.state.close()
    return sorted(name for name in {*recorded, *store.module_folders()} if name not in pipeline.instances)


def clean(pipeline: Pipeline, names: Sequence[str]) -> None:
    """Delete the state and outputs of ``names``, which :func:`left_behind` found; refuse, changing nothing, if a
    process runs any of them (from another config of the same pipeline name, say)."""
    _forget(Store(pipeline.store_path), names, "clean up")


def _forget(store: Store, names: Sequence[str], doing: str) -> None:
    """Delete the state and outputs of ``names`` in ``store``, with each one's lock held; refuse, changing nothing, if
    any of them is running or being read."""
    locks = []
    try:
        for name in names:
            # Locked even if it never ran (the lock makes its folder, deleted below): a run may start it any moment.
            lock = store.lock(name)
            if not lock.acquire(blocking=False):
                message = f"cannot {doing} {name}: another process is running it, or a module that reads it"
                raise PimlicoLiteError(message)
            locks.append(lock)
        # State first: if we stop half-way, folders without state are not outputs, and the next run cleans them.
        store.state.forget(names)
        left = [folder for name in names for folder in store.remove_module(name)]
        if left:
            folders = ", ".join(str(folder) for folder in left)
            message = f"forgot the state of {', '.join(names)}, but could not delete all of {folders}"
            raise StoreError(message)
    except OSError as error:
        message = f"cannot {doing} in the store {store.path}: {error.strerror or error}"
        raise StoreError(message) from None
    finally:
        for lock in locks:
            lock.release()
        store.state.close()
