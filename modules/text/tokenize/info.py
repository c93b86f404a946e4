"""Declare the tokenize module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import str_to_bool
from pimlico_lite.datatypes import TextCorpus, TokenizedCorpus


class ModuleInfo(BaseModuleInfo):
    """Split each text document into word tokens (runs of letters, digits and underscores)."""

    module_type_name = "tokenize"
    module_readable_name = "Tokenizer"
    module_inputs = [("corpus", TextCorpus())]
    module_outputs = [("tokens", TokenizedCorpus())]
    module_options = {
        "lowercase": {"help": "Lower-case every token", "type": str_to_bool, "default": True},
        "min_length": {"help": "Drop tokens shorter than this", "type": int, "default": 1},
    }
