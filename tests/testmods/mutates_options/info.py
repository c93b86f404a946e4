"""A module that changes its own options while it runs."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "mutates_options"
    module_outputs = [("data", Datatype())]
    module_options = {"count": {"help": "A number", "type": int, "default": 0}}
