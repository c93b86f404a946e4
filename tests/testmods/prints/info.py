"""A module that prints lines itself, from processes it forks too, and bytes to sys.stdout.buffer."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "prints"
    module_outputs = [("data", Datatype())]
    module_options = {
        "lines": {"help": "Lines to print", "type": int, "default": 1},
        "width": {"help": "Characters of x after each line's number", "type": int, "default": 10},
        "pause": {"help": "Seconds between lines", "type": float, "default": 0.0},
        "children": {"help": "Forked processes that print the same lines at the same time", "type": int, "default": 0},
        "raw": {"help": "Also write a line of bytes to sys.stdout.buffer", "type": bool, "default": False},
        "unended": {"help": "Also write this with no newline, and flush", "type": str, "default": ""},
        "stderr": {"help": "Print the lines to sys.stderr", "type": bool, "default": False},
        "children_log": {"help": "The forked processes log a line too", "type": bool, "default": False},
        "stdout_is": {"help": "Fail unless sys.stdout is an instance of this io class", "type": str, "default": ""},
    }
