"""A module with no inputs and one output."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "source"
    module_outputs = [("data", Datatype())]
    module_options = {
        "value": {"help": "Any text", "default": "x"},
        "size": {"help": "A number", "type": int, "default": 1},
    }
