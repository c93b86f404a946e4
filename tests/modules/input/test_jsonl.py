"""input.jsonl: JSON-lines records as a data set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.modules.conftest import BUNDLED, RunPipeline

RECORDS = '{"a": 1, "b": true, "label": 3}\n\n{"a": 2.5, "b": false, "label": 7}\n'


def test_records_become_rows_and_whole_number_labels_classes(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"r.jsonl": RECORDS})
    data = run_pipeline(f"[r]\ntype = {BUNDLED}.input.jsonl\npath = {folder}/r.jsonl\ntarget = label\n").output("r")
    assert data.features.tolist() == [[1.0, 1.0], [2.5, 0.0]]
    assert (data.target.tolist(), data.target_names) == ([0, 1], ("3", "7"))


def test_a_line_that_is_not_an_object_fails_with_its_line_number(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"r.jsonl": RECORDS + "[1, 2]\n"})
    ran = run_pipeline(f"[r]\ntype = {BUNDLED}.input.jsonl\npath = {folder}/r.jsonl\n", expect_failure=True)
    assert ran.error("r") == f"TableError: {folder}/r.jsonl:4: expected a JSON object, got list"
