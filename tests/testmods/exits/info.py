"""A module that calls sys.exit()."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "exits"
    module_outputs = [("data", Datatype())]
