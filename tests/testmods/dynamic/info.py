"""A module with one declared option that accepts any other option too (as integers)."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "dynamic"
    module_inputs = [("data", Datatype())]
    module_outputs = [("data", Datatype())]
    module_options = {"label": {"help": "Any text", "default": ""}}
    module_dynamic_options = {"help": "Any integer setting", "type": int}
