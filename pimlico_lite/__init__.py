"""pimlico_lite: a config-file-driven pipeline runner in the tradition of Pimlico.

The names a module type needs are importable from here; the rest of the API (``load_pipeline``, ``run``) is
loaded on first use, so that importing a module type's ``info.py`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pimlico_lite.core import (
    BaseModuleExecutor,
    BaseModuleInfo,
    InternalModuleConnection,
    ModuleInputConnection,
    ModuleOutputConnection,
    ModuleStage,
    multistage_module,
)
from pimlico_lite.errors import PimlicoLiteError

if TYPE_CHECKING:
    from pimlico_lite.execution import compute_statuses, reset, run
    from pimlico_lite.pipeline import load_pipeline

__version__ = "0.1.0"

_LAZY = {
    "load_pipeline": "pimlico_lite.pipeline",
    "run": "pimlico_lite.execution",
    "reset": "pimlico_lite.execution",
    "compute_statuses": "pimlico_lite.execution",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    message = f"module 'pimlico_lite' has no attribute '{name}'"
    raise AttributeError(message)


__all__ = [
    "BaseModuleExecutor",
    "BaseModuleInfo",
    "InternalModuleConnection",
    "ModuleInputConnection",
    "ModuleOutputConnection",
    "ModuleStage",
    "PimlicoLiteError",
    "__version__",
    "compute_statuses",
    "load_pipeline",
    "multistage_module",
    "reset",
    "run",
]
