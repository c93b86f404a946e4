"""text.normalize, text.vocabulary, text.to_ids and text.tokenize on a small corpus of files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.modules.conftest import BUNDLED, RunPipeline

TEXTS = {"a.txt": "The cat and THE dog, 2 cats", "b.txt": "the dog barks at 12 cats"}


@pytest.fixture
def corpus(write_files: Callable[[dict[str, str]], Path]) -> str:
    folder = write_files(TEXTS)
    return f"""
        [texts]
        type = {BUNDLED}.input.text_files
        dir = {folder}

        [tokens]
        type = {BUNDLED}.text.tokenize
        lowercase = false
        """


def test_normalize_lowercases_and_drops_short_numeric_and_listed_tokens(run_pipeline: RunPipeline, corpus: str) -> None:
    body = corpus + f"[words]\ntype = {BUNDLED}.text.normalize\nmin_length = 2\ndrop_numbers = true\nstopwords = The\n"
    ran = run_pipeline(body)
    assert dict(ran.output("words")) == {
        "a.txt": ["cat", "and", "dog", "cats"],
        "b.txt": ["dog", "barks", "at", "cats"],
    }
    assert ran.log("words") == ["kept 8 tokens, dropped 5"]


def test_normalize_can_keep_case_and_cap_length(run_pipeline: RunPipeline, corpus: str) -> None:
    ran = run_pipeline(corpus + f"[words]\ntype = {BUNDLED}.text.normalize\nlowercase = false\nmax_length = 3\n")
    assert dict(ran.output("words"))["a.txt"] == ["The", "cat", "and", "THE", "dog", "2"]


def test_vocabulary_counts_ranks_and_filters(run_pipeline: RunPipeline, corpus: str) -> None:
    body = corpus + f"[words]\ntype = {BUNDLED}.text.normalize\n\n[vocabulary]\ntype = {BUNDLED}.text.vocabulary\n"
    ran = run_pipeline(body + "min_count = 2\n")
    assert ran.output("vocabulary") == [["the", 3], ["cats", 2], ["dog", 2]]
    ran = run_pipeline(body + "min_documents = 2\nmax_size = 2\n")
    assert ran.output("vocabulary") == [["the", 3], ["cats", 2]]


def test_to_ids_maps_tokens_to_positions_dropping_or_keeping_unknowns(run_pipeline: RunPipeline, corpus: str) -> None:
    body = corpus + (
        f"[words]\ntype = {BUNDLED}.text.normalize\n\n[vocabulary]\ntype = {BUNDLED}.text.vocabulary\nmin_count = 2\n\n"
        f"[ids]\ntype = {BUNDLED}.text.to_ids\ninput_tokens = words\n"
    )
    assert dict(run_pipeline(body).output("ids")) == {"a.txt": [0, 0, 2, 1], "b.txt": [0, 2, 1]}
    kept = dict(run_pipeline(body + "unknown = keep\n").output("ids"))
    assert kept["b.txt"] == [0, 2, 3, 3, 3, 1]


def test_tokenize_given_tokens_fails_saying_the_corpus_is_tokenized_already(
    run_pipeline: RunPipeline, corpus: str
) -> None:
    ran = run_pipeline(corpus + f"[again]\ntype = {BUNDLED}.text.tokenize\n", expect_failure=True)
    assert ran.result.failed == ["again"]
    assert ran.error("again") == (
        "ValueError: document 'a.txt' is not text but a list: tokenized already? (tokenize takes a corpus of text"
        " documents)"
    )
