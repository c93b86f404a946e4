"""ml.report: metrics.json, summary.txt, a real confusion-matrix PNG, and the table in the log."""

from __future__ import annotations

import json

import pytest
from conftest import MakeConfig

from pimlico_lite.errors import ConfigError
from pimlico_lite.pipeline import load_pipeline
from tests.modules.conftest import BUNDLED, RunPipeline
from tests.modules.ml.test_model_train import MODEL_TRAIN

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_a_classification_report_has_the_json_the_table_and_a_png(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(MODEL_TRAIN + f"\n[report]\ntype = {BUNDLED}.ml.report\nnormalize = true\n")
    files = ran.output("report")
    assert sorted(files) == ["confusion_matrix.png", "metrics.json", "summary.txt"]
    assert json.loads(files["metrics.json"].read_text()) == ran.output("model_train")
    picture = files["confusion_matrix.png"].read_bytes()
    assert picture.startswith(PNG_SIGNATURE)
    assert len(picture) > 1024
    log = ran.log("report")
    assert log[0].split() == ["metric", "value"]
    assert log[1].split()[0] == "accuracy"
    assert [line.split()[0] for line in log[-3:]] == ["setosa", "versicolor", "virginica"]
    assert files["summary.txt"].read_text().splitlines() == log


def test_a_regression_report_has_no_picture(run_pipeline: RunPipeline) -> None:
    body = f"""
        [diabetes]
        type = {BUNDLED}.input.sklearn_dataset
        name = diabetes

        [split]
        type = {BUNDLED}.data.split

        [model_train]
        type = {BUNDLED}.ml.model_train
        input_train = split.train
        input_test = split.test
        train_primitive = sklearn.linear_model.Ridge

        [report]
        type = {BUNDLED}.ml.report
        """
    ran = run_pipeline(body)
    assert sorted(ran.output("report")) == ["metrics.json", "summary.txt"]
    assert [line.split()[0] for line in ran.log("report")] == ["metric", "mae", "mse", "r2", "rmse"]


def test_class_names_and_a_title_with_dollars_are_drawn_as_written() -> None:
    from matplotlib.text import Text
    from pimlico_lite.modules.ml.report.execute import confusion_png

    drawn: list[str] = []
    original = Text.draw

    def draw(self: Text, renderer: object) -> None:
        drawn.append(self.get_text())
        original(self, renderer)

    metrics = {"labels": ["$5-$10", "$x_$ band"], "confusion_matrix": [[1, 0], [0, 1]], "rows": 2}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Text, "draw", draw)
        picture = confusion_png({**metrics, "metrics": {"accuracy": 1.0}}, "prices in $", False, 50)
    assert picture.startswith(b"\x89PNG")
    assert r"\$5-\$10" in drawn
    assert r"\$x_\$ band" in drawn


def test_a_resolution_of_zero_is_a_config_error(make_config: MakeConfig) -> None:
    config = make_config(MODEL_TRAIN + f"\n[report]\ntype = {BUNDLED}.ml.report\ndpi = 0\n")
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    number = len(config.read_text().splitlines())
    assert f"{config.name}:{number} [report] dpi: expected an integer of at least 1, got 0" in str(raised.value)
