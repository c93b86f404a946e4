"""Declare the step module type."""

from typing import ClassVar

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    """One step of a benchmark pipeline: read the input, write a few bytes."""

    module_type_name = "bench_step"
    module_inputs: ClassVar[list[tuple[str, Datatype]]] = [("data", Datatype())]
    module_outputs: ClassVar[list[tuple[str, Datatype]]] = [("data", Datatype())]
