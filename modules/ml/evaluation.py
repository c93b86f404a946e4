"""Metrics of predictions against the true target: classification or regression. Used by executors only."""

from __future__ import annotations

from typing import Any

from pimlico_lite.modules.data.rows import is_classification

from pimlico_lite.datatypes import DatasetValue, FittedEstimator
from pimlico_lite.errors import name_list


def compute_metrics(data: DatasetValue) -> dict[str, Any]:
    """The Metrics value of a data set that holds both a target and predictions of it."""
    if data.target is None or data.predictions is None:
        missing = "a target" if data.target is None else "predictions"
        message = f"cannot evaluate: the data set has no {missing}"
        raise ValueError(message)
    if is_classification(data):
        return classification_metrics(data)
    return regression_metrics(data)


def classification_metrics(data: DatasetValue) -> dict[str, Any]:
    """Accuracy, macro-averaged precision, recall and F1, each class's scores, and the confusion matrix."""
    import numpy as np
    from sklearn import metrics

    truth, predicted = data.target, data.predictions
    if data.target_names:
        labels = list(range(len(data.target_names)))
    else:
        labels = sorted(set(truth.tolist()) | set(predicted.tolist()))
    names = list(data.target_names) if data.target_names else [str(label) for label in labels]
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    per_class = {
        name: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for name, p, r, f, s in zip(names, precision, recall, f1, support, strict=True)
    }
    # As scikit-learn's average="macro": over the classes that are in the truth or in the predictions.
    present = np.isin(labels, np.union1d(truth, predicted))
    return {
        "task": "classification",
        "rows": int(data.n_rows),
        "metrics": {
            "accuracy": float(metrics.accuracy_score(truth, predicted)),
            "precision_macro": float(np.mean(precision[present])),
            "recall_macro": float(np.mean(recall[present])),
            "f1_macro": float(np.mean(f1[present])),
        },
        "per_class": per_class,
        "labels": names,
        "confusion_matrix": metrics.confusion_matrix(truth, predicted, labels=labels).tolist(),
    }


def regression_metrics(data: DatasetValue) -> dict[str, Any]:
    """Mean absolute error, mean squared error, its root, and R²."""
    import math

    from sklearn import metrics

    mse = float(metrics.mean_squared_error(data.target, data.predictions))
    return {
        "task": "regression",
        "rows": int(data.n_rows),
        "metrics": {
            "mae": float(metrics.mean_absolute_error(data.target, data.predictions)),
            "mse": mse,
            "rmse": math.sqrt(mse),
            "r2": float(metrics.r2_score(data.target, data.predictions)),
        },
    }


def align(data: DatasetValue, fitted: FittedEstimator) -> DatasetValue:
    """``data`` with its columns in the order ``fitted`` was fitted on, and its classes numbered as they were there
    (each file numbers the classes it holds); fail, saying what differs, when its columns or classes are not those."""
    import numpy as np

    trained, given = tuple(fitted.feature_names), tuple(data.feature_names)
    if trained and given and given != trained:
        missing = [name for name in trained if name not in given]
        extra = [name for name in given if name not in trained]
        if missing or extra or len(set(given)) != len(given):
            differences = [
                f"{what} {name_list(names)}"
                for what, names in (("missing", missing), ("not in the training data", extra))
                if names
            ] or ["a column repeated"]
            message = f"the data's columns are not those the model was fitted on: {'; '.join(differences)}"
            raise ValueError(message)
        index = [given.index(name) for name in trained]
        data = data.replace(features=data.features[:, index], feature_names=trained)
    classes = fitted.target_names
    if classes and data.target is not None and data.target_names and tuple(data.target_names) != tuple(classes):
        unknown = [name for name in data.target_names if name not in classes]
        if unknown:
            message = (
                f"the data has class {name_list(unknown)}, which the model was not fitted on; the classes of its"
                f" training data: {name_list(classes)}"
            )
            raise ValueError(message)
        numbers = np.array([classes.index(name) for name in data.target_names])
        data = data.replace(target=numbers[data.target], target_names=tuple(classes))
    return data


def predict_in_batches(estimator: Any, features: Any, progress: Any, batch_size: int = 256) -> Any:
    """``estimator.predict(features)``, a batch of rows at a time so that progress can be reported."""
    import numpy as np

    starts = range(0, features.shape[0], batch_size)
    parts = [estimator.predict(features[start : start + batch_size]) for start in progress(starts)]
    return np.concatenate(parts) if parts else np.array([])
