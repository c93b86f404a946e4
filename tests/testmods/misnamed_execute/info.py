"""A module whose executor's method is not named execute."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "misnamed_execute"
    module_outputs = [("data", JSONData())]
