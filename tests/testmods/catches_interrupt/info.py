"""A module that takes Ctrl-C for itself: it catches the KeyboardInterrupt and finishes early (as PyTorch
Lightning's fit does), or it puts in a SIGINT handler of its own."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "catches_interrupt"
    module_optional_inputs = [("data", JSONData())]
    module_outputs = [("data", JSONData())]
    module_options = {"how": {"type": choose_from_list(["catch", "handler"]), "default": "catch"}}
