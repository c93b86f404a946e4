"""Execute the vocabulary stage."""

from collections import Counter

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Count the tokens of the corpus, streaming it."""

    def execute(self) -> None:
        """Build the vocabulary."""
        counts: Counter[str] = Counter()
        for _, tokens in self.progress(self.read_input("tokens")):
            counts.update(tokens)
        kept = [[word, count] for word, count in counts.most_common() if count >= self.options["min_count"]]
        self.write_output("vocabulary", kept)
        self.log.info("%d distinct words, %d used at least %d times", len(counts), len(kept), self.options["min_count"])
