"""A module that runs a long command and waits for it, as one that calls a training program does."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "shells_out"
    module_outputs = [("data", JSONData())]
