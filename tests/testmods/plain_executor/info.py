"""A module type whose ModuleExecutor forgot to subclass BaseModuleExecutor."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "plain_executor"
    module_outputs = [("data", Datatype())]
