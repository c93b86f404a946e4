"""A module that logs from several threads while it reports progress."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "chatty"
    module_outputs = [("data", Datatype())]
