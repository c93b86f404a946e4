"""Declare the text_files module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import text_encoding
from pimlico_lite.datatypes import TextCorpus


class ModuleInfo(BaseModuleInfo):
    """Read every file matching a pattern in a folder as one document (named by its path in the folder)."""

    module_type_name = "text_files"
    module_readable_name = "Text files"
    module_outputs = [("corpus", TextCorpus())]
    module_options = {
        "dir": {"help": "The folder, relative to the config file's folder", "required": True},
        "pattern": {"help": "Which files to read (a glob, matched recursively)", "default": "*.txt"},
        "encoding": {"help": "The files' text encoding", "type": text_encoding, "default": "utf-8"},
    }
