"""A module that crashes its process (a segmentation fault)."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "crash"
    module_outputs = [("data", Datatype())]
