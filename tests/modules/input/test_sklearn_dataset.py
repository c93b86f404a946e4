"""input.sklearn_dataset: the data sets inside scikit-learn, whole or sampled."""

from __future__ import annotations

from tests.modules.conftest import BUNDLED, IRIS, RunPipeline


def test_iris_loads_whole_with_names_and_classes(run_pipeline: RunPipeline) -> None:
    data = run_pipeline(IRIS).output("iris")
    assert data.features.shape == (150, 4)
    assert data.feature_names[0] == "sepal length (cm)"
    assert data.target_names == ("setosa", "versicolor", "virginica")
    assert data.task == "classification"
    assert sorted(set(data.target.tolist())) == [0, 1, 2]


def test_a_sample_is_seeded_and_keeps_the_class_proportions(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + "sample = 30\nseed = 4\n\n[again]\n%% copy iris\n")
    first, again = ran.output("iris"), ran.output("again")
    assert first.n_rows == 30
    assert [first.target.tolist().count(label) for label in range(3)] == [10, 10, 10]
    assert first.features.tolist() == again.features.tolist()


def test_diabetes_is_a_regression_data_set(run_pipeline: RunPipeline) -> None:
    data = run_pipeline(f"[d]\ntype = {BUNDLED}.input.sklearn_dataset\nname = diabetes\nsample = 0.1\n").output("d")
    assert (data.n_rows, data.n_features, data.task, data.target_names) == (44, 10, "regression", None)
    assert data.target.dtype.kind == "f"
