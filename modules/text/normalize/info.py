"""Declare the normalize module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import comma_separated_strings, str_to_bool
from pimlico_lite.datatypes import TokenizedCorpus


class ModuleInfo(BaseModuleInfo):
    """Normalize every token of a tokenized corpus: lower-case it, and drop short, long, numeric or listed ones."""

    module_type_name = "normalize"
    module_readable_name = "Token normalizer"
    module_inputs = [("tokens", TokenizedCorpus())]
    module_outputs = [("tokens", TokenizedCorpus())]
    module_options = {
        "lowercase": {"help": "Lower-case every token", "type": str_to_bool, "default": True},
        "min_length": {"help": "Drop tokens shorter than this", "type": int, "default": 1},
        "max_length": {"help": "Drop tokens longer than this (0: no limit)", "type": int, "default": 0},
        "drop_numbers": {"help": "Drop tokens made only of digits", "type": str_to_bool, "default": False},
        "stopwords": {
            "help": "Tokens to drop (compared after lower-casing, when that is on)",
            "type": comma_separated_strings,
            "default": [],
        },
    }
