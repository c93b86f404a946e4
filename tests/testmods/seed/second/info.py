"""SecondInfo: takes data (and optionally raw_data, vocabulary), produces model."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "second"
    module_inputs = [("data", Datatype())]
    module_optional_inputs = [("raw_data", Datatype()), ("vocabulary", Datatype())]
    module_outputs = [("model", Datatype())]
    module_options = {
        "cutoff": {"help": "A cutoff", "type": int, "default": 2},
        "seed": {"help": "A random seed", "type": int, "default": 0},
    }
