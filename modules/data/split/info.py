"""Declare the split module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import random_seed, rows_or_fraction, str_to_bool
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Split a data set into a train set and a test set at random (seeded), keeping class proportions if asked.

    The two sets are scikit-learn's ``train_test_split(..., test_size=test_size, random_state=seed,
    stratify=target)``: the same rows, in the same (shuffled) order, and a fraction rounded as it rounds it (up, for
    the test set), so that what is trained and scored on them matches a script that calls it.
    """

    module_type_name = "split"
    module_readable_name = "Train/test split"
    module_inputs = [("data", Dataset())]
    module_outputs = [("train", Dataset()), ("test", Dataset())]
    module_options = {
        "test_size": {
            "help": "The test set's size: a fraction of the rows (below 1) or a number of rows",
            "type": rows_or_fraction(),
            "default": 0.25,
        },
        "seed": {"help": "The random seed: the same seed gives the same split", "type": random_seed, "default": 0},
        "stratify": {
            "help": "Keep each class's share of rows the same in both sets (for classification targets)",
            "type": str_to_bool,
            "default": True,
        },
    }
