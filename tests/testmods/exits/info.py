"""A module that calls sys.exit(0), or sys.exit() with no code."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "exits"
    module_outputs = [("data", Datatype())]
    module_options = {"code": {"type": choose_from_list(["0", "none"]), "default": "0"}}
