"""A module that writes a value its output's datatype cannot write."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "unwritable"
    module_outputs = [("counts", JSONData())]
    module_options = {"value": {"type": choose_from_list(["set", "generator"])}}
