"""Execute the evaluate module type."""

from typing import Any

from pimlico_lite.modules.ml.evaluation import align, compute_metrics, predict_in_batches
from pimlico_lite.modules.ml.primitives import not_a_predictor

from pimlico_lite import BaseModuleExecutor


class _Chain:
    """The fitted transforms, then the estimator, as one object with ``predict``."""

    def __init__(self, transforms: Any, estimator: Any) -> None:
        self.transforms = transforms
        self.estimator = estimator

    def predict(self, features: Any) -> Any:
        return self.estimator.predict(self.transforms.transform(features))


class ModuleExecutor(BaseModuleExecutor):
    """Predict, then score."""

    def execute(self) -> None:
        """Evaluate."""
        model = self.read_input("model")
        refused = not_a_predictor(model.estimator, model.primitive)
        if refused:
            message = (
                f"{refused}: the estimator to evaluate must be a classifier or a regressor; a transform such as PCA"
                " belongs in preprocess_primitives"
            )
            raise ValueError(message)
        preprocess = self.read_input("preprocess")
        # The transforms were fitted on the same rows as the model, with the same columns and classes.
        test = align(self.read_input("data"), preprocess or model)
        predictor = model.estimator if preprocess is None else _Chain(preprocess.estimator, model.estimator)
        predictions = predict_in_batches(predictor, test.features, self.progress, self.options["batch_size"])
        scored = test.replace(predictions=predictions)
        metrics = compute_metrics(scored)
        metrics["model"] = model.primitive
        if preprocess is not None:
            metrics["preprocess"] = [type(step).__name__ for _, step in getattr(preprocess.estimator, "steps", [])]
        self.write_output("predictions", scored)
        self.write_output("metrics", metrics)
        shown = ", ".join(f"{name} {value:.4f}" for name, value in metrics["metrics"].items())
        self.log.info("%s on %d test rows: %s", model.primitive, test.n_rows, shown)
