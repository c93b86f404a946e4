"""A module that always fails."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "fail"
    module_optional_inputs = [("data", Datatype())]
    module_outputs = [("data", Datatype())]
