"""A module with two inputs (one optional) and two outputs."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "pair"
    module_inputs = [("left", Datatype()), ("right", Datatype())]
    module_optional_inputs = [("extra", Datatype())]
    module_outputs = [("first", Datatype()), ("second", Datatype())]
