"""Declare the produce module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import choose_from_list
from pimlico_lite.datatypes import Dataset, FittedModel

METHODS = ["auto", "transform", "predict"]


class ModuleInfo(BaseModuleInfo):
    """Apply a fitted primitive to a data set: transform its features, or predict its target.

    ``transform`` replaces the features (a scaler, PCA); ``predict`` keeps them and adds predictions (an
    estimator), which the evaluation module types read. ``auto`` predicts when the primitive can, else transforms.
    """

    module_type_name = "produce"
    module_readable_name = "Produce with a fitted primitive"
    module_inputs = [("model", FittedModel()), ("data", Dataset())]
    module_outputs = [("data", Dataset())]
    module_options = {
        "method": {
            "help": "What to do with the fitted primitive",
            "type": choose_from_list(METHODS),
            "default": "auto",
        },
    }
