"""Declare the frequencies stage."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import JSONData, TokenizedCorpus


class ModuleInfo(BaseModuleInfo):
    """Count the documents each vocabulary word appears in; keep the ``top`` words by document frequency."""

    module_type_name = "frequencies"
    module_readable_name = "Document frequencies"
    module_inputs = [("vocabulary", JSONData()), ("tokens", TokenizedCorpus())]
    module_outputs = [("frequencies", JSONData())]
    module_options = {
        "top": {"help": "How many words to keep, by document frequency", "type": int, "default": 20},
    }
