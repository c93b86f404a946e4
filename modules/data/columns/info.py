"""Declare the columns module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import comma_separated_strings, str_to_bool
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Select feature columns by name or by position (0 is the first); the target and the rows stay as they are."""

    module_type_name = "columns"
    module_readable_name = "Column selection"
    module_inputs = [("data", Dataset())]
    module_outputs = [("data", Dataset())]
    module_options = {
        "columns": {
            "help": "The columns, by feature name or position, in the order wanted",
            "type": comma_separated_strings,
            "required": True,
        },
        "drop": {"help": "Drop the listed columns and keep the others instead", "type": str_to_bool, "default": False},
    }
