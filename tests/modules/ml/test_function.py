"""ml.function: a function primitive applied to the features, dense or sparse."""

from __future__ import annotations

import numpy as np

from tests.modules.conftest import BUNDLED, IRIS, RunPipeline


def test_a_function_applies_to_every_feature_with_its_keyword_arguments(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + f"\n[f]\ntype = {BUNDLED}.ml.function\nfunction = numpy.round\ndecimals = 0\n")
    iris, rounded = ran.output("iris"), ran.output("f")
    assert rounded.features.tolist() == np.round(iris.features).tolist()
    assert rounded.target.tolist() == iris.target.tolist()


def _on_counts(folder: object, function: str) -> str:
    """A pipeline that counts the words of the text files in ``folder`` (sparse features), then applies ``function``."""
    return (
        f"[t]\ntype = {BUNDLED}.input.text_files\ndir = {folder}\n\n[tokens]\ntype = {BUNDLED}.text.tokenize\n\n"
        f"[v]\ntype = {BUNDLED}.text.vocabulary\n\n[counts]\ntype = {BUNDLED}.text.term_counts\ninput_tokens = tokens\n"
        f"\n[f]\ntype = {BUNDLED}.ml.function\nfunction = {function}\n"
    )


def test_a_function_keeps_sparse_features_sparse_and_refuses_one_that_moves_zero(
    run_pipeline: RunPipeline, write_files: object
) -> None:
    folder = write_files({"a/x.txt": "one two two", "b/y.txt": "three"})  # type: ignore[operator]
    body = _on_counts(folder, "numpy.log1p")
    ran = run_pipeline(body)
    logged = ran.output("f")
    assert logged.is_sparse
    assert np.allclose(logged.features.toarray(), np.log1p(ran.output("counts").features.toarray()))
    ran = run_pipeline(body.replace("numpy.log1p", "numpy.exp"), expect_failure=True)
    assert ran.error("f") == "ValueError: numpy.exp does not map 0 to 0, so it cannot keep sparse features sparse"


def test_a_function_that_is_not_a_ufunc_gets_sparse_features_whole(
    run_pipeline: RunPipeline, write_files: object
) -> None:
    from sklearn.preprocessing import maxabs_scale

    folder = write_files({"a/x.txt": "one two two two", "b/y.txt": "three one"})  # type: ignore[operator]
    ran = run_pipeline(_on_counts(folder, "sklearn.preprocessing.maxabs_scale"))
    scaled, counts = ran.output("f"), ran.output("counts").features
    assert scaled.is_sparse
    # Each column by its own largest value (the stored values as one vector would have been divided by 3 alike).
    assert np.allclose(scaled.features.toarray(), maxabs_scale(counts).toarray())
    assert np.allclose(abs(scaled.features).max(axis=0).toarray(), 1.0)


def test_a_function_that_works_value_by_value_keeps_sparse_features_sparse(
    run_pipeline: RunPipeline, write_files: object
) -> None:
    folder = write_files({"a/x.txt": "one two two two", "b/y.txt": "three one"})  # type: ignore[operator]
    ran = run_pipeline(_on_counts(folder, "numpy.clip") + "a_min = 0\na_max = 2\n")  # (not a ufunc)
    clipped, counts = ran.output("f"), ran.output("counts").features
    assert clipped.is_sparse
    assert np.array_equal(clipped.features.toarray(), np.clip(counts.toarray(), 0, 2))
    assert counts.toarray().max() == 3


def test_a_class_given_as_the_function_says_where_classes_belong(run_pipeline: RunPipeline) -> None:
    body = IRIS + f"\n[f]\ntype = {BUNDLED}.ml.function\nfunction = sklearn.preprocessing.StandardScaler\n"
    ran = run_pipeline(body, expect_failure=True)
    assert ran.error("f") == (
        f"{ran.where('function', 'f')} 'sklearn.preprocessing.StandardScaler' is a class (use ml.primitive, or"
        " ml.model_train's preprocess, for estimators and transforms)"
    )
