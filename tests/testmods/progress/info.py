"""A module that reports progress and logs as it goes."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "progress"
    module_outputs = [("data", Datatype())]
    module_options = {
        "steps": {"help": "How many steps", "type": int, "default": 5},
        "seconds": {"help": "Seconds per step", "type": float, "default": 0.0},
        "rest": {"help": "Seconds to wait after the last step", "type": float, "default": 0.0},
    }
