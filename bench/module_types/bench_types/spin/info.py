"""Declare the spin module type."""

from typing import Any, ClassVar

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    """Spend CPU time in pure Python, then write a few bytes."""

    module_type_name = "bench_spin"
    module_outputs: ClassVar[list[tuple[str, Datatype]]] = [("data", Datatype())]
    module_options: ClassVar[dict[str, dict[str, Any]]] = {
        "loops": {"help": "Iterations of the busy loop", "type": int, "default": 1_000_000},
    }
