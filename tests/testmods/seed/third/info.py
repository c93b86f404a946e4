"""ThirdInfo: takes data, produces model."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "third"
    module_inputs = [("data", Datatype())]
    module_outputs = [("model", Datatype())]
    module_options = {"seed": {"help": "A random seed", "type": int, "default": 0}}
