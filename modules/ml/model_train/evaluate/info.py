"""Declare the evaluate module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import integer_at_least
from pimlico_lite.datatypes import Dataset, FittedModel, Metrics


class ModuleInfo(BaseModuleInfo):
    """Predict the test set with a fitted estimator (after the fitted transforms, if given) and compute metrics.

    The metrics are those of the ``ml.metrics`` module type: accuracy, macro precision, recall and F1, each class's
    scores and the confusion matrix for classification; MAE, MSE, RMSE and R² for regression.
    """

    module_type_name = "evaluate"
    module_readable_name = "Evaluate on a test set"
    module_inputs = [("model", FittedModel()), ("data", Dataset())]
    module_optional_inputs = [("preprocess", FittedModel())]
    module_outputs = [("metrics", Metrics()), ("predictions", Dataset())]
    module_options = {
        "batch_size": {
            "help": "Rows predicted at a time (progress is shown per batch)",
            "type": integer_at_least(1),
            "default": 256,
        },
    }
