"""Declare the split module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import str_to_bool
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Split a data set into a train set and a test set at random (seeded), keeping class proportions if asked."""

    module_type_name = "split"
    module_readable_name = "Train/test split"
    module_inputs = [("data", Dataset())]
    module_outputs = [("train", Dataset()), ("test", Dataset())]
    module_options = {
        "test_size": {
            "help": "The test set's size: a fraction of the rows (below 1) or a number of rows",
            "type": float,
            "default": 0.25,
        },
        "seed": {"help": "The random seed: the same seed gives the same split", "type": int, "default": 0},
        "stratify": {
            "help": "Keep each class's share of rows the same in both sets (for classification targets)",
            "type": str_to_bool,
            "default": True,
        },
    }
