"""input.csv: a CSV file as a data set, with labels encoded as classes and clear errors for bad values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.modules.conftest import BUNDLED, RunPipeline

CSV = "height,weight,species\n1.5,20,cat\n2.5,40,dog\n1.0,15,cat\n"


def test_numeric_columns_become_features_and_labels_become_classes(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"animals.csv": CSV})
    data = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/animals.csv\ntarget = species\n").output("t")
    assert data.features.tolist() == [[1.5, 20], [2.5, 40], [1.0, 15]]
    assert data.feature_names == ("height", "weight")
    assert (data.target.tolist(), data.target_names, data.task) == ([0, 1, 0], ("cat", "dog"), "classification")


def test_the_log_says_what_the_target_was_read_as(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    # One missing value makes a number column classes, one per distinct number: the log line shows it.
    folder = write_files({"a.csv": "x,y\n1,2.5\n2,NA\n3,1.25\n", "b.csv": "x,y\n1,2.5\n2,3.5\n"})
    classes = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/a.csv\ntarget = y\n")
    assert classes.log("t") == ["read 3 rows, 1 feature, a target of 3 classes from a.csv"]
    numbers = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/b.csv\ntarget = y\n")
    assert numbers.log("t") == ["read 2 rows, 1 feature, a number target (regression) from b.csv"]


def test_columns_choose_the_features_and_a_number_target_can_be_regression(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"a.csv": "x;y;z\n1;2;0.5\n3;4;1.5\n"})
    body = f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/a.csv\ndelimiter = ;\ntarget = z\ncolumns = y\n"
    data = run_pipeline(body).output("t")
    assert (data.features.tolist(), data.target.tolist(), data.task) == ([[2], [4]], [0.5, 1.5], "regression")


def test_a_value_that_is_not_a_number_fails_saying_where(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"bad.csv": CSV.replace("2.5", "tall")})
    ran = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/bad.csv\ntarget = species\n", True)
    assert ran.error("t") == f"TableError: {folder}/bad.csv:3, column 'height': expected a number, got 'tall'"
    ran = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/bad.csv\ntarget = specie\n", True)
    assert "no column 'specie' (did you mean 'species'?)" in (ran.error("t") or "")
