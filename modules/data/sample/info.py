"""Declare the sample module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import random_seed, rows_or_fraction, str_to_bool
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Keep a random sample of the rows (seeded), in their original order, keeping class proportions if asked."""

    module_type_name = "sample"
    module_readable_name = "Row sample"
    module_inputs = [("data", Dataset())]
    module_outputs = [("data", Dataset())]
    module_options = {
        "size": {
            "help": "How many rows to keep: a number of rows, or a fraction of them (below 1)",
            "type": rows_or_fraction(),
            "required": True,
        },
        "seed": {"help": "The random seed: the same seed gives the same sample", "type": random_seed, "default": 0},
        "stratify": {
            "help": "Keep each class's share of rows (for classification targets)",
            "type": str_to_bool,
            "default": True,
        },
    }
