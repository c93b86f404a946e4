"""text.word_stats: a vocabulary, then document frequencies of its words (the quickstart's multistage module)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeConfig

from pimlico_lite.errors import ConfigError
from pimlico_lite.pipeline import load_pipeline
from tests.modules.conftest import BUNDLED, RunPipeline


def test_vocabulary_then_document_frequencies(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"a.txt": "red red blue", "b.txt": "red green", "c.txt": "blue blue"})
    body = f"""
        [texts]
        type = {BUNDLED}.input.text_files
        dir = {folder}

        [tokens]
        type = {BUNDLED}.text.tokenize

        [stats]
        type = {BUNDLED}.text.word_stats
        min_count = 2
        frequencies_top = 5
        """
    ran = run_pipeline(body)
    assert ran.output("stats:vocabulary") == [["red", 3], ["blue", 3]]  # ties in the order first seen
    assert ran.output("stats") == {"documents": 3, "top": [["blue", 2], ["red", 2]]}


def test_word_stats_takes_tokens_not_text_when_the_pipeline_loads(
    make_config: MakeConfig, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"a.txt": "red red blue"})
    body = f"[texts]\ntype = {BUNDLED}.input.text_files\ndir = {folder}\n\n[stats]\ntype = {BUNDLED}.text.word_stats\n"
    with pytest.raises(
        ConfigError,
        match="input 'tokens' of 'stats' expects TokenizedCorpus, but output 'corpus' of 'texts' is TextCorpus",
    ):
        load_pipeline(make_config(body))
