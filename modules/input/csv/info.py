"""Declare the csv module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list, comma_separated_strings
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Read a CSV file with a header row: numeric feature columns, and maybe a target column (numbers or labels)."""

    module_type_name = "csv"
    module_readable_name = "CSV file"
    module_outputs = [("data", Dataset())]
    module_options = {
        "path": {"help": "The file, relative to the config file's folder", "required": True},
        "target": {"help": "The column to predict; leave it out for data without a target", "default": None},
        "columns": {
            "help": "The feature columns, in order (default: every column but the target)",
            "type": comma_separated_strings,
            "default": [],
        },
        "task": {
            "help": "What the target is: auto (labels or whole numbers are classes, other numbers regression)",
            "type": choose_from_list(["auto", "classification", "regression"]),
            "default": "auto",
        },
        "delimiter": {"help": "The character between fields", "default": ","},
        "encoding": {"help": "The file's text encoding", "default": "utf-8"},
    }
