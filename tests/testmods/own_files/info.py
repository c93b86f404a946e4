"""A module that writes its output's files itself, into the folder output_dir() gives it (or forgets to)."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "own_files"
    module_outputs = [("data", JSONData())]
    module_options = {"write": {"type": bool, "default": True}}
