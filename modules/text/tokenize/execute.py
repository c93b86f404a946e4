"""Execute the tokenize module type."""

import re
from collections.abc import Iterator
from typing import Any

from pimlico_lite import BaseModuleExecutor

WORD = re.compile(r"\w+")


class ModuleExecutor(BaseModuleExecutor):
    """Stream the corpus through the tokenizer, a document at a time."""

    def execute(self) -> None:
        """Tokenize every document."""
        corpus = self.read_input("corpus")
        lowercase, min_length = self.options["lowercase"], self.options["min_length"]

        def documents() -> Iterator[tuple[str, list[Any]]]:
            for name, text in self.progress(corpus):
                if not isinstance(text, str):
                    # A tokenized corpus is a text corpus too (its datatype is a subclass), so it fits the input.
                    kind = "a list: tokenized already?" if isinstance(text, list) else type(text).__name__
                    message = f"document '{name}' is not text but {kind} (tokenize takes a corpus of text documents)"
                    raise ValueError(message)
                words = WORD.findall(text.lower() if lowercase else text)
                yield name, [word for word in words if len(word) >= min_length]

        self.write_output("tokens", documents())
