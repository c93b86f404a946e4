"""Metrics of predictions against the true target: classification or regression. Used by executors only."""

from __future__ import annotations

from typing import Any

from pimlico_lite.modules.data.rows import is_classification

from pimlico_lite.datatypes import DatasetValue


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

    labels = list(range(len(data.target_names))) if data.target_names else sorted(set(data.target.tolist()))
    names = list(data.target_names) if data.target_names else [str(label) for label in labels]
    truth, predicted = data.target, data.predictions
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    per_class = {
        name: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for name, p, r, f, s in zip(names, precision, recall, f1, support, strict=True)
    }
    present = support > 0
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


def predict_in_batches(estimator: Any, features: Any, progress: Any, batch_size: int = 256) -> Any:
    """``estimator.predict(features)``, a batch of rows at a time so that progress can be reported."""
    import numpy as np

    starts = range(0, features.shape[0], batch_size)
    parts = [estimator.predict(features[start : start + batch_size]) for start in progress(starts)]
    return np.concatenate(parts) if parts else np.array([])
