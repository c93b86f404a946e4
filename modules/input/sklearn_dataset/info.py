"""Declare the sklearn_dataset module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list, random_seed, rows_or_fraction, str_to_bool
from pimlico_lite.datatypes import Dataset

# The data sets whose files are inside the scikit-learn package (its load_* functions, not its fetch_* ones).
BUNDLED = ["breast_cancer", "diabetes", "digits", "iris", "linnerud", "wine"]


class ModuleInfo(BaseModuleInfo):
    """Load one of the small data sets bundled inside scikit-learn, optionally a seeded sample of its rows.

    Each has one target: ``linnerud``, which has three (Weight, Waist, Pulse), keeps its first, Weight.
    """

    module_type_name = "sklearn_dataset"
    module_readable_name = "scikit-learn bundled data set"
    module_outputs = [("data", Dataset())]
    module_options = {
        "name": {"help": "Which data set", "type": choose_from_list(BUNDLED), "required": True},
        "sample": {
            "help": "Keep only this many rows (or this fraction, below 1), chosen at random; 0 keeps every row",
            "type": rows_or_fraction(zero="every row"),
            "default": 0.0,
        },
        "seed": {"help": "The random seed of the sample", "type": random_seed, "default": 0},
        "stratify": {
            "help": "Keep each class's share of rows in the sample (classification data sets)",
            "type": str_to_bool,
            "default": True,
        },
    }
