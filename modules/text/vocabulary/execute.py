"""Execute the vocabulary module type."""

from collections import Counter

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Count, streaming the corpus, then filter."""

    def execute(self) -> None:
        """Build the vocabulary."""
        counts: Counter[str] = Counter()
        documents: Counter[str] = Counter()
        for _, tokens in self.progress(self.read_input("tokens")):
            counts.update(tokens)
            documents.update(set(tokens))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        kept = [
            [word, count]
            for word, count in ranked
            if count >= self.options["min_count"] and documents[word] >= self.options["min_documents"]
        ]
        if self.options["max_size"]:
            kept = kept[: self.options["max_size"]]
        self.write_output("vocabulary", kept)
        self.log.info("%d distinct words, %d kept", len(counts), len(kept))
