"""Execute the produce module type."""

from typing import Any

from pimlico_lite.modules.ml.evaluation import align, predict_in_batches

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import DatasetValue
from pimlico_lite.errors import OptionError


def transform(estimator: Any, data: DatasetValue, features: Any = None) -> DatasetValue:
    """The data set with its features transformed (``features``, when they already are), named by the primitive
    when it can name them."""
    if features is None:
        features = estimator.transform(data.features)
    names: tuple[str, ...] = ()
    if hasattr(estimator, "get_feature_names_out"):
        try:
            given = list(data.feature_names) or None
            names = tuple(str(name) for name in estimator.get_feature_names_out(given))
        except (AttributeError, ValueError, TypeError):
            names = ()
    if len(names) != features.shape[1]:
        names = data.feature_names if features.shape[1] == data.n_features else ()
    return data.replace(features=features, feature_names=names, predictions=None)


class ModuleExecutor(BaseModuleExecutor):
    """Transform or predict."""

    def execute(self) -> None:
        """Produce."""
        fitted = self.read_input("model")
        data = align(self.read_input("data"), fitted)
        method = self.options["method"]
        if method == "auto":
            method = "predict" if hasattr(fitted.estimator, "predict") else "transform"
        if not hasattr(fitted.estimator, method):
            raise OptionError(self.option_key("method"), f"{fitted.primitive} has no {method}()")
        if method == "transform":
            produced = transform(fitted.estimator, data)
        else:
            produced = data.replace(predictions=predict_in_batches(fitted.estimator, data.features, self.progress))
            if produced.target_names is None and fitted.target_names and hasattr(fitted.estimator, "classes_"):
                # A classifier's predictions, for data without a target: numbered as its classes are named.
                produced = produced.replace(target_names=tuple(fitted.target_names))
        self.write_output("data", produced)
        rows, features = produced.n_rows, produced.n_features
        self.log.info("%s with %s: %d rows, %d features", method, fitted.primitive, rows, features)
