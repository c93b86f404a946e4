"""A module type without execute.py."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "no_executor"
    module_outputs = [("data", Datatype())]
