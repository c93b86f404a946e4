"""Text corpora, streamed one document at a time, and vocabularies."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pimlico_lite.datatypes.base import Datatype, JSONData


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
        path = self.directory / "documents.jsonl"
        with path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                try:
                    record = json.loads(line)
                    name, document = record["name"], record["document"]
                except (ValueError, KeyError, TypeError) as error:  # (a corpus made elsewhere, say)
                    raise ValueError(_bad_line(path, number, line, error)) from None
                yield name, document

    def __len__(self) -> int:
        metadata = self.directory / "metadata.json"
        if metadata.is_file():  # ({"documents": N}; made elsewhere, it may say something else: then count)
            with contextlib.suppress(ValueError, KeyError, TypeError):
                return int(json.loads(metadata.read_text(encoding="utf-8"))["documents"])
        with (self.directory / "documents.jsonl").open(encoding="utf-8") as file:
            return sum(1 for _ in file)


def _bad_line(path: Path, number: int, line: str, error: Exception) -> str:
    """What to say of line ``number`` of a corpus file that is not a document."""
    if isinstance(error, KeyError):
        why = f"no {error}"
    elif isinstance(error, TypeError):
        why = f"a JSON {type(json.loads(line)).__name__}, not an object"
    else:
        why = f"not JSON ({error})"
    return f'{path}:{number}: expected {{"name": ..., "document": ...}}, got {why}'


class TokenizedCorpus(TextCorpus):
    """A text corpus whose documents are lists of tokens (strings)."""

    datatype_name = "tokenized_corpus"
    format_description = "JSON lines, documents.jsonl: one {'name', 'document': [token, ...]} object per line"


class Vocabulary(JSONData):
    """Words with their counts, most frequent first: ``[[word, count], ...]``; a word's id is its position."""

    datatype_name = "vocabulary"
    format_description = "one JSON file, data.json: a list of [word, count] pairs, most frequent first"
