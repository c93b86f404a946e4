"""A module that logs what a plain log handler chokes on."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "odd_logs"
    module_outputs = [("data", Datatype())]
    module_options = {
        "mode": {
            "help": "surrogate: a name that is not UTF-8; bad_format: a wrong argument; crlf: CRLF lines, then a child",
            "type": choose_from_list(["surrogate", "bad_format", "crlf"]),
            "required": True,
        },
    }
