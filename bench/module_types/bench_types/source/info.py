"""Declare the source module type."""

from typing import ClassVar

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    """Start a benchmark pipeline: write a few bytes."""

    module_type_name = "bench_source"
    module_outputs: ClassVar[list[tuple[str, Datatype]]] = [("data", Datatype())]
