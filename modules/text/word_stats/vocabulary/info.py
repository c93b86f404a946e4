"""Declare the vocabulary stage."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import JSONData, TokenizedCorpus


class ModuleInfo(BaseModuleInfo):
    """Count every token and keep the words seen at least ``min_count`` times, most frequent first."""

    module_type_name = "vocabulary"
    module_readable_name = "Vocabulary"
    module_inputs = [("tokens", TokenizedCorpus())]
    module_outputs = [("vocabulary", JSONData())]
    module_options = {
        "min_count": {"help": "Keep words used at least this many times", "type": int, "default": 1},
    }
