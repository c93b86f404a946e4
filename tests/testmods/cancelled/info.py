"""A module whose asyncio code ends in CancelledError (a BaseException, not an Exception)."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "cancelled"
    module_outputs = [("data", Datatype())]
