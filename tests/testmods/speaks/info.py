"""A module that prints to standard output and standard error itself."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "speaks"
    module_outputs = [("data", Datatype())]
