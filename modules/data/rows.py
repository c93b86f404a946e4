"""Choosing rows of a data set: counts or fractions, seeded, stratified by class when there are classes.

Used by executors only: it imports NumPy and scikit-learn.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from pimlico_lite.modules.input.tables import may_be_a_quantity

from pimlico_lite.datatypes import DatasetValue
from pimlico_lite.errors import OptionError


def is_classification(value: DatasetValue) -> bool:
    """Whether the data set's target is classes: its task says so, it names classes, or its values are integers."""
    if value.task is not None:
        return value.task == "classification"
    return value.target is not None and (value.target_names is not None or value.target.dtype.kind in "biu")


def row_count(size: float, rows: int, option: str, rounding: Callable[[float], int] = math.floor) -> int:
    """Turn a size option into a number of rows: a count when it is 1 or more, else a fraction of ``rows``, rounded
    as scikit-learn's train_test_split rounds it (``math.ceil`` for a test set, ``math.floor`` for a train set)."""
    if size <= 0:
        message = f"{option} must be a count (1 or more) or a fraction (between 0 and 1), got {size}"
        raise ValueError(message)
    count = int(size) if size >= 1 else rounding(size * rows)
    return max(1, min(count, rows))


def _stratify(value: DatasetValue, stratify: bool) -> Any:
    return value.target if stratify and is_classification(value) else None


def _split(value: DatasetValue, stratify: bool, **sizes: Any) -> tuple[Any, Any]:
    """scikit-learn's train_test_split of the row numbers; a stratified split that cannot be made says why in class
    names, and that ``stratify = false`` makes it (scikit-learn names class numbers)."""
    from sklearn.model_selection import train_test_split

    by_class = _stratify(value, stratify)
    try:
        return train_test_split(np.arange(value.n_rows), stratify=by_class, **sizes)
    except ValueError as error:
        if by_class is None:
            raise
        counts = np.bincount(by_class)
        rarest = int(np.argmin(np.where(counts > 0, counts, counts.max() + 1)))
        name = value.target_names[rarest] if value.target_names else str(rarest)
        classes = int(np.count_nonzero(counts))
        quantity = (
            "; if the target is a quantity, give task = regression to the module that reads it"
            if may_be_a_quantity(value)
            else ""
        )
        message = (
            f"cannot keep the class proportions in both parts ({classes} classes; the rarest, '{name}', has"
            f" {counts[rarest]} rows): set stratify = false, or give more rows{quantity} ({error})"
        )
        option = "stratify"
        raise OptionError(option, message) from None


def choose_rows(value: DatasetValue, size: float, seed: int, stratify: bool, option: str = "size") -> Any:
    """Pick ``size`` rows at random (with ``seed``), keeping the class proportions if ``stratify``; in row order."""
    count = row_count(size, value.n_rows, option)
    if count >= value.n_rows:
        return np.arange(value.n_rows)
    chosen, _ = _split(value, stratify, train_size=count, random_state=seed)
    return np.sort(chosen)


def split_rows(value: DatasetValue, test_size: float, seed: int, stratify: bool) -> tuple[Any, Any]:
    """Split the rows into train and test rows: the rows, in the order, that scikit-learn's train_test_split gives
    (shuffled: cross-validation on the train rows cuts consecutive runs of them into folds)."""
    count = row_count(test_size, value.n_rows, "test_size", math.ceil)
    if count >= value.n_rows:
        option = "test_size"
        raise OptionError(option, f"{test_size} leaves no rows to train on ({value.n_rows} rows)")
    return _split(value, stratify, test_size=count, random_state=seed)
