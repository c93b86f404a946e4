"""Declare the vocabulary module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import TokenizedCorpus, Vocabulary


class ModuleInfo(BaseModuleInfo):
    """Count every token of a corpus and keep the frequent ones: most frequent first, ties in alphabetical order.

    A word's id is its position in the vocabulary, which ``text.to_ids`` and ``text.term_counts`` use.
    """

    module_type_name = "vocabulary"
    module_readable_name = "Vocabulary builder"
    module_inputs = [("tokens", TokenizedCorpus())]
    module_outputs = [("vocabulary", Vocabulary())]
    module_options = {
        "min_count": {"help": "Keep words used at least this many times", "type": int, "default": 1},
        "min_documents": {"help": "Keep words used in at least this many documents", "type": int, "default": 1},
        "max_size": {"help": "Keep at most this many words, most frequent first (0: all)", "type": int, "default": 0},
    }
