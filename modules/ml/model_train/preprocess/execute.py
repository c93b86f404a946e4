"""Execute the preprocess module type."""

from typing import Any

from pimlico_lite.modules.ml.primitive.produce.execute import transform
from pimlico_lite.modules.ml.primitives import build, describe, split_step_hyperparameters, step_names

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import FittedEstimator
from pimlico_lite.errors import OptionError


class ModuleExecutor(BaseModuleExecutor):
    """Fit each transform on the output of the one before."""

    def execute(self) -> None:
        """Fit the chain and transform the training data."""
        from sklearn.pipeline import Pipeline

        paths = self.options["primitives"]
        if not paths:
            message = "name at least one transform (sklearn.preprocessing.FunctionTransformer does nothing)"
            raise OptionError(self.option_key("primitives"), message)
        names = step_names(paths)
        by_step = split_step_hyperparameters(names, self.info.dynamic_options(self.options), key=self.option_key)
        # Build every step first, so that a mistake in the last one fails before anything slow runs.
        steps = [
            (name, path, *self.build_step(name, path, by_step[name])) for name, path in zip(names, paths, strict=True)
        ]
        data = self.read_input("data")
        features = data.features
        fitted: list[tuple[str, Any]] = []
        for name, path, estimator, given in self.progress(steps):
            features = estimator.fit_transform(features, data.target)
            fitted.append((name, estimator))
            arguments = ", ".join(f"{key}={value!r}" for key, value in given.items())
            self.log.info("%s: fitted %s(%s), %d features out", name, path, arguments, features.shape[1])
        pipeline = Pipeline(fitted)
        hyperparameters = {name: describe(estimator) for name, estimator in fitted}
        fitted = FittedEstimator(
            pipeline, "sklearn.pipeline.Pipeline", hyperparameters, data.feature_names, data.target_names
        )
        self.write_output("model", fitted)
        # The data the next stage trains on is what fit_transform gave, as scikit-learn's Pipeline.fit passes it on:
        # a transform such as TargetEncoder gives the rows it was fitted on otherwise than transform() would.
        self.write_output("data", transform(pipeline, data, features))

    def build_step(self, step: str, path: str, hyperparameters: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Build one step; messages name its hyperparameters as the config does (``preprocess_STEP__NAME``)."""
        estimator, given = build(
            path,
            hyperparameters,
            self.option_key("primitives"),
            key=lambda option: self.option_key(f"{step}__{option}"),
        )
        if not hasattr(estimator, "fit_transform"):
            message = (
                f"{path} has no fit_transform(): each step must be a transform (a scaler, PCA); an estimator that"
                " predicts belongs in the next stage"
            )
            raise OptionError(self.option_key("primitives"), message)
        return estimator, given
