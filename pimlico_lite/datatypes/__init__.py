"""Datatypes: what flows along a connection, and how it is kept on disk.

A module type declares each input and output with a datatype *instance*. An output can feed an input when the
output's datatype is an instance of the input's datatype class, so a subclass can go wherever its parent is
expected. Each datatype chooses its own on-disk format inside the folder the store gives it.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar


class Datatype:
    """Any picklable Python value, kept as one pickle file."""

    datatype_name: ClassVar[str] = "any"
    format_description: ClassVar[str] = "one pickle file, data.pickle"
    # The file whose presence shows that a folder holds data of this type.
    marker_file: ClassVar[str] = "data.pickle"

    def is_present(self, directory: Path) -> bool:
        """Whether ``directory`` holds data written in this datatype's format."""
        return (directory / self.marker_file).is_file()

    def write(self, directory: Path, value: Any) -> None:
        """Write ``value`` into ``directory`` (which exists and is empty)."""
        with (directory / "data.pickle").open("wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)

    def read(self, directory: Path) -> Any:
        """Read back what :meth:`write` wrote into ``directory``."""
        with (directory / "data.pickle").open("rb") as file:
            return pickle.load(file)

    def accepts(self, produced: Datatype) -> bool:
        """Say whether an output of datatype ``produced`` can feed an input declared with this datatype."""
        return isinstance(produced, type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class JSONData(Datatype):
    """A JSON-serialisable value (dicts, lists, strings, numbers), kept as readable JSON."""

    datatype_name = "json"
    format_description = "one JSON file, data.json"
    marker_file = "data.json"

    def write(self, directory: Path, value: Any) -> None:
        """Write ``value`` as indented JSON."""
        (directory / "data.json").write_text(json.dumps(value, indent=2, sort_keys=True), encoding="utf-8")

    def read(self, directory: Path) -> Any:
        """Read the JSON value back."""
        return json.loads((directory / "data.json").read_text(encoding="utf-8"))


class TextCorpus(Datatype):
    """A sequence of documents, each a JSON value (text, or a list of tokens), streamed one at a time.

    Writing takes any iterable (a generator is consumed lazily) and reading gives a :class:`CorpusReader` that
    reads the file again on each iteration, so neither side holds the whole corpus in memory.
    """

    datatype_name = "text_corpus"
    format_description = "JSON lines, documents.jsonl: one {'name', 'document'} object per line"
    marker_file = "documents.jsonl"

    def write(self, directory: Path, value: Iterable[Any]) -> None:
        """Write the documents of ``value``: ``(name, document)`` pairs, or bare documents named by number."""
        count = 0
        with (directory / "documents.jsonl").open("w", encoding="utf-8") as file:
            for count, item in enumerate(value, start=1):
                name, document = item if isinstance(item, tuple) else (str(count), item)
                file.write(json.dumps({"name": name, "document": document}) + "\n")
        (directory / "metadata.json").write_text(json.dumps({"documents": count}), encoding="utf-8")

    def read(self, directory: Path) -> CorpusReader:
        """Return a lazy, re-iterable reader of the documents."""
        return CorpusReader(directory)


class CorpusReader:
    """Iterate over a stored :class:`TextCorpus` as ``(name, document)`` pairs, reading the file lazily."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        with (self.directory / "documents.jsonl").open(encoding="utf-8") as file:
            for line in file:
                record = json.loads(line)
                yield record["name"], record["document"]

    def __len__(self) -> int:
        metadata = self.directory / "metadata.json"
        if metadata.is_file():
            return int(json.loads(metadata.read_text(encoding="utf-8"))["documents"])
        with (self.directory / "documents.jsonl").open(encoding="utf-8") as file:
            return sum(1 for _ in file)


class MultipleInputs:
    """Declare an input that takes a comma-separated list of outputs, each of ``datatype``."""

    def __init__(self, datatype: Datatype) -> None:
        self.datatype = datatype

    def __repr__(self) -> str:
        return f"MultipleInputs({self.datatype!r})"


def input_datatype(declared: Datatype | MultipleInputs) -> Datatype:
    """Return the datatype each connection of a declared input must satisfy."""
    return declared.datatype if isinstance(declared, MultipleInputs) else declared


__all__ = ["CorpusReader", "Datatype", "JSONData", "MultipleInputs", "TextCorpus", "input_datatype"]
