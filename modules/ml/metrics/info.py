"""Declare the metrics module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Dataset, Metrics


class ModuleInfo(BaseModuleInfo):
    """Score a data set's predictions against its target (``ml.primitive``'s output with ``produce_method=predict``).

    Classification (a target with class names, or integers): accuracy, macro-averaged precision, recall and F1,
    each class's precision, recall, F1 and support, and the confusion matrix (rows: true class, columns:
    predicted). Regression: mean absolute error, mean squared error, its root, and R².
    """

    module_type_name = "metrics"
    module_readable_name = "Evaluation metrics"
    module_inputs = [("data", Dataset())]
    module_outputs = [("metrics", Metrics())]
