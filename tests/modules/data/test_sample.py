"""data.sample: a seeded random sample of rows, in their original order."""

from __future__ import annotations

import pytest
from conftest import MakeConfig

from pimlico_lite.errors import ConfigError
from pimlico_lite.pipeline import load_pipeline
from tests.modules.conftest import BUNDLED, IRIS, RunPipeline


def test_a_fraction_of_the_rows_keeping_the_classes(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + f"\n[sample]\ntype = {BUNDLED}.data.sample\nsize = 0.2\n")
    sample = ran.output("sample")
    assert sample.n_rows == 30
    assert [sample.target.tolist().count(label) for label in range(3)] == [10, 10, 10]
    assert sample.target.tolist() == sorted(sample.target.tolist())  # iris is ordered by class: order is kept


@pytest.mark.parametrize("size", ["0", "-3", "2.5"])
def test_a_size_that_is_neither_rows_nor_a_fraction_is_a_config_error(make_config: MakeConfig, size: str) -> None:
    config = make_config(IRIS + f"\n[sample]\ntype = {BUNDLED}.data.sample\nsize = {size}\n")
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    expected = "expected a number of rows (1 or more, whole) or a fraction between 0 and 1"
    assert f"[sample] size: {expected}, got {size}" in str(raised.value)
