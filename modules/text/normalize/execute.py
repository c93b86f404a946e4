"""Execute the normalize module type."""

from collections.abc import Iterator

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Stream the corpus through the filters, a document at a time."""

    def execute(self) -> None:
        """Normalize every document."""
        options = self.options
        stopwords = {word.lower() if options["lowercase"] else word for word in options["stopwords"]}
        longest = options["max_length"] or None
        kept = dropped = 0

        def keep(token: str) -> bool:
            return (
                len(token) >= options["min_length"]
                and (longest is None or len(token) <= longest)
                and not (options["drop_numbers"] and token.isdigit())
                and token not in stopwords
            )

        def documents() -> Iterator[tuple[str, list[str]]]:
            nonlocal kept, dropped
            for name, tokens in self.progress(self.read_input("tokens")):
                normalized = [token.lower() if options["lowercase"] else token for token in tokens]
                result = [token for token in normalized if keep(token)]
                kept += len(result)
                dropped += len(normalized) - len(result)
                yield name, result

        self.write_output("tokens", documents())
        self.log.info("kept %d tokens, dropped %d", kept, dropped)
