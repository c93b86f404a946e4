"""A CPU-bound module: count for a while."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "spin"
    module_outputs = [("data", Datatype())]
    module_options = {"iterations": {"help": "How long to count", "type": int, "default": 1_000_000}}
