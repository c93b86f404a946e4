"""Declare the term_counts module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list, str_to_bool
from pimlico_lite.datatypes import Dataset, TokenizedCorpus, Vocabulary


class ModuleInfo(BaseModuleInfo):
    """Count each vocabulary word in each document: a sparse data set with one row per document, one column per word.

    With ``target = folder``, each document's class is the first part of its name, up to the first ``/``: the
    folder of a file read by ``input.text_files`` (one folder per class, as scikit-learn's ``load_files`` expects),
    or the package of a docstring from ``input.python_docstrings`` with ``per = member``.
    """

    module_type_name = "term_counts"
    module_readable_name = "Document-term counts"
    module_inputs = [("vocabulary", Vocabulary()), ("tokens", TokenizedCorpus())]
    module_outputs = [("data", Dataset())]
    module_options = {
        "target": {
            "help": "Where each document's class comes from: none, or the folder part of its name",
            "type": choose_from_list(["none", "folder"]),
            "default": "none",
        },
        "binary": {"help": "1 for a word that is present, instead of its count", "type": str_to_bool, "default": False},
    }
