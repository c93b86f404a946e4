"""Did-you-mean: the closest name to a misspelt one."""

from __future__ import annotations

import copy
import pickle
import re

import pytest
from conftest import MakeConfig

from pimlico_lite.errors import ConfigError, Location, OptionError, Problem, closest, did_you_mean
from pimlico_lite.pipeline import load_pipeline


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


def test_a_problem_quoting_a_huge_value_is_shown_by_its_start_and_end(make_config: MakeConfig) -> None:
    # (`type = xxx...` of 100 000 characters made an error line of 100 KB)
    config = make_config(f"[a]\ntype = {'x' * 100_000}y\n")
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    said = str(raised.value)
    assert len(said) < 1100
    assert said.startswith(f"{config}:6 [a] type: unknown module type 'xxx")
    assert re.search(r"x \.\.\. \(\d+ characters left out\) \.\.\. x+y", said)
    short = Problem("unknown module type 'x'", Location("p.conf", 3), "a", "type")
    assert str(short) == "p.conf:3 [a] type: unknown module type 'x'"


def test_an_option_error_survives_pickling_as_a_process_pool_sends_it_back() -> None:
    # (a module that raised it from a multiprocessing pool hung the run: it could not be made again)
    error = pickle.loads(pickle.dumps(OptionError("train_C", "expected a positive number")))
    assert (type(error), error.key, error.message, str(error)) == (
        OptionError,
        "train_C",
        "expected a positive number",
        "train_C: expected a positive number",
    )
    assert str(copy.copy(error)) == str(error)
