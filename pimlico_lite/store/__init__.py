"""The store: a pipeline's output folders, its state database and its module locks."""

from pimlico_lite.store.layout import ModuleLock, Store
from pimlico_lite.store.state import COMPLETE, FAILED, RUNNING, Completion, ModuleRecord, RunRecord, StateDatabase

__all__ = [
    "COMPLETE",
    "FAILED",
    "RUNNING",
    "Completion",
    "ModuleLock",
    "ModuleRecord",
    "RunRecord",
    "StateDatabase",
    "Store",
]
