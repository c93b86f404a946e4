"""Declare the jsonl module type."""

from pimlico_lite.modules.input.table_options import TABLE_OPTIONS

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Read a JSON-lines file of objects: numeric feature fields, and maybe a target field (numbers or labels).

    The file is read when the module runs: a change to it afterwards does not make the module OUTDATED (a change of
    ``path`` does); run it again with ``-f``.
    """

    module_type_name = "jsonl"
    module_readable_name = "JSON-lines file"
    module_outputs = [("data", Dataset())]
    module_options = TABLE_OPTIONS
