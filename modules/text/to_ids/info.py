"""Declare the to_ids module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import TextCorpus, TokenizedCorpus, Vocabulary


class ModuleInfo(BaseModuleInfo):
    """Replace every token by its id in the vocabulary (its position); a corpus of lists of integers.

    A token that is not in the vocabulary is dropped, or, with ``unknown = keep``, given the id one past the last
    word's.
    """

    module_type_name = "to_ids"
    module_readable_name = "Tokens to ids"
    module_inputs = [("vocabulary", Vocabulary()), ("tokens", TokenizedCorpus())]
    module_outputs = [("ids", TextCorpus())]
    module_options = {
        "unknown": {
            "help": "What to do with a token not in the vocabulary",
            "type": choose_from_list(["drop", "keep"]),
            "default": "drop",
        },
    }
