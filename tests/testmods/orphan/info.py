"""A module that leaves a child process behind, then crashes or forks."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "orphan"
    module_outputs = [("data", Datatype())]
    module_options = {"crash": {"help": "Segfault after starting the child", "type": int, "default": 0}}
