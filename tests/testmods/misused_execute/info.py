"""A module whose execute() is a generator, async or an async generator, or returns its output, or returns something
besides writing it."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "misused_execute"
    module_outputs = [("data", JSONData())]
    module_options = {
        "returns": {
            "type": choose_from_list(["generator", "coroutine", "async-generator", "output", "extra", "a-generator"])
        }
    }
