"""FirstInfo of the design document: takes raw_data (and optionally dict), produces corpus."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "first"
    module_inputs = [("raw_data", Datatype())]
    module_optional_inputs = [("dict", Datatype())]
    module_outputs = [("corpus", Datatype())]
    module_options = {"threshold": {"help": "A threshold", "type": int, "default": 1}}
