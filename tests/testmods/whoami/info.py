"""Write which process ran the module: its id, its parent's id and its command line."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "whoami"
    module_outputs = [("data", Datatype())]
    module_options = {"seconds": {"help": "How long to wait before answering", "type": float, "default": 0.0}}
