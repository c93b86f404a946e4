"""Execute the frequencies stage."""

from collections import Counter

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Count document frequencies of the vocabulary words."""

    def execute(self) -> None:
        """Count, then keep the top words."""
        vocabulary = {word for word, _ in self.read_input("vocabulary")}
        documents: Counter[str] = Counter()
        total = 0
        for _, tokens in self.progress(self.read_input("tokens")):
            documents.update(set(tokens) & vocabulary)
            total += 1
        # Ties are broken alphabetically, so the result does not depend on set order.
        top = sorted(documents.items(), key=lambda item: (-item[1], item[0]))[: self.options["top"]]
        self.write_output("frequencies", {"documents": total, "top": [[w, n] for w, n in top]})
        for word, count in top[:5]:
            self.log.info("%-12s in %d of %d documents", word, count, total)
