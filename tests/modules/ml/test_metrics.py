"""ml.metrics: classification and regression metrics of predictions."""

from __future__ import annotations

from tests.modules.conftest import BUNDLED, RunPipeline


def test_regression_metrics_of_a_linear_model(run_pipeline: RunPipeline) -> None:
    body = f"""
        [diabetes]
        type = {BUNDLED}.input.sklearn_dataset
        name = diabetes

        [split]
        type = {BUNDLED}.data.split

        [linear]
        type = {BUNDLED}.ml.primitive
        input_train = split.train
        input_data = split.test
        primitive = sklearn.linear_model.Ridge
        alpha = 0.1

        [metrics]
        type = {BUNDLED}.ml.metrics
        """
    metrics = run_pipeline(body).output("metrics")
    assert metrics["task"] == "regression"
    assert metrics["rows"] == 111  # a quarter of 442, rounded up (as scikit-learn rounds a test set)
    values = metrics["metrics"]
    assert 0.3 < values["r2"] < 0.7
    assert abs(values["rmse"] ** 2 - values["mse"]) < 1e-6
    assert 20 < values["mae"] < values["rmse"]


def test_a_data_set_without_predictions_cannot_be_scored(run_pipeline: RunPipeline) -> None:
    body = f"[iris]\ntype = {BUNDLED}.input.sklearn_dataset\nname = iris\n\n[metrics]\ntype = {BUNDLED}.ml.metrics\n"
    ran = run_pipeline(body, expect_failure=True)
    assert ran.error("metrics") == "ValueError: cannot evaluate: the data set has no predictions"
