"""Declare the csv module type."""

from pimlico_lite.modules.input.table_options import TABLE_OPTIONS

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Read a CSV file with a header row: numeric feature columns, and maybe a target column (numbers or labels).

    A missing value is written ``nan``. A file in UTF-8 may start with a byte-order mark (as Excel writes it). A
    change to the file after the module read it (its size or modification time) makes the module OUTDATED.
    """

    module_type_name = "csv"
    module_readable_name = "CSV file"
    module_outputs = [("data", Dataset())]
    module_source_files = ("path",)
    module_options = {**TABLE_OPTIONS, "delimiter": {"help": "The character between fields", "default": ","}}
