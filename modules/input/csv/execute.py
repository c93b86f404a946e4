"""Execute the csv module type."""

import csv
from collections.abc import Iterator
from pathlib import Path

from pimlico_lite.modules.input.tables import TableError, build_dataset, check_columns, described, not_text

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import DatasetValue


class ModuleExecutor(BaseModuleExecutor):
    """Read the rows one at a time into a numeric data set."""

    def execute(self) -> None:
        """Read the file."""
        path = self.resolve_path(self.options["path"])
        if not path.is_file():
            message = f"path: {'not a file' if path.exists() else 'no such file'}: {path}"
            raise FileNotFoundError(message)
        try:
            data = self.read(path)
        except UnicodeDecodeError as error:
            raise not_text(path, self.options["encoding"], error) from None
        self.write_output("data", data)
        self.log.info("read %s from %s", described(data), path.name)

    def read(self, path: Path) -> DatasetValue:
        """The data set the file holds."""
        target = self.options["target"]
        with path.open(encoding=self.options["encoding"], newline="") as file:
            reader = csv.DictReader(file, delimiter=self.options["delimiter"])
            header = list(reader.fieldnames or [])
            features = self.options["columns"] or [column for column in header if column != target]
            check_columns([*features, *([target] if target else [])], header, str(path))

            def rows() -> Iterator[tuple[str, dict[str, str]]]:
                for row in self.progress(reader):
                    if None in row.values() or None in row:
                        message = f"{path}:{reader.line_num}: expected {len(header)} fields"
                        raise TableError(message)
                    yield f"{path}:{reader.line_num}", row

            return build_dataset(rows(), features, target, self.options["task"], str(path))
