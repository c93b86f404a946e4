"""Execute the to_ids module type."""

from collections.abc import Iterator

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Stream the corpus, a document at a time."""

    def execute(self) -> None:
        """Map every token."""
        ids = {word: index for index, (word, _) in enumerate(self.read_input("vocabulary"))}
        unknown = len(ids) if self.options["unknown"] == "keep" else None
        missing = 0

        def documents() -> Iterator[tuple[str, list[int]]]:
            nonlocal missing
            for name, tokens in self.progress(self.read_input("tokens")):
                mapped = []
                for token in tokens:
                    index = ids.get(token, unknown)
                    missing += token not in ids
                    if index is not None:
                        mapped.append(index)
                yield name, mapped

        self.write_output("ids", documents())
        self.log.info("%d tokens not in the vocabulary (%s)", missing, self.options["unknown"])
