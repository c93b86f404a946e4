"""A module that refuses a value of its option ``value`` above its option ``limit``, as it runs."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "refuses_option"
    module_outputs = [("data", Datatype())]
    module_options = {
        "limit": {"type": int, "default": 3},
        "value": {"type": int, "default": 1},
    }
