"""Declare the preprocess module type."""

from pimlico_lite.modules.ml.primitives import DYNAMIC_HYPERPARAMETERS

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import comma_separated_strings
from pimlico_lite.datatypes import Dataset, FittedModel


class ModuleInfo(BaseModuleInfo):
    """Fit a chain of feature transforms (scaling, PCA, ...) on training data, one after another.

    The fitted chain is a scikit-learn ``Pipeline`` whose steps are named as ``make_pipeline`` names them: the
    lower-cased class name (``standardscaler``, ``pca``; ``pca-1``, ``pca-2`` for repeats). Every other option is a
    hyperparameter of one step, named ``STEP__NAME`` as in scikit-learn: ``pca__n_components = 20``.
    """

    module_type_name = "preprocess"
    module_readable_name = "Fit feature transforms"
    module_inputs = [("data", Dataset())]
    module_outputs = [("model", FittedModel()), ("data", Dataset())]
    module_options = {
        "primitives": {
            "help": "The transforms, by dotted path, in the order they apply",
            "type": comma_separated_strings,
            "default": ["sklearn.preprocessing.StandardScaler"],
        },
    }
    module_dynamic_options = {
        **DYNAMIC_HYPERPARAMETERS,
        "help": "STEP__NAME: hyperparameter NAME of the step STEP (pca__n_components = 20)",
    }
