"""data.columns: keep or drop feature columns by name or position."""

from __future__ import annotations

from tests.modules.conftest import BUNDLED, IRIS, RunPipeline


def test_columns_by_name_and_position_in_the_order_given(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + f"\n[c]\ntype = {BUNDLED}.data.columns\ncolumns = petal width (cm), 0\n")
    iris, chosen = ran.output("iris"), ran.output("c")
    assert chosen.feature_names == ("petal width (cm)", "sepal length (cm)")
    assert chosen.features.tolist() == iris.features[:, [3, 0]].tolist()
    assert chosen.target.tolist() == iris.target.tolist()


def test_drop_keeps_the_other_columns_and_an_unknown_column_fails_with_a_hint(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + f"\n[c]\ntype = {BUNDLED}.data.columns\ncolumns = 1, 2\ndrop = true\n")
    assert ran.output("c").feature_names == ("sepal length (cm)", "petal width (cm)")
    ran = run_pipeline(IRIS + f"\n[c]\ntype = {BUNDLED}.data.columns\ncolumns = petal widht (cm)\n", True)
    assert "no column 'petal widht (cm)' (did you mean 'petal width (cm)'?)" in (ran.error("c") or "")
