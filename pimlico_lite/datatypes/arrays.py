"""Numeric data sets: a feature matrix with an optional target and predictions, kept in NumPy's own files.

NumPy (and SciPy, for sparse features) are imported only inside :meth:`Dataset.write` and :meth:`Dataset.read`, so
that loading a pipeline never pays for them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pimlico_lite.datatypes.base import Datatype

TASKS = ("classification", "regression")


@dataclass(frozen=True)
class DatasetValue:
    """Rows of numeric features, with optionally a target, predictions of it, and names.

    ``features`` is a 2-D NumPy array or a SciPy sparse matrix; ``target`` and ``predictions`` are 1-D NumPy
    arrays with one value per row. For classification, target value ``i`` is the class ``target_names[i]``.
    """

    features: Any
    target: Any = None
    predictions: Any = None
    feature_names: tuple[str, ...] = ()
    target_names: tuple[str, ...] | None = None
    task: str | None = None
    row_names: tuple[str, ...] | None = None

    @property
    def n_rows(self) -> int:
        """How many rows."""
        return int(self.features.shape[0])

    @property
    def n_features(self) -> int:
        """How many feature columns."""
        return int(self.features.shape[1])

    @property
    def is_sparse(self) -> bool:
        """Whether the features are a SciPy sparse matrix."""
        return is_sparse(self.features)

    def rows(self, index: Any) -> DatasetValue:
        """The data set restricted to the rows ``index`` (an array of row numbers, in that order)."""

        def take(values: Any) -> Any:
            return None if values is None else values[index]

        row_names = None if self.row_names is None else tuple(self.row_names[int(i)] for i in index)
        return dataclasses.replace(
            self,
            features=self.features[index],
            target=take(self.target),
            predictions=take(self.predictions),
            row_names=row_names,
        )

    def replace(self, **changes: Any) -> DatasetValue:
        """A copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)


def is_sparse(values: Any) -> bool:
    """Whether ``values`` is a SciPy sparse matrix or array (checked without importing SciPy)."""
    return type(values).__module__.startswith("scipy.sparse")


class Dataset(Datatype):
    """A numeric data set (a :class:`DatasetValue`): features, dense or sparse, maybe a target and predictions."""

    datatype_name = "dataset"
    format_description = (
        "dataset.json (rows, names, task), features.npy (or features.npz, SciPy's sparse format),"
        " and target.npy and predictions.npy when present; NumPy's own files, never pickle"
    )
    marker_file = "dataset.json"

    def write(self, directory: Path, value: DatasetValue) -> None:
        """Check the shapes, then write the arrays and the description."""
        import numpy as np

        _check(value)
        if value.is_sparse:
            from scipy import sparse

            sparse.save_npz(directory / "features.npz", value.features.tocsr())
        else:
            np.save(directory / "features.npy", np.asarray(value.features), allow_pickle=False)
        for name in ("target", "predictions"):
            array = getattr(value, name)
            if array is not None:
                np.save(directory / f"{name}.npy", np.asarray(array), allow_pickle=False)
        description = {
            "rows": value.n_rows,
            "features": value.n_features,
            "sparse": value.is_sparse,
            "feature_names": list(value.feature_names),
            "target_names": None if value.target_names is None else list(value.target_names),
            "task": value.task,
            "has_target": value.target is not None,
            "has_predictions": value.predictions is not None,
            "row_names": None if value.row_names is None else list(value.row_names),
        }
        (directory / "dataset.json").write_text(json.dumps(description, indent=1), encoding="utf-8")

    def read(self, directory: Path) -> DatasetValue:
        """Read the data set back; ValueError naming the file for a folder that is not one (made elsewhere, say)."""
        try:
            return self._read(directory)
        except KeyError as error:
            message = f"{directory / 'dataset.json'}: no {error}: not a data set as the Dataset datatype writes one"
            raise ValueError(message) from None
        except (ValueError, TypeError) as error:
            message = f"{directory}: not a data set as the Dataset datatype writes one: {error}"
            raise ValueError(message) from None

    def _read(self, directory: Path) -> DatasetValue:
        import numpy as np

        description = json.loads((directory / "dataset.json").read_text(encoding="utf-8"))
        if description["sparse"]:
            from scipy import sparse

            features: Any = sparse.load_npz(directory / "features.npz").tocsr()
        else:
            features = np.load(directory / "features.npy", allow_pickle=False)
        arrays = {
            name: np.load(directory / f"{name}.npy", allow_pickle=False) if description[f"has_{name}"] else None
            for name in ("target", "predictions")
        }
        target_names, row_names = description["target_names"], description["row_names"]
        return DatasetValue(
            features,
            arrays["target"],
            arrays["predictions"],
            tuple(description["feature_names"]),
            None if target_names is None else tuple(target_names),
            description["task"],
            None if row_names is None else tuple(row_names),
        )


def _check(value: DatasetValue) -> None:
    """Raise ValueError, saying what is wrong, when the parts of a data set do not fit together."""
    if not isinstance(value, DatasetValue):
        message = f"a Dataset output takes a DatasetValue, got {type(value).__name__}"
        raise TypeError(message)
    if len(value.features.shape) != 2:
        message = f"features must be a 2-D array (rows x columns), got shape {value.features.shape}"
        raise ValueError(message)
    if value.feature_names and len(value.feature_names) != value.n_features:
        message = f"{len(value.feature_names)} feature names for {value.n_features} feature columns"
        raise ValueError(message)
    for name in ("target", "predictions"):
        array = getattr(value, name)
        if array is not None and (len(array.shape) != 1 or array.shape[0] != value.n_rows):
            message = f"{name} must have one value per row ({value.n_rows}), got shape {array.shape}"
            raise ValueError(message)
        if array is not None and array.dtype.kind not in "biuf":
            message = f"{name} must be numeric (encode class labels as integers with target_names), got {array.dtype}"
            raise ValueError(message)
    if value.row_names is not None and len(value.row_names) != value.n_rows:
        message = f"{len(value.row_names)} row names for {value.n_rows} rows"
        raise ValueError(message)
    if value.task is not None and value.task not in TASKS:
        message = f"task must be one of {', '.join(TASKS)}, got '{value.task}'"
        raise ValueError(message)
