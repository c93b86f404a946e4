"""Datatypes: on-disk formats, streaming, and which outputs an input accepts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pimlico_lite.datatypes import Datatype, JSONData, MultipleInputs, TextCorpus, input_datatype


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


def test_an_input_accepts_outputs_of_its_datatype_or_a_subclass() -> None:
    assert Datatype().accepts(TextCorpus())
    assert TextCorpus().accepts(TextCorpus())
    assert not TextCorpus().accepts(Datatype())
    assert not JSONData().accepts(TextCorpus())
    assert input_datatype(MultipleInputs(JSONData())).accepts(JSONData())
