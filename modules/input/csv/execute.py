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
            features = self.options["columns"] or [column for column in header if column != target]
            wanted = [*features, *([target] if target else [])]
            named_by = dict.fromkeys(self.options["columns"], self.option_key("columns"))
            if target:
                named_by[target] = self.option_key("target")
            check_columns(wanted, header, str(path), named_by)
            check_named_once(wanted, header, str(path))

            def rows() -> Iterator[tuple[str, dict[str, str]]]:
                for row in self.progress(reader):
                    if None in row.values() or None in row:
                        message = f"{path}:{reader.line_num}: expected {len(header)} fields"
                        raise TableError(message)
                    yield f"{path}:{reader.line_num}", row

            return build_dataset(rows(), features, target, self.options["task"], str(path))


def check_named_once(wanted: list[str], header: list[str], path: str) -> None:
    """Fail if a column to read has a name that the header gives more than one column (a reader of rows by name
    keeps the last of them only); columns not read may share a name, or have none."""
    counts = Counter(header)
    for column in wanted:
        if counts[column] > 1:
            named = (
                f"{counts[column]} columns are named '{column}'" if column else f"{counts[column]} columns have no name"
            )
            message = f"{path}:1: {named}: give each column that is read a name of its own"
            raise TableError(message)
