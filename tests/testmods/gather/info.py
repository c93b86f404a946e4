"""A module whose input takes several connections."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype, MultipleInputs


class ModuleInfo(BaseModuleInfo):
    module_type_name = "gather"
    module_inputs = [("parts", MultipleInputs(Datatype()))]
    module_outputs = [("data", Datatype())]
