"""A module type that reads its input and has no outputs (nothing can take input from it)."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "sink"
    module_inputs = [("data", Datatype())]
