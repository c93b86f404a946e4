"""Declare the gather module type."""

from typing import ClassVar

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype, MultipleInputs


class ModuleInfo(BaseModuleInfo):
    """The fan-in of a benchmark pipeline: read every input, write a few bytes."""

    module_type_name = "bench_gather"
    module_inputs: ClassVar[list[tuple[str, MultipleInputs]]] = [("parts", MultipleInputs(Datatype()))]
    module_outputs: ClassVar[list[tuple[str, Datatype]]] = [("data", Datatype())]
