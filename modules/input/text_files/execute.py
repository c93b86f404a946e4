"""Execute the text_files module type."""

from collections.abc import Iterator

from pimlico_lite.modules.input.tables import not_text

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Stream the files into the corpus, one at a time, in sorted order."""

    def execute(self) -> None:
        """Read the folder."""
        folder = self.resolve_path(self.options["dir"])
        if not folder.is_dir():
            message = f"dir: no such folder {folder}"
            raise FileNotFoundError(message)
        files = sorted(p for p in folder.rglob(self.options["pattern"]) if p.is_file())
        if not files:
            message = f"no file in {folder} matches '{self.options['pattern']}'"
            raise FileNotFoundError(message)

        encoding = self.options["encoding"]

        def documents() -> Iterator[tuple[str, str]]:
            for path in self.progress(files):
                try:
                    text = path.read_text(encoding=encoding)
                except UnicodeDecodeError as error:
                    raise not_text(path, encoding, error) from None
                yield path.relative_to(folder).as_posix(), text

        self.write_output("corpus", documents())
        self.log.info("read %d files from %s", len(files), folder)
