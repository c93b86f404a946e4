"""pimlico_lite: a config-file-driven pipeline runner in the tradition of Pimlico.

The module API (``BaseModuleInfo``, ``multistage_module``, ...) and the library API (``load_pipeline``, ``run``)
are importable from here. They are loaded on first use, so that ``pimlico-lite --help`` imports nothing it does
not show.
"""

from __future__ import annotations

import time

from pimlico_lite._lazy import lazy_names

# typing.TYPE_CHECKING, without importing typing: the command line's entry point (pimlico_lite._entry) imports this
# package before it can catch a Ctrl-C, and typing alone takes a tenth of Python's start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pimlico_lite.core.executor import BaseModuleExecutor
    from pimlico_lite.core.info import BaseModuleInfo
    from pimlico_lite.core.multistage import (
        InternalModuleConnection,
        ModuleInputConnection,
        ModuleOutputConnection,
        ModuleStage,
        multistage_module,
    )
    from pimlico_lite.errors import OptionError, PimlicoLiteError
    from pimlico_lite.execution.reset import reset
    from pimlico_lite.execution.runner import run
    from pimlico_lite.execution.status import compute_statuses
    from pimlico_lite.outputs import output_dir, read_output
    from pimlico_lite.pipeline.loader import load_pipeline

__version__ = "0.1.0"
# When this process imported pimlico_lite: the code it imported since may be older than the files are now (see
# pimlico_lite.pipeline.cache, which keeps nothing loaded from a file changed after this).
_IMPORTED_NS = time.time_ns()

_LAZY = {
    "BaseModuleExecutor": "pimlico_lite.core.executor",
    "BaseModuleInfo": "pimlico_lite.core.info",
    "InternalModuleConnection": "pimlico_lite.core.multistage",
    "ModuleInputConnection": "pimlico_lite.core.multistage",
    "ModuleOutputConnection": "pimlico_lite.core.multistage",
    "ModuleStage": "pimlico_lite.core.multistage",
    "multistage_module": "pimlico_lite.core.multistage",
    "OptionError": "pimlico_lite.errors",
    "PimlicoLiteError": "pimlico_lite.errors",
    "load_pipeline": "pimlico_lite.pipeline.loader",
    "run": "pimlico_lite.execution.runner",
    "reset": "pimlico_lite.execution.reset",
    "compute_statuses": "pimlico_lite.execution.status",
    "output_dir": "pimlico_lite.outputs",
    "read_output": "pimlico_lite.outputs",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "BaseModuleExecutor",
    "BaseModuleInfo",
    "InternalModuleConnection",
    "ModuleInputConnection",
    "ModuleOutputConnection",
    "ModuleStage",
    "OptionError",
    "PimlicoLiteError",
    "__version__",
    "compute_statuses",
    "load_pipeline",
    "multistage_module",
    "output_dir",
    "read_output",
    "reset",
    "run",
]
