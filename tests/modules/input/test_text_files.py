"""input.text_files, text.tokenize and text.term_counts: a folder per class becomes a labelled data set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.modules.conftest import BUNDLED, RunPipeline

TEXTS = {
    "birds/robin.txt": "The robin sings. Robins sing at dawn.",
    "birds/wren.txt": "A wren sings loudly",
    "fish/trout.txt": "The trout swims; trout swim upstream",
    "notes.md": "not read: the pattern is *.txt",
}


def pipeline(folder: Path) -> str:
    return f"""
        [texts]
        type = {BUNDLED}.input.text_files
        dir = {folder}

        [tokens]
        type = {BUNDLED}.text.tokenize

        [vocabulary]
        type = {BUNDLED}.text.vocabulary

        [counts]
        type = {BUNDLED}.text.term_counts
        input_tokens = tokens
        target = folder
        """


def test_files_are_read_in_order_tokenized_and_counted_with_their_folder_as_class(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    ran = run_pipeline(pipeline(write_files(TEXTS)))
    assert [name for name, _ in ran.output("texts")] == ["birds/robin.txt", "birds/wren.txt", "fish/trout.txt"]
    assert next(iter(ran.output("tokens")))[1] == ["the", "robin", "sings", "robins", "sing", "at", "dawn"]
    counts = ran.output("counts")
    assert counts.is_sparse
    assert counts.row_names == ("birds/robin.txt", "birds/wren.txt", "fish/trout.txt")
    assert (counts.target.tolist(), counts.target_names) == ([0, 0, 1], ("birds", "fish"))
    trout = counts.feature_names.index("trout")
    assert counts.features[:, trout].toarray().ravel().tolist() == [0, 0, 2]


def test_a_document_without_a_folder_cannot_take_its_class_from_one(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    ran = run_pipeline(pipeline(write_files({"loose.txt": "no folder"})), expect_failure=True)
    assert ran.error("counts") == "ValueError: target = folder: document 'loose.txt' has no folder in its name"
