"""The ``type = <datatype class>`` plus ``dir =`` form: data written elsewhere, read as an input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import MakeConfig

from pimlico_lite.datatypes import Dataset, DatasetValue
from pimlico_lite.errors import ConfigError
from pimlico_lite.pipeline import load_pipeline
from tests.modules.conftest import BUNDLED, RunPipeline


def test_a_dataset_in_a_folder_feeds_the_library(run_pipeline: RunPipeline, tmp_path: Path) -> None:
    folder = tmp_path / "made_elsewhere"
    folder.mkdir()
    target = np.array([0, 1] * 10)
    Dataset().write(folder, DatasetValue(np.arange(40.0).reshape(20, 2), target, target_names=("a", "b")))
    ran = run_pipeline(
        f"[data]\ntype = pimlico_lite.datatypes.Dataset\ndir = {folder}\n\n[split]\ntype = {BUNDLED}.data.split\n"
    )
    assert ran.output("split", "test").n_rows == 5
    assert ran.output("split", "train").target.tolist().count(1) == 8


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"name": "c", document: "oops"}', "not JSON (Expecting property name enclosed in double quotes: line 1"),
        ('{"name": "c"}', "no 'document'"),
        ("[1, 2]", "a JSON list, not an object"),
    ],
)
def test_a_corpus_made_elsewhere_with_a_bad_line_fails_its_reader_naming_the_file_and_line(
    run_pipeline: RunPipeline, tmp_path: Path, line: str, why: str
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "documents.jsonl").write_text(
        f'{{"name": "a", "document": "x y"}}\n{{"name": "b", "document": "z"}}\n{line}\n'
    )
    body = (
        f"[docs]\ntype = pimlico_lite.datatypes.TextCorpus\ndir = {folder}\n[tokens]\ntype = {BUNDLED}.text.tokenize\n"
    )
    ran = run_pipeline(body, expect_failure=True)
    expected = f'ValueError: {folder}/documents.jsonl:3: expected {{"name": ..., "document": ...}}, got {why}'
    assert (ran.error("tokens") or "").startswith(expected)


def test_a_dataset_made_elsewhere_that_lacks_a_part_fails_its_reader_naming_the_file(
    run_pipeline: RunPipeline, tmp_path: Path
) -> None:
    folder = tmp_path / "made_elsewhere"
    folder.mkdir()
    (folder / "dataset.json").write_text("{}")
    body = f"[data]\ntype = pimlico_lite.datatypes.Dataset\ndir = {folder}\n[split]\ntype = {BUNDLED}.data.split\n"
    ran = run_pipeline(body, expect_failure=True)
    expected = f"ValueError: {folder}/dataset.json: no 'sparse': not a data set as the Dataset datatype writes one"
    assert ran.error("split") == expected


def test_a_datatype_that_does_not_fit_is_an_error_when_the_pipeline_loads(make_config: MakeConfig) -> None:
    body = f"[data]\ntype = pimlico_lite.datatypes.Dataset\ndir = x\n\n[t]\ntype = {BUNDLED}.text.tokenize\n"
    config = make_config(body)
    with pytest.raises(ConfigError, match="input 'corpus' of 't' expects TextCorpus, but output 'data' of 'data' is"):
        load_pipeline(config)


@pytest.mark.parametrize("datatype", ["Dataset", "TextCorpus", "Metrics", "FittedModel", "Vocabulary", "Trials"])
def test_a_datatype_is_found_in_a_fresh_process_whatever_the_sections_before_it(
    make_config: MakeConfig, datatype: str
) -> None:
    # pimlico_lite.datatypes imports its classes when first asked for: a lookup must ask, not read its namespace.
    config = make_config(f"[data]\ntype = pimlico_lite.datatypes.{datatype}\ndir = elsewhere\n")
    result = subprocess.run(
        [sys.executable, "-m", "pimlico_lite", str(config), "status"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "data" in result.stdout
    misspelt = config.read_text().replace(f".{datatype}\n", f".{datatype}x\n")
    config.write_text(misspelt)
    result = subprocess.run(
        [sys.executable, "-m", "pimlico_lite", str(config), "status"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert f"(did you mean 'pimlico_lite.datatypes.{datatype}'?)" in result.stderr
