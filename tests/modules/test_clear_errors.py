"""Mistakes with the bundled module types fail saying what is wrong, where, and what to do: not Python's words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeConfig

from pimlico_lite.errors import ConfigError
from pimlico_lite.pipeline import load_pipeline
from tests.modules.conftest import BUNDLED, IRIS, RunPipeline

WriteFiles = Callable[[dict[str, str]], Path]


def _csv(folder: Path, name: str, extra: str = "") -> str:
    return f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/{name}\n{extra}"


@pytest.mark.parametrize(
    ("encoding", "hint"), [("latin9x", " (did you mean 'latin9'?)"), ("base64", "")], ids=["unknown", "not-text"]
)
def test_an_unknown_encoding_is_a_config_error_with_a_hint(make_config: MakeConfig, encoding: str, hint: str) -> None:
    # (base64 is a codec Python knows, but not a text encoding: open() refuses it only when the module runs)
    with pytest.raises(ConfigError) as raised:
        load_pipeline(make_config(f"[t]\ntype = {BUNDLED}.input.text_files\ndir = x\nencoding = {encoding}\n"))
    message = f"[t] encoding: expected a text encoding such as utf-8 or latin-1, got '{encoding}'{hint}"
    assert message in str(raised.value)


@pytest.mark.parametrize("kind", ["csv", "jsonl", "text_files"])
def test_a_file_that_is_not_text_in_its_encoding_is_named(run_pipeline: RunPipeline, tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    content = {"csv": b"a,b\n1,caf\xe9\n", "jsonl": b'{"a": 1, "b": "caf\xe9"}\n', "text_files": b"caf\xe9\n"}[kind]
    name = {"csv": "t.csv", "jsonl": "t.jsonl", "text_files": "t.txt"}[kind]
    (folder / name).write_bytes(content)
    where = f"dir = {folder}" if kind == "text_files" else f"path = {folder}/{name}"
    ran = run_pipeline(f"[t]\ntype = {BUNDLED}.input.{kind}\n{where}\n", expect_failure=True)
    assert ran.error("t") == (
        f"TableError: {folder}/{name}: not utf-8 text: byte 0xe9 cannot be read (set encoding = the file's encoding,"
        " such as latin-1 or cp1252)"
    )
    fixed = f"[t]\ntype = {BUNDLED}.input.{kind}\n{where}\nencoding = latin-1\n"
    if kind != "text_files":
        fixed += "columns = a\n"
    assert not run_pipeline(fixed).result.failed


@pytest.mark.parametrize(
    ("files", "extra", "error"),
    [
        ({"e.csv": "a,b\n"}, "", "TableError: {folder}/e.csv: the table has no rows"),
        ({}, "", "{at[path]} no such file: {folder}/e.csv"),
        (
            {"e.csv": "a,y\n1,2.5\n2,NA\n"},
            "target = y\ntask = regression\n",
            "TableError: {folder}/e.csv, column 'y': task is regression, but the target of row 2, 'NA', is not a"
            " number",
        ),
        (
            {"e.csv": ",".join(f"c{n}" for n in range(30)) + ",label\n" + "0," * 30 + "x\n"},
            "target = labl\n",
            "{at[target]} {folder}/e.csv: no column 'labl' (did you mean 'label'?); columns: "
            + ", ".join(f"c{n}" for n in range(20))
            + ", ... (31 in all)",
        ),
    ],
)
def test_a_table_that_cannot_be_read_is_named_with_what_is_wrong(
    run_pipeline: RunPipeline, write_files: WriteFiles, tmp_path: Path, files: dict[str, str], extra: str, error: str
) -> None:
    folder = write_files({"other.txt": "", **files})
    ran = run_pipeline(_csv(folder, "e.csv", extra), expect_failure=True)
    at = {key: ran.where(key, "t") for key in ("path", "target") if "{at[" + key in error}
    assert ran.error("t") == error.format(folder=folder, at=at)


MODEL = (
    IRIS
    + f"""
[split]
type = {BUNDLED}.data.split

[m]
type = {BUNDLED}.ml.model_train
input_train = split.train
input_test = split.test
train_primitive = sklearn.linear_model.LogisticRegression
"""
)


def test_a_batch_size_of_zero_is_a_config_error(make_config: MakeConfig) -> None:
    with pytest.raises(ConfigError, match=r"\[m\] evaluate_batch_size: expected an integer of at least 1, got 0"):
        load_pipeline(make_config(MODEL + "evaluate_batch_size = 0\n"))


def test_an_estimator_among_the_transforms_fails_preprocess_saying_where_it_belongs(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(MODEL + "preprocess_primitives = sklearn.linear_model.Ridge\n", expect_failure=True)
    assert ran.error("m:preprocess") == (
        f"{ran.where('preprocess_primitives', 'm')} sklearn.linear_model.Ridge has no fit_transform(): each step must"
        " be a transform (a scaler, PCA); an estimator that predicts belongs in the next stage"
    )


def test_a_regressor_fitted_on_data_without_a_target_says_so(
    run_pipeline: RunPipeline, write_files: WriteFiles
) -> None:
    folder = write_files({"x.csv": "a,b\n1,2\n3,4\n5,7\n"})
    body = _csv(folder, "x.csv") + f"\n[r]\ntype = {BUNDLED}.ml.primitive\ninput_train = t\ninput_data = t\n"
    ran = run_pipeline(body + "primitive = sklearn.linear_model.LinearRegression\n", expect_failure=True)
    assert ran.error("r:fit") == (
        "ValueError: sklearn.linear_model.LinearRegression is a regressor, and the data set has no target to fit it"
        " on (give its input a target column)"
    )


def test_a_stratified_split_that_cannot_be_made_names_the_rarest_class(
    run_pipeline: RunPipeline, write_files: WriteFiles
) -> None:
    rows = "".join(f"{n},{'common' if n < 9 else 'rare'}\n" for n in range(10))
    folder = write_files({"x.csv": "a,label\n" + rows})
    body = _csv(folder, "x.csv", "target = label\n") + f"\n[s]\ntype = {BUNDLED}.data.split\ntest_size = 3\n"
    ran = run_pipeline(body, expect_failure=True)
    lines = ran.pipeline.config_path.read_text().splitlines()
    assert (ran.error("s") or "").startswith(  # (stratify is left to its default: where [s] starts)
        f"{ran.pipeline.config_path}:{lines.index('[s]') + 1} [s] stratify: cannot keep the class proportions in both"
        " parts (2 classes; the rarest, 'rare', has 1 rows): set stratify = false, or give more rows ("
    )
    assert not run_pipeline(body + "stratify = false\n").result.failed


def test_a_misspelt_package_of_python_docstrings_is_named_with_a_hint(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(f"[d]\ntype = {BUNDLED}.input.python_docstrings\npackages = json, jsno\n", expect_failure=True)
    assert ran.error("d") == f"{ran.where('packages', 'd')} no module 'jsno' to import (did you mean 'json'?)"
