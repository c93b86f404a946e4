"""A module that forks a child which leaves execute() its own way (returning, sys.exit, or killed by SIGTERM)."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import JSONData


class ModuleInfo(BaseModuleInfo):
    module_type_name = "forked_child"
    module_outputs = [("data", JSONData()), ("more", JSONData())]
    module_options = {"child": {"type": choose_from_list(["returns", "exits", "sigterm"])}}
