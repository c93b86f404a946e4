"""A module that appends to its list option (whose default is one list for every section) while it runs."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core.options import comma_separated_strings
from pimlico_lite.datatypes import Datatype


class ModuleInfo(BaseModuleInfo):
    module_type_name = "appends_option"
    module_outputs = [("data", Datatype())]
    module_options = {"words": {"help": "Some words", "type": comma_separated_strings, "default": ["the"]}}
