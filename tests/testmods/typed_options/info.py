"""A module with options of every shipped converter."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list, comma_separated_list, str_to_bool
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "typed_options"
    module_outputs = [("data", Datatype())]
    module_options = {
        "epochs": {"help": "How many", "type": int, "required": True},
        "rate": {"help": "How fast", "type": float, "default": 0.1},
        "shuffle": {"help": "Whether", "type": str_to_bool, "default": False},
        "mode": {"help": "Which", "type": choose_from_list(["fast", "slow"]), "default": "fast"},
        "sizes": {"help": "Several", "type": comma_separated_list(int), "default": []},
    }
