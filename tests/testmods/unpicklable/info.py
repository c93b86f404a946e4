"""A module whose option converts to a value that cannot be pickled."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


def as_function(value: str) -> object:
    return lambda: value


class ModuleInfo(BaseModuleInfo):
    module_type_name = "unpicklable"
    module_outputs = [("data", Datatype())]
    module_options = {"function": {"help": "Made into a lambda", "type": as_function, "default": None}}
