"""A module whose option converts to a value that cannot be copied (a lock)."""

import threading

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype


def as_lock(value: str) -> object:
    return threading.Lock()


class ModuleInfo(BaseModuleInfo):
    module_type_name = "lock_option"
    module_outputs = [("data", Datatype())]
    module_options = {"lock": {"help": "Made into a lock", "type": as_lock, "default": None}}
