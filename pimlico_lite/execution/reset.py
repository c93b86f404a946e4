"""Forget module instances: delete their outputs and state. ``reset`` forgets those named (by default with everything
downstream); ``clean`` those the config no longer has (a section removed or renamed, a stage renamed)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from pimlico_lite.errors import PimlicoLiteError, StoreError, UsageError
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
    recorded = _recorded(store)
    return [name for name in names if name in recorded or store.module_dir(name).is_dir()]


def reset(pipeline: Pipeline, instances: Sequence[str]) -> list[str]:
    """Delete the state and outputs of ``instances`` (of data made elsewhere, what a module of its name left in the
    store: never the data); return those whose folder is a symbolic link (or in one), whose state alone is
    forgotten. Refuse, changing nothing, if a process runs or reads any of them."""
    store = Store(pipeline.store_path)
    if not store.path.is_dir():
        return []  # nothing has run: nothing to forget (and no store to make)
    return _forget(store, instances, "reset")


def left_behind(pipeline: Pipeline) -> list[str]:
    """The module instances that have state or a folder in the pipeline's store but are not in its config, in order
    of name: a section removed or renamed, a stage renamed, a plain module made multistage or the other way round."""
    store = Store(pipeline.store_path)
    found = {*_recorded(store), *store.module_folders()}
    return sorted(name for name in found if name not in pipeline.instances)


def refuse_if_shared(pipeline: Pipeline) -> None:
    """UsageError if another config file that has run the pipeline's folder of the store still runs it: its modules
    are not in this config, and would look left behind. (One that is gone, or names another pipeline or store
    now, does not count; one that no longer loads does, since where it puts its modules cannot be told.)"""
    from pimlico_lite.pipeline import load_pipeline

    current = pipeline.config_path.resolve()
    ours = pipeline.store_path.resolve()
    for other in Store(pipeline.store_path).configs():
        if not os.path.isfile(other) or os.path.samefile(other, current):
            continue
        try:
            shared = load_pipeline(other).store_path.resolve() == ours
            why = "whose modules this config may not have"
        except PimlicoLiteError as error:
            shared, why = True, f"which does not load ({str(error).splitlines()[0]}), so its modules cannot be told"
        if shared:
            message = (
                f"the store's folder of pipeline '{pipeline.name}' ({pipeline.store_path}) is also run from {other},"
                f" {why}: cleaning would delete their outputs. Clean after deleting the other config or giving it"
                " another pipeline name"
            )
            raise UsageError(message)


def clean(pipeline: Pipeline, names: Sequence[str]) -> list[str]:
    """Delete the state and outputs of ``names``, which :func:`left_behind` found; return those whose folder is a
    symbolic link (or in one), whose state alone is forgotten. Refuse, changing nothing, if another config file
    still runs the store (:func:`refuse_if_shared`), or a process runs or reads one of them."""
    refuse_if_shared(pipeline)
    return _forget(Store(pipeline.store_path), names, "clean up")


def _recorded(store: Store) -> set[str]:
    """The module instances with a record in the store's state database (none when there is no store; a StoreError
    for one this user may not look into)."""
    try:
        return set(store.state.records())
    finally:
        store.state.close()


def _forget(store: Store, names: Sequence[str], doing: str) -> list[str]:
    """Forget the state of ``names`` in ``store`` and delete their folders, with their locks held; return those whose
    folder is a symbolic link (or in one): what a link leads to is never ours to delete, so their folders stay.
    Refuse, changing nothing, if any of them is running or being read."""
    linked = [name for name in names if store.is_linked(name)]
    folders = [name for name in names if name not in linked]
    locks = []
    try:
        for name in folders:
            # Locked even if it never ran (the lock makes its folder, deleted below): a run may start it any moment,
            # from another config, too, where a module made elsewhere here is one that runs.
            lock = store.lock(name)
            if not lock.acquire(blocking=False):
                message = f"cannot {doing} {name}: another process is running it, or a module that reads it"
                raise PimlicoLiteError(message)
            locks.append(lock)
        # State first: if we stop half-way, folders without state are not outputs, and the next run cleans them.
        store.state.forget(names)
        left = [folder for name in folders for folder in store.remove_module(name)]
        if left:
            shown = ", ".join(str(folder) for folder in left)
            message = f"forgot the state of {', '.join(names)}, but could not delete all of {shown}"
            raise StoreError(message)
    except OSError as error:
        message = f"cannot {doing} in the store {store.path}: {error.strerror or error}"
        raise StoreError(message) from None
    finally:
        for lock in locks:
            lock.release()
        store.state.close()
    return linked
