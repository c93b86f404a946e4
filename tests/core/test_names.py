"""Module and stage names, and addresses that refer to them."""

from __future__ import annotations

import pytest

from pimlico_lite.core.names import Address, check_name


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("tokens", Address("tokens")),
        ("tokens.words", Address("tokens", None, "words")),
        ("model:train", Address("model", "train")),
        ("model:train.fitted", Address("model", "train", "fitted")),
        ("model:", Address("model", "")),
    ],
)
def test_address_parses_and_prints_back(text: str, address: Address) -> None:
    assert Address.parse(text) == address
    assert str(address) == text


def test_address_instance_names_the_stage_instance() -> None:
    assert Address.parse("model:train.fitted").instance == "model:train"
    assert Address.parse("tokens.words").instance == "tokens"


@pytest.mark.parametrize("name", ["a:b", "a.b", "a/b", "a[b", "a]b", "a,b", "a b", "a\tb", "", "..", "all", "?", "-x"])
def test_bad_names_are_rejected(name: str) -> None:
    assert check_name(name) is not None


@pytest.mark.parametrize("name", ["tokens", "model_train", "step-2", "Ünïcode"])
def test_good_names_pass(name: str) -> None:
    assert check_name(name) is None
