"""A module whose execute() returns what it should have done: a generator, a coroutine, or its output."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "misused_execute"
    module_outputs = [("data", JSONData())]
    module_options = {"returns": {"type": choose_from_list(["generator", "coroutine", "output", "extra"])}}
