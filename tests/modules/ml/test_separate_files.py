"""A test set read from another file than the training set: its columns and classes are matched to the model's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pimlico_lite.modules.ml.evaluation import compute_metrics

from pimlico_lite.datatypes import DatasetValue
from tests.modules.conftest import BUNDLED, RunPipeline

WriteFiles = Callable[[dict[str, str]], Path]


def _fruit(rows: list[tuple[float, float, str]], header: str = "x1,x2,label") -> str:
    return "\n".join([header, *(f"{x1},{x2},{label}" for x1, x2, label in rows)]) + "\n"


TRAIN = [(float(i), 0.0, "apple") for i in range(10)] + [(float(i), 10.0, "banana") for i in range(10)]
TRAIN += [(float(i), 20.0, "cherry") for i in range(10)]
# Only apple and cherry: a file numbers its classes by what it holds, so cherry is 1 here and 2 in TRAIN.
TEST = [(0.5, 0.5, "apple"), (3.0, 1.0, "apple"), (2.0, 19.0, "cherry"), (7.0, 21.0, "cherry")]


def _model_train(folder: Path, train: str, test: str, primitive: str, target: str = "label") -> str:
    return f"""
[train]
type = {BUNDLED}.input.csv
path = {folder}/{train}
target = {target}

[test]
type = {BUNDLED}.input.csv
path = {folder}/{test}
target = {target}

[model_train]
type = {BUNDLED}.ml.model_train
input_train = train
input_test = test
train_primitive = {primitive}
"""


def test_classes_of_a_test_file_are_numbered_as_the_model_was_trained(
    run_pipeline: RunPipeline, write_files: WriteFiles
) -> None:
    folder = write_files({"train.csv": _fruit(TRAIN), "test.csv": _fruit(TEST)})
    ran = run_pipeline(_model_train(folder, "train.csv", "test.csv", "sklearn.neighbors.KNeighborsClassifier"))
    metrics = ran.output("model_train")
    assert metrics["metrics"]["accuracy"] == 1.0
    assert metrics["labels"] == ["apple", "banana", "cherry"]
    assert metrics["confusion_matrix"] == [[2, 0, 0], [0, 0, 0], [0, 0, 2]]
    predictions = ran.output("model_train", "predictions")
    assert predictions.target_names == ("apple", "banana", "cherry")
    assert predictions.target.tolist() == [0, 0, 2, 2]


def test_columns_of_a_test_file_in_another_order_are_put_in_the_models_order(
    run_pipeline: RunPipeline, write_files: WriteFiles
) -> None:
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(60, 3))
    y = rows @ np.array([1.0, -2.0, 3.0]) + 0.5
    train = "a,b,c,y\n" + "".join(f"{a},{b},{c},{t}\n" for (a, b, c), t in zip(rows[:40], y[:40], strict=True))
    test = "c,a,b,y\n" + "".join(f"{c},{a},{b},{t}\n" for (a, b, c), t in zip(rows[40:], y[40:], strict=True))
    folder = write_files({"train.csv": train, "test.csv": test})
    body = _model_train(folder, "train.csv", "test.csv", "sklearn.linear_model.LinearRegression", "y")
    metrics = run_pipeline(body).output("model_train")
    assert metrics["metrics"]["r2"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("test", "error"),
    [
        (
            _fruit([*TEST, (1.0, 30.0, "damson")]),
            "ValueError: the data has class 'damson', which the model was not fitted on; the classes of its"
            " training data: 'apple', 'banana', 'cherry'",
        ),
        (
            _fruit(TEST, header="x1,x3,label"),
            "ValueError: the data's columns are not those the model was fitted on: missing 'x2'; not in the"
            " training data 'x3'",
        ),
    ],
)
def test_a_test_file_with_other_classes_or_columns_fails_evaluate_saying_what_differs(
    run_pipeline: RunPipeline, write_files: WriteFiles, test: str, error: str
) -> None:
    folder = write_files({"train.csv": _fruit(TRAIN), "test.csv": test})
    body = _model_train(folder, "train.csv", "test.csv", "sklearn.neighbors.KNeighborsClassifier")
    ran = run_pipeline(body, expect_failure=True)
    assert ran.result.failed == ["model_train:evaluate"]
    assert ran.error("model_train:evaluate") == error


def test_a_primitive_predicts_a_file_with_its_columns_in_another_order(
    run_pipeline: RunPipeline, write_files: WriteFiles
) -> None:
    reordered = "x2,x1,label\n" + "".join(f"{x2},{x1},{label}\n" for x1, x2, label in TEST)
    folder = write_files({"train.csv": _fruit(TRAIN), "test.csv": reordered})
    body = f"""
[train]
type = {BUNDLED}.input.csv
path = {folder}/train.csv
target = label

[test]
type = {BUNDLED}.input.csv
path = {folder}/test.csv
target = label

[knn]
type = {BUNDLED}.ml.primitive
input_train = train
input_data = test
primitive = sklearn.neighbors.KNeighborsClassifier
"""
    produced = run_pipeline(body).output("knn")
    assert produced.feature_names == ("x1", "x2")
    assert produced.predictions.tolist() == produced.target.tolist() == [0, 0, 2, 2]


def test_macro_averages_count_a_class_that_is_predicted_but_never_true_as_scikit_learn_does() -> None:
    from sklearn import metrics

    truth = np.array([0, 0, 1, 1, 0])
    predicted = np.array([0, 2, 1, 1, 0])  # class 2 is never true: its precision is 0 and it is averaged in
    data = DatasetValue(np.zeros((5, 1)), truth, predicted, ("x",), ("a", "b", "c"), "classification")
    values = compute_metrics(data)["metrics"]
    for name, score in (("precision", metrics.precision_score), ("recall", metrics.recall_score)):
        assert values[f"{name}_macro"] == pytest.approx(score(truth, predicted, average="macro", zero_division=0))
    assert values["f1_macro"] == pytest.approx(metrics.f1_score(truth, predicted, average="macro", zero_division=0))
    unnamed = compute_metrics(data.replace(target_names=None, task=None))
    assert unnamed["labels"] == ["0", "1", "2"]
    assert unnamed["metrics"] == values
