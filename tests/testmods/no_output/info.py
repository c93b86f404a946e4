"""A module that forgets to write its output."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "no_output"
    module_outputs = [("data", Datatype())]
