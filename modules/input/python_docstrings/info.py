"""Declare the python_docstrings module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import comma_separated_strings
from pimlico_lite.datatypes import TextCorpus


class ModuleInfo(BaseModuleInfo):
    """Collect the docstrings of Python modules: real text that ships with Python, nothing downloaded."""

    module_type_name = "python_docstrings"
    module_readable_name = "Python docstrings corpus"
    module_outputs = [("corpus", TextCorpus())]
    module_options = {
        "packages": {
            "help": "Modules whose docstrings (module, classes, functions) make up the corpus, one document each",
            "type": comma_separated_strings,
            "default": ["json", "csv", "difflib", "textwrap", "argparse"],
        },
    }
