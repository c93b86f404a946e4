"""Option converters: convert, or fail with a message that says what was expected."""

from __future__ import annotations

import re

import pytest

from pimlico_lite.core import choose_from_list, comma_separated_list, random_seed, rows_or_fraction, str_to_bool
from pimlico_lite.core.options import convert_value, option_specs, type_name
from pimlico_lite.errors import ModuleTypeError

ROWS = "expected a number of rows (1 or more, whole) or a fraction between 0 and 1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("Yes", True), ("on", True), ("1", True), ("false", False), ("NO", False), ("off", False)],
)
def test_str_to_bool_accepts_the_usual_spellings(text: str, expected: bool) -> None:
    assert str_to_bool(text) is expected


@pytest.mark.parametrize(
    ("converter", "text", "message"),
    [
        (int, "ten", "expected an integer, got 'ten'"),
        (float, "fast", "expected a number, got 'fast'"),
        (str_to_bool, "maybe", "expected true or false, got 'maybe'"),
        (choose_from_list(["fast", "slow"]), "fats", "expected one of fast, slow, got 'fats' (did you mean 'fast'?)"),
        (comma_separated_list(int), "1, two", "expected an integer, got 'two'"),
        (random_seed, "-1", "expected a seed from 0 to 4294967295, got -1"),
        (random_seed, str(2**32), "expected a seed from 0 to 4294967295, got 4294967296"),
        (rows_or_fraction(), "1.5", f"{ROWS}, got 1.5"),  # (was a test set of one row: train_test_split refuses it)
        (rows_or_fraction(), "nan", f"{ROWS}, got nan"),
        (rows_or_fraction(), "inf", f"{ROWS}, got inf"),
        (rows_or_fraction(), "0", f"{ROWS}, got 0"),
        (rows_or_fraction(zero="every row"), "-2", f"{ROWS}, or 0 (every row), got -2"),
    ],
    ids=["int", "float", "bool", "choice", "list-item", "seed", "seed-too-big", "rows", "nan", "inf", "zero", "neg"],
)
def test_bad_values_fail_with_a_clear_message(converter: object, text: str, message: str) -> None:
    with pytest.raises(ValueError, match="expected") as caught:
        convert_value(converter, text)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_rows_or_fraction_and_seeds_take_what_scikit_learn_takes() -> None:
    assert [convert_value(rows_or_fraction(), text) for text in ("0.25", "30", "1")] == [0.25, 30.0, 1.0]
    assert convert_value(rows_or_fraction(zero="every row"), "0") == 0.0
    assert [convert_value(random_seed, text) for text in ("0", str(2**32 - 1))] == [0, 2**32 - 1]


def test_comma_separated_list_converts_items_and_drops_blanks() -> None:
    assert convert_value(comma_separated_list(int), " 1, 2 ,,3 ") == [1, 2, 3]
    assert convert_value(comma_separated_list(), "a,b") == ["a", "b"]


def test_type_names_describe_what_is_accepted() -> None:
    assert type_name(int) == "integer"
    assert type_name(str_to_bool) == "boolean"
    assert type_name(choose_from_list(["a", "b"])) == "one of a, b"
    assert type_name(comma_separated_list(float)) == "comma-separated list of number"


def test_option_declarations_with_unknown_keys_are_rejected() -> None:
    with pytest.raises(ModuleTypeError, match=r"unknown key 'defualt' \(did you mean 'default'\?\)"):
        option_specs("some.type", {"size": {"defualt": 3}})


@pytest.mark.parametrize("name", ["type", "input", "input_format"])
def test_options_named_like_the_configs_own_keys_are_rejected(name: str) -> None:
    with pytest.raises(ModuleTypeError, match=f"option '{name}' could never be set"):
        option_specs("some.type", {name: {"default": 3}})


@pytest.mark.parametrize("name", ["", " size", "size ", "a=b", "#size", "[size", "%%size", "new\nline", 5])
def test_options_that_no_config_key_could_name_are_rejected(name: str) -> None:
    with pytest.raises(
        ModuleTypeError, match=f"module type some.type: option {re.escape(repr(name))} could never be set"
    ):
        option_specs("some.type", {name: {"default": 3}})
    assert set(option_specs("some.type", {"with space": {}, "%size": {}, "größe": {}})) == {
        "with space",
        "%size",
        "größe",
    }


def test_option_specs_fill_in_defaults() -> None:
    (spec,) = option_specs("some.type", {"size": {"type": int, "help": "How big"}}).values()
    assert (spec.name, spec.type, spec.default, spec.required, spec.type_name) == ("size", int, None, False, "integer")


@pytest.mark.parametrize(("text", "expected"), [("false", False), ("no", False), ("0", False), ("true", True)])
def test_an_option_declared_as_bool_reads_false_as_false(text: str, expected: bool) -> None:
    # Python's bool("false") is True: a declared bool is read as str_to_bool, as click reads type=bool.
    (spec,) = option_specs("some.type", {"verbose": {"type": bool, "default": True}}).values()
    assert convert_value(spec.type, text) is expected
    assert spec.type_name == "boolean"
    assert convert_value(comma_separated_list(bool), f"{text}, yes") == [expected, True]
    with pytest.raises(ValueError, match="expected true or false, got 'maybe'"):
        convert_value(spec.type, "maybe")


def ratio(value: str) -> float:
    top, bottom = value.split("/")
    return int(top) / int(bottom)


def test_a_converter_that_fails_with_another_error_is_a_bad_value_too() -> None:
    with pytest.raises(ValueError, match="cannot convert") as caught:
        convert_value(ratio, "1/0")
    assert str(caught.value) == "cannot convert '1/0' to ratio: ZeroDivisionError: division by zero"
    with pytest.raises(ValueError, match="cannot convert") as caught:
        convert_value({"a": 1}.__getitem__, "b")
    assert str(caught.value) == "cannot convert 'b' to __getitem__: KeyError: 'b'"
