"""Datatypes: on-disk formats, streaming, and which outputs an input accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pimlico_lite.datatypes import (
    Dataset,
    DatasetValue,
    Datatype,
    Files,
    FittedEstimator,
    FittedModel,
    JSONData,
    Metrics,
    MultipleInputs,
    TextCorpus,
    TokenizedCorpus,
    Vocabulary,
    input_datatype,
)


def test_datatype_round_trips_any_picklable_value(tmp_path: Path) -> None:
    value = {"a": [1, 2.5, None], "b": (3, "x")}
    Datatype().write(tmp_path, value)
    assert Datatype().read(tmp_path) == value


def test_json_data_is_readable_json_on_disk(tmp_path: Path) -> None:
    JSONData().write(tmp_path, {"b": 1, "a": [1, 2]})
    assert json.loads((tmp_path / "data.json").read_text()) == {"a": [1, 2], "b": 1}
    assert JSONData().read(tmp_path) == {"a": [1, 2], "b": 1}


def test_text_corpus_streams_a_generator_and_reads_lazily_again_and_again(tmp_path: Path) -> None:
    produced = []

    def documents() -> Iterator[tuple[str, list[str]]]:
        for index in range(3):
            produced.append(index)
            yield f"doc{index}", ["word"] * index

    TextCorpus().write(tmp_path, documents())
    reader = TextCorpus().read(tmp_path)
    assert len(reader) == 3
    assert list(reader) == [("doc0", []), ("doc1", ["word"]), ("doc2", ["word", "word"])]
    assert list(reader) == list(reader)  # re-iterable
    assert len((tmp_path / "documents.jsonl").read_text().splitlines()) == 3


def test_bare_documents_are_named_by_number(tmp_path: Path) -> None:
    TextCorpus().write(tmp_path, ["first", "second"])
    assert list(TextCorpus().read(tmp_path)) == [("1", "first"), ("2", "second")]


@pytest.mark.parametrize("metadata", ['{"count": 2}', '["documents"]', '{"documents": "two"}', "not json"])
def test_a_corpus_made_elsewhere_whose_metadata_lacks_the_count_is_counted(tmp_path: Path, metadata: str) -> None:
    TextCorpus().write(tmp_path, ["first", "second"])
    (tmp_path / "metadata.json").write_text(metadata, encoding="utf-8")
    assert len(TextCorpus().read(tmp_path)) == 2


def test_an_input_accepts_outputs_of_its_datatype_or_a_subclass() -> None:
    assert Datatype().accepts(TextCorpus())
    assert TextCorpus().accepts(TextCorpus())
    assert not TextCorpus().accepts(Datatype())
    assert not JSONData().accepts(TextCorpus())
    assert input_datatype(MultipleInputs(JSONData())).accepts(JSONData())


def test_dataset_round_trips_dense_features_target_and_names_in_numpy_files(tmp_path: Path) -> None:
    import numpy as np

    value = DatasetValue(
        np.arange(6, dtype=float).reshape(3, 2),
        np.array([0, 1, 0]),
        feature_names=("a", "b"),
        target_names=("no", "yes"),
        task="classification",
        row_names=("r1", "r2", "r3"),
    )
    Dataset().write(tmp_path, value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset.json", "features.npy", "target.npy"]
    back = Dataset().read(tmp_path)
    assert back.features.tolist() == [[0, 1], [2, 3], [4, 5]]
    assert back.target.tolist() == [0, 1, 0]
    assert back.predictions is None
    assert (back.feature_names, back.target_names, back.task) == (("a", "b"), ("no", "yes"), "classification")
    assert back.rows(np.array([2, 0])).row_names == ("r3", "r1")
    assert back.rows(np.array([2, 0])).target.tolist() == [0, 0]


def test_dataset_keeps_sparse_features_sparse(tmp_path: Path) -> None:
    import numpy as np
    from scipy import sparse

    value = DatasetValue(sparse.csr_matrix(np.eye(3)), predictions=np.array([1.0, 2.0, 3.0]))
    Dataset().write(tmp_path, value)
    assert (tmp_path / "features.npz").is_file()
    back = Dataset().read(tmp_path)
    assert back.is_sparse
    assert back.features.toarray().tolist() == np.eye(3).tolist()
    assert back.predictions.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("part", "bad", "message"),
    [
        ("target", [0, 1], r"target must have one value per row \(3\), got shape \(2,\)"),
        ("target", ["x", "y", "z"], r"target must be numeric \(encode class labels as integers"),
        ("feature_names", ("a",), "1 feature names for 2 feature columns"),
        ("task", "clustering", "task must be one of classification, regression, got 'clustering'"),
    ],
    ids=["target-length", "string-target", "feature-names", "task"],
)
def test_dataset_refuses_parts_that_do_not_fit(tmp_path: Path, part: str, bad: object, message: str) -> None:
    import numpy as np

    value = DatasetValue(np.zeros((3, 2))).replace(**{part: np.array(bad) if isinstance(bad, list) else bad})
    with pytest.raises(ValueError, match=message):
        Dataset().write(tmp_path, value)


def test_fitted_model_is_reusable_and_described_for_people(tmp_path: Path) -> None:
    FittedModel().write(tmp_path, FittedEstimator({"weights": [1, 2]}, "my.Model", {"alpha": 0.5}))
    assert FittedModel().read(tmp_path).estimator == {"weights": [1, 2]}
    description = json.loads((tmp_path / "model.json").read_text())
    assert description["primitive"] == "my.Model"
    assert description["hyperparameters"] == {"alpha": 0.5}


def test_a_fitted_models_description_gives_the_versions_its_pickle_needs(tmp_path: Path) -> None:
    import numpy as np
    import sklearn
    from sklearn.linear_model import LinearRegression

    fitted = LinearRegression().fit(np.array([[0.0], [1.0]]), np.array([0.0, 1.0]))
    FittedModel().write(tmp_path, FittedEstimator(fitted, "sklearn.linear_model.LinearRegression", {}))
    description = json.loads((tmp_path / "model.json").read_text())
    assert description["versions"] == {"sklearn": sklearn.__version__, "numpy": np.__version__}


def test_files_writes_text_and_bytes_and_lists_them(tmp_path: Path) -> None:
    Files().write(tmp_path, {"a.txt": "hello", "b.bin": b"\x89PNG"})
    assert Files().read(tmp_path) == {"a.txt": tmp_path / "a.txt", "b.bin": tmp_path / "b.bin"}
    assert (tmp_path / "b.bin").read_bytes() == b"\x89PNG"
    with pytest.raises(ValueError, match="plain name"):
        Files().write(tmp_path, {"../x": "no"})


def test_the_new_datatypes_fit_where_their_parents_are_expected() -> None:
    assert TextCorpus().accepts(TokenizedCorpus())
    assert not TokenizedCorpus().accepts(TextCorpus())
    assert JSONData().accepts(Vocabulary())
    assert JSONData().accepts(Metrics())
    assert not Dataset().accepts(FittedModel())


def test_importing_the_datatypes_imports_no_numpy() -> None:
    program = "import sys, pimlico_lite.datatypes; print('numpy' in sys.modules, 'scipy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
