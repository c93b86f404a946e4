"""Execute the csv module type."""

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pimlico_lite.modules.input.tables import TableError, TableExecutor, build_dataset, check_columns

from pimlico_lite.datatypes import DatasetValue


class ModuleExecutor(TableExecutor):
    """Read the rows one at a time into a numeric data set."""

    def read(self, path: Path) -> DatasetValue:
        """The data set the file holds."""
        target = self.options["target"]
        with self.open_text(path, newline="") as file:
            reader = csv.DictReader(file, delimiter=self.options["delimiter"])
            header = list(reader.fieldnames or [])
            repeated = next((column for column, count in Counter(header).items() if count > 1), None)
            if repeated is not None:
                message = f"{path}:1: the column '{repeated}' is named twice: give each column a name of its own"
                raise TableError(message)
            features = self.options["columns"] or [column for column in header if column != target]
            check_columns([*features, *([target] if target else [])], header, str(path))

            def rows() -> Iterator[tuple[str, dict[str, str]]]:
                for row in self.progress(reader):
                    if None in row.values() or None in row:
                        message = f"{path}:{reader.line_num}: expected {len(header)} fields"
                        raise TableError(message)
                    yield f"{path}:{reader.line_num}", row

            return build_dataset(rows(), features, target, self.options["task"], str(path))
