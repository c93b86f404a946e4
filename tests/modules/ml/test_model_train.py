"""ml.model_train: preprocess, train, evaluate; a change to train's options never re-runs preprocess."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import MakeConfig

from pimlico_lite.execution import compute_statuses, run
from pimlico_lite.pipeline import load_pipeline
from pimlico_lite.store import Store
from tests.modules.conftest import BUNDLED, IRIS, Ran, RunPipeline

MODEL_TRAIN = (
    IRIS
    + f"""
[split]
type = {BUNDLED}.data.split
test_size = 0.3

[model_train]
type = {BUNDLED}.ml.model_train
input_train = split.train
input_test = split.test
preprocess_primitives = sklearn.preprocessing.StandardScaler, sklearn.decomposition.PCA
preprocess_pca__n_components = 2
train_primitive = sklearn.linear_model.LogisticRegression
train_C = 1
"""
)
STAGES = ["model_train:preprocess", "model_train:train", "model_train:evaluate"]


def test_the_three_stages_transform_train_and_score(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(MODEL_TRAIN)
    transformed = ran.output("model_train:preprocess", "data")
    assert transformed.features.shape == (105, 2)
    assert transformed.feature_names == ("pca0", "pca1")
    assert ran.output("model_train:train", "model").estimator.C == 1.0
    metrics = ran.output("model_train")
    assert metrics["task"] == "classification"
    assert metrics["rows"] == 45
    assert 0.8 < metrics["metrics"]["accuracy"] <= 1.0
    assert metrics["labels"] == ["setosa", "versicolor", "virginica"]
    assert sum(map(sum, metrics["confusion_matrix"])) == 45
    assert metrics["preprocess"] == ["StandardScaler", "PCA"]
    predictions = ran.output("model_train", "predictions")
    assert predictions.predictions.shape == (45,)
    assert ran.log("model_train:preprocess")[1] == (
        "pca: fitted sklearn.decomposition.PCA(n_components=2), 2 features out"
    )


def test_the_model_is_trained_on_what_fit_transform_gave_as_scikit_learns_pipeline_is(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    """TargetEncoder cross-fits in fit_transform: the rows it was fitted on come out otherwise than transform()
    gives them (which would hand the model each row's own target)."""
    from sklearn.linear_model import LogisticRegression

    generator = np.random.default_rng(0)
    shop, noise, label = generator.integers(0, 40, 300), generator.normal(size=300), generator.integers(0, 2, 300)
    rows = zip(shop, noise, label, strict=True)
    folder = write_files({"shops.csv": "shop,x2,label\n" + "".join(f"{s},{x:.6f},{y}\n" for s, x, y in rows)})
    ran = run_pipeline(
        f"""
[shops]
type = {BUNDLED}.input.csv
path = {folder}/shops.csv
target = label

[model_train]
type = {BUNDLED}.ml.model_train
input_train = shops
input_test = shops
preprocess_primitives = sklearn.preprocessing.TargetEncoder
train_primitive = sklearn.linear_model.LogisticRegression
"""
    )
    data, transformed = ran.output("shops"), ran.output("model_train:preprocess", "data")
    encoder = ran.output("model_train:preprocess", "model").estimator[0]
    # Cross-fitted (shuffled at random, so compared by what it is not): not what transform() gives these rows.
    assert not np.allclose(transformed.features, encoder.transform(data.features))
    model = ran.output("model_train:train", "model").estimator
    assert np.allclose(model.coef_, LogisticRegression().fit(transformed.features, data.target).coef_)


def test_changing_a_train_option_outdates_train_and_evaluate_but_never_reruns_preprocess(
    make_config: MakeConfig,
) -> None:
    config = make_config(MODEL_TRAIN)
    first = run(load_pipeline(config), run_all=True)
    assert first.completed == ["iris", "split", *STAGES]
    preprocess_run = Ran(load_pipeline(config), first).run_ids()["model_train:preprocess"]

    config.write_text(config.read_text().replace("train_C = 1\n", "train_C = 0.05\n"))
    pipeline = load_pipeline(config)
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert {name: str(status.state) for name, status in statuses.items()} == {
        "iris": "COMPLETE",
        "split": "COMPLETE",
        "model_train:preprocess": "COMPLETE",
        "model_train:train": "OUTDATED",
        "model_train:evaluate": "OUTDATED",
    }
    assert statuses["model_train:train"].reasons == ("option train_C changed: 1 -> 0.05",)

    second = run(pipeline, run_all=True)
    assert second.completed == ["model_train:train", "model_train:evaluate"]
    ran = Ran(pipeline, second)
    assert ran.run_ids()["model_train:preprocess"] == preprocess_run
    assert [record.id for record in ran.store.state.runs("model_train:preprocess")] == [preprocess_run]
    assert ran.output("model_train:train", "model").estimator.C == 0.05


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "preprocess_pca__n_component = 2",
            "preprocess_pca__n_component: not a hyperparameter of sklearn.decomposition.PCA"
            " (did you mean 'preprocess_pca__n_components'?)",
        ),
        (
            "preprocess_pac__n_components = 2",
            "preprocess_pac__n_components: no step 'pac' (did you mean 'pca'?)",
        ),
        (
            "preprocess_n_components = 2",
            "preprocess_n_components: name a step's hyperparameter as STEP__NAME",
        ),
        (
            "preprocess_PCA__n_components = 2",
            "preprocess_PCA__n_components: no step 'PCA' (did you mean 'pca'?)",
        ),
    ],
    ids=["unknown-hyperparameter", "unknown-step", "no-step", "step-in-another-case"],
)
def test_step_hyperparameter_mistakes_fail_preprocess_before_fitting(
    run_pipeline: RunPipeline, line: str, error: str
) -> None:
    ran = run_pipeline(MODEL_TRAIN.replace("preprocess_pca__n_components = 2", line), expect_failure=True)
    assert ran.result.failed == ["model_train:preprocess"]
    assert f"pipeline.conf:18 [model_train] {error}" in (ran.error("model_train:preprocess") or "")


def test_a_transform_as_train_primitive_fails_evaluate_saying_why(run_pipeline: RunPipeline) -> None:
    body = MODEL_TRAIN.replace("train_primitive = sklearn.linear_model.LogisticRegression\ntrain_C = 1\n", "")
    body = body.replace("[model_train]\n", "[model_train]\ntrain_primitive = sklearn.decomposition.TruncatedSVD\n")
    ran = run_pipeline(body, expect_failure=True)
    assert ran.result.failed == ["model_train:evaluate"]
    assert (ran.error("model_train:evaluate") or "").startswith(
        "ValueError: sklearn.decomposition.TruncatedSVD has no predict(): the estimator to evaluate must be a"
        " classifier"
    )


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "train_c = 1",
            "train_c: not a hyperparameter of sklearn.linear_model.LogisticRegression (did you mean 'train_C'?)",
        ),
        (
            "train_fit_intercept = [1]",
            "train_fit_intercept: sklearn.linear_model.LogisticRegression expects true or false (the default is"
            " True), got [1]",
        ),
        (
            "train_xyz = 1",
            "train_xyz: not a hyperparameter of sklearn.linear_model.LogisticRegression; its",
        ),
    ],
    ids=["other-case", "bad-bool", "no-close-name"],
)
def test_train_hyperparameter_mistakes_name_the_config_key(run_pipeline: RunPipeline, line: str, error: str) -> None:
    ran = run_pipeline(MODEL_TRAIN.replace("train_C = 1", line), expect_failure=True)
    assert ran.result.failed == ["model_train:train"]
    assert f"pipeline.conf:20 [model_train] {error}" in (ran.error("model_train:train") or "")
