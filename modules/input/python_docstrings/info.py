"""Declare the python_docstrings module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list, comma_separated_strings, str_to_bool
from pimlico_lite.datatypes import TextCorpus


class ModuleInfo(BaseModuleInfo):
    """Collect the docstrings of Python modules: real text that ships with Python, nothing downloaded.

    With ``per = module`` (the default) each module is one document, named after the module. With
    ``per = member`` each class (its docstring and its methods') and each function is one document, named
    ``PACKAGE/MODULE.MEMBER``: the part before ``/`` is the package it came from, which ``text.term_counts`` can
    use as the document's class.
    """

    module_type_name = "python_docstrings"
    module_readable_name = "Python docstrings corpus"
    module_outputs = [("corpus", TextCorpus())]
    module_options = {
        "packages": {
            "help": "Modules whose docstrings (module, classes, functions) make up the corpus",
            "type": comma_separated_strings,
            "default": ["json", "csv", "difflib", "textwrap", "argparse"],
        },
        "per": {
            "help": "One document per module, or per class or function",
            "type": choose_from_list(["module", "member"]),
            "default": "module",
        },
        "submodules": {
            "help": "Also read every public submodule of each package (those that fail to import are skipped)",
            "type": str_to_bool,
            "default": False,
        },
        "min_length": {"help": "Leave out documents shorter than this many characters", "type": int, "default": 1},
    }
