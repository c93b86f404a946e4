"""A module that allocates a lot of memory."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "hog"
    module_outputs = [("data", Datatype())]
    module_options = {"megabytes": {"help": "How much to allocate", "type": int, "default": 100}}
