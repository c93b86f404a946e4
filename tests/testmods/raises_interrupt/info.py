"""A module that raises KeyboardInterrupt itself (no Ctrl-C was pressed)."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "raises_interrupt"
    module_outputs = [("data", Datatype())]
