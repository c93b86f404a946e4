"""A module with one input and one output."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "step"
    module_inputs = [("data", Datatype())]
    module_outputs = [("data", Datatype())]
    module_options = {"label": {"help": "Any text", "default": ""}}
