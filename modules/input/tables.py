"""Turn rows of named values (from CSV or JSON lines) into a numeric data set.

Used by executors only. Feature values must be numbers; the target may be numbers or labels.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import DatasetValue
from pimlico_lite.errors import OptionError, did_you_mean

# The most columns a message lists (a wide table has thousands).
SHOWN_COLUMNS = 20
# More classes than this, all whole numbers, are likely a quantity read as classes.
MANY_CLASSES = 20


class TableError(ValueError):
    """A value or a column of the table cannot be used."""


class TableExecutor(BaseModuleExecutor):
    """The executor of a module type that reads the file of its option ``path`` (in its ``encoding``) into a data
    set, output ``data``: a subclass says how, in :meth:`read`."""

    def execute(self) -> None:
        """Read the file, and log what it was read as."""
        path = self.resolve_path(self.options["path"])
        if not path.is_file():
            raise OptionError(self.option_key("path"), f"{'not a file' if path.exists() else 'no such file'}: {path}")
        try:
            data = self.read(path)
        except UnicodeDecodeError as error:
            raise not_text(path, self.options["encoding"], error) from None
        self.write_output("data", data)
        self.log.info("read %s from %s", described(data), path.name)

    def read(self, path: Path) -> DatasetValue:
        """The data set the file holds."""
        raise NotImplementedError

    def open_text(self, path: Path, **arguments: Any) -> TextIO:
        """Open the file as text in its ``encoding``; UTF-8 with or without the byte-order mark that some programs
        (Excel's "CSV UTF-8") put first, which would otherwise start the first column's name."""
        encoding = self.options["encoding"]
        if codecs.lookup(encoding).name == "utf-8":
            encoding = "utf-8-sig"
        return path.open(encoding=encoding, **arguments)


def described(data: DatasetValue) -> str:
    """What a table was read as, for the log: its rows and features, and what its target became (a number column
    with one missing value is read as classes, one per distinct number: the log says so)."""
    text = f"{data.n_rows} rows, {data.n_features} feature{'' if data.n_features == 1 else 's'}"
    if data.target is None:
        return f"{text}, no target"
    if data.task == "classification":
        count = len(data.target_names or ())
        if may_be_a_quantity(data):
            return f"{text}, a target of {count} classes (whole numbers: task = regression if it is a quantity)"
        return f"{text}, a target of {count} classes"
    return f"{text}, a number target (regression)"


def may_be_a_quantity(data: DatasetValue) -> bool:
    """Whether the classes of the target look like a quantity read as classes: many, all whole numbers (a table's
    target of whole numbers is read as classes unless its task says regression)."""
    names = data.target_names or ()
    return len(names) > MANY_CLASSES and all(name.lstrip("-").isdigit() for name in names)


def not_text(path: object, encoding: str, error: UnicodeDecodeError) -> TableError:
    """The error for a file that is not text in ``encoding``, naming it (Python's own message names no file)."""
    byte = error.object[error.start : error.start + 1].hex()
    message = (
        f"{path}: not {encoding} text: byte 0x{byte} cannot be read (set encoding = the file's encoding, such as"
        " latin-1 or cp1252)"
    )
    return TableError(message)


def check_features(features: Sequence[str], target: str | None, where: str) -> None:
    """Fail if the features, as ``columns`` gives them, name one twice, or take the target (which a model would
    then be given to predict from)."""
    if target is not None and target in features:
        message = f"{where}: the target '{target}' is among the columns to read as features: take it out of columns"
        raise TableError(message)
    seen: set[str] = set()
    for column in features:
        if column in seen:
            message = f"{where}: the option columns gives '{column}' twice"
            raise TableError(message)
        seen.add(column)


def check_columns(
    wanted: Sequence[str], available: Sequence[str], where: str, named_by: Mapping[str, str] | None = None
) -> None:
    """Fail if a wanted column is not in the table, naming the columns it has: with an :class:`OptionError` of the
    config key that ``named_by`` gives for the column, if it gives one (the header of a CSV file names every column;
    a JSON record that lacks one is the data's mistake)."""
    for column in wanted:
        if column not in available:
            hint = did_you_mean(column, available)
            shown = ", ".join(available[:SHOWN_COLUMNS])
            if len(available) > SHOWN_COLUMNS:
                shown += f", ... ({len(available)} in all)"
            message = f"{where}: no column '{column}'{hint}; columns: {shown}"
            if named_by and column in named_by:
                raise OptionError(named_by[column], message)
            raise TableError(message)


def number(value: Any, where: str, column: str) -> float:
    """A feature value as a float; fail saying where it is and what it was."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        missing = " (a missing value is written nan; sklearn.impute.SimpleImputer fills it)" if value == "" else ""
        message = f"{where}, column '{column}': expected a number, got {value!r}{missing}"
        raise TableError(message) from None


def build_dataset(
    rows: Iterable[tuple[str, Mapping[str, Any]]], features: Sequence[str], target: str | None, task: str, source: str
) -> DatasetValue:
    """Build the data set from ``(where, row)`` pairs of the file ``source``; ``task`` is auto, classification or
    regression."""
    import numpy as np

    check_features(features, target, source)
    matrix: list[list[float]] = []
    labels: list[Any] = []
    for where, row in rows:
        matrix.append([number(row[column], where, column) for column in features])
        if target is not None:
            labels.append(row[target])
    if not matrix:
        message = f"{source}: the table has no rows"
        raise TableError(message)
    if target is None:
        return DatasetValue(np.array(matrix), feature_names=tuple(features))
    target_values, target_names, chosen = _encode_target(labels, task, f"{source}, column '{target}'")
    return DatasetValue(
        np.array(matrix), target_values, feature_names=tuple(features), target_names=target_names, task=chosen
    )


def _encode_target(labels: list[Any], task: str, where: str) -> tuple[Any, tuple[str, ...] | None, str]:
    """Numbers for regression; for classification, class indices and the sorted class labels."""
    import numpy as np

    numbers = []
    for label in labels:
        try:
            numbers.append(float(label))
        except (TypeError, ValueError):
            if task == "regression":
                row = len(numbers) + 1
                message = f"{where}: task is regression, but the target of row {row}, {label!r}, is not a number"
                raise TableError(message) from None
            numbers = []
            break
    is_whole = bool(numbers) and all(value.is_integer() for value in numbers)
    if task == "regression" or (task == "auto" and numbers and not is_whole):
        return np.array(numbers), None, "regression"
    if numbers and is_whole:
        classes = sorted({int(value) for value in numbers})
        names = tuple(str(value) for value in classes)
        keys = [str(int(value)) for value in numbers]
    else:
        names = tuple(sorted({str(label) for label in labels}))
        keys = [str(label) for label in labels]
    index = {name: position for position, name in enumerate(names)}
    return np.array([index[key] for key in keys]), names, "classification"
