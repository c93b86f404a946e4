"""Execute the sklearn_dataset module type."""

from typing import Any

from pimlico_lite.modules.data.rows import choose_rows

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import DatasetValue

REGRESSION = ("diabetes", "linnerud")


def load(name: str) -> DatasetValue:
    """Load a bundled data set as a DatasetValue (linnerud: its first target, weight)."""
    import numpy as np
    from sklearn import datasets

    bunch: Any = getattr(datasets, f"load_{name}")()
    target = bunch.target[:, 0] if bunch.target.ndim == 2 else bunch.target
    is_regression = name in REGRESSION
    target_names = None if is_regression else tuple(str(label) for label in bunch.target_names)
    return DatasetValue(
        np.asarray(bunch.data, dtype=float),
        target,
        feature_names=tuple(str(feature) for feature in bunch.feature_names),
        target_names=target_names,
        task="regression" if is_regression else "classification",
    )


class ModuleExecutor(BaseModuleExecutor):
    """Load the data set, sample it if asked, write it."""

    def execute(self) -> None:
        """Load."""
        data = load(self.options["name"])
        total = data.n_rows
        if self.options["sample"]:
            data = data.rows(choose_rows(data, self.options["sample"], self.options["seed"], self.options["stratify"]))
        self.write_output("data", data)
        classes = f", {len(data.target_names)} classes" if data.target_names else ""
        self.log.info(
            "%s: %d of %d rows, %d features%s", self.options["name"], data.n_rows, total, data.n_features, classes
        )
