"""A module that forks two processes, and all three log long lines at once."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "forks_and_logs"
    module_outputs = [("data", JSONData())]
    module_options = {"lines": {"type": int, "default": 50}, "size": {"type": int, "default": 17000}}
