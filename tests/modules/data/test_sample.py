"""data.sample: a seeded random sample of rows, in their original order."""

from __future__ import annotations

from tests.modules.conftest import BUNDLED, IRIS, RunPipeline


def test_a_fraction_of_the_rows_keeping_the_classes(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + f"\n[sample]\ntype = {BUNDLED}.data.sample\nsize = 0.2\n")
    sample = ran.output("sample")
    assert sample.n_rows == 30
    assert [sample.target.tolist().count(label) for label in range(3)] == [10, 10, 10]
    assert sample.target.tolist() == sorted(sample.target.tolist())  # iris is ordered by class: order is kept


def test_a_size_that_is_not_positive_is_refused(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + f"\n[sample]\ntype = {BUNDLED}.data.sample\nsize = 0\n", expect_failure=True)
    message = "ValueError: size must be a count (1 or more) or a fraction (between 0 and 1), got 0.0"
    assert ran.error("sample") == message
