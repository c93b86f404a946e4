"""Execute the jsonl module type."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pimlico_lite.modules.input.tables import TableError, TableExecutor, build_dataset, check_columns

from pimlico_lite.datatypes import DatasetValue


class ModuleExecutor(TableExecutor):
    """Read the records one at a time into a numeric data set."""

    def read(self, path: Path) -> DatasetValue:
        """The data set the file holds."""
        target = self.options["target"]
        with self.open_text(path) as file:
            records = self.records(file, str(path))
            first = next(records, None)
            if first is None:
                message = f"{path}: no records"
                raise TableError(message)
            fields = list(first[1])
            features = self.options["columns"] or [field for field in fields if field != target]
            wanted = [*features, *([target] if target else [])]

            def rows() -> Iterator[tuple[str, dict[str, Any]]]:
                for where, record in self.progress(_chain(first, records)):
                    check_columns(wanted, list(record), where)
                    yield where, record

            return build_dataset(rows(), features, target, self.options["task"], str(path))

    @staticmethod
    def records(lines: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield ``(where, record)`` for each non-blank line; fail on a line that is not a JSON object."""
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                message = f"{where}:{number}: not JSON ({error.msg})"
                raise TableError(message) from None
            if not isinstance(record, dict):
                message = f"{where}:{number}: expected a JSON object, got {type(record).__name__}"
                raise TableError(message)
            yield f"{where}:{number}", record


def _chain(first: tuple[str, dict[str, Any]], rest: Iterator[tuple[str, dict[str, Any]]]) -> Iterator[Any]:
    yield first
    yield from rest
