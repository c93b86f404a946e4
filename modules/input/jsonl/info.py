"""Declare the jsonl module type."""

from pimlico_lite.modules.input.table_options import TABLE_OPTIONS

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Read a JSON-lines file of objects: numeric feature fields, and maybe a target field (numbers or labels).

    A change to the file after the module read it (its size or modification time) makes the module OUTDATED.
    """

    module_type_name = "jsonl"
    module_readable_name = "JSON-lines file"
    module_outputs = [("data", Dataset())]
    module_options = TABLE_OPTIONS
    module_source_files = ("path",)
