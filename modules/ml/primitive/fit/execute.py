"""Execute the fit module type."""

from pimlico_lite.modules.ml.primitives import build, describe, fit

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import FittedEstimator


class ModuleExecutor(BaseModuleExecutor):
    """Build the primitive from its hyperparameters and fit it."""

    def execute(self) -> None:
        """Fit."""
        path = self.options["primitive"]
        estimator, given = build(
            path, self.info.dynamic_options(self.options), self.option_key("primitive"), key=self.option_key
        )
        data = self.read_input("data")
        self.log.info("fitting %s(%s) on %d rows", path, _arguments(given), data.n_rows)
        fit(estimator, data, path)
        fitted = FittedEstimator(estimator, path, describe(estimator), data.feature_names, data.target_names)
        self.write_output("model", fitted)


def _arguments(given: dict[str, object]) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in given.items())
