"""Did-you-mean: the closest name to a misspelt one."""

from __future__ import annotations

import pytest

from pimlico_lite.errors import closest, did_you_mean


@pytest.mark.parametrize(
    ("name", "choices", "expected"),
    [
        ("A", ["a", "b"], "a"),  # case alone, however short the name
        ("FAST", ["fast", "slow"], "fast"),
        ("Pipeline", ["pipeline", "vars"], "pipeline"),
        ("train_c", ["train_C", "train_gamma"], "train_C"),
        ("TRAIN_GAMA", ["train_C", "train_gamma"], "train_gamma"),
        ("treshold", ["threshold", "seed"], "threshold"),
        ("xyz", ["a", "b"], None),
    ],
)
def test_the_closest_name_ignores_case(name: str, choices: list[str], expected: str | None) -> None:
    assert closest(name, choices) == expected


def test_did_you_mean_is_empty_without_a_close_name() -> None:
    assert did_you_mean("FAST", ["fast"]) == " (did you mean 'fast'?)"
    assert did_you_mean("xyz", ["fast"]) == ""
