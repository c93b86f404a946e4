"""What makes a completed module OUTDATED: it must be what changed, the same in every process, and nothing else."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from conftest import write_module_type

from pimlico_lite.pipeline import load_pipeline
from pimlico_lite.pipeline.model import stable_repr
from pimlico_lite.store import Store
from tests.subprocesses import run_cli

INFO = """
from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import JSONData


def word_set(value):
    return frozenset(word.strip() for word in value.split(","))


def square(number):
    return number * number


def double(number):
    return 2 * number


def operation(value):
    return {"square": square, "double": double}[value]


def multiplier(value):
    factor = int(value)
    return lambda number: number * factor


class ModuleInfo(BaseModuleInfo):
    module_type_name = "words"
    module_outputs = [("numbers", JSONData())]
    module_options = {
        "stopwords": {"type": word_set, "default": {"the", "and", "for", "with", "a", "of"}},
        "operation": {"type": operation, "default": None},
        "multiplier": {"type": multiplier, "default": None},
    }
"""
EXECUTE = """
from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self):
        self.write_output("numbers", sorted(self.options["stopwords"]))
"""


def _pipeline(tmp_path: Path, body: str = "") -> Path:
    write_module_type(tmp_path, "mytypes.words", INFO, EXECUTE)
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[m]\ntype = mytypes.words\n{body}")
    return config


def _state(config: Path, seed: str) -> tuple[str, list[str]]:
    shown = run_cli(config, "status", "--json", env={"PYTHONHASHSEED": seed})
    assert shown.returncode == 0, shown.stderr
    (module,) = json.loads(shown.stdout)["modules"]
    return module["status"], module.get("reasons", [])


@pytest.mark.parametrize(
    "body", ["", "stopwords = on, in, at, by, to, up\n", "operation = square\n"], ids=["default", "given", "function"]
)
def test_a_set_or_a_function_as_an_option_value_stays_complete_in_another_process(tmp_path: Path, body: str) -> None:
    # Each process hashes strings differently (a set's order moves with it) and puts a function elsewhere.
    config = _pipeline(tmp_path, body)
    assert run_cli(config, "run", "m", env={"PYTHONHASHSEED": "1"}).returncode == 0
    for seed in ("2", "3", "4", "5"):
        assert _state(config, seed) == ("COMPLETE", [])


def test_a_changed_function_outdates_its_module_and_a_closure_never_leaves_it_complete(tmp_path: Path) -> None:
    config = _pipeline(tmp_path, "operation = square\n")
    assert run_cli(config, "run", "m").returncode == 0
    config.write_text(config.read_text().replace("operation = square", "operation = double"))
    assert _state(config, "0") == (
        "OUTDATED",
        ["option operation changed: <function mytypes.words.info.square> -> <function mytypes.words.info.double>"],
    )
    # A closure has no name that says what it does: its module runs again rather than keep what another made.
    config.write_text(config.read_text().replace("operation = double", "multiplier = 3"))
    assert run_cli(config, "run", "m").returncode == 0
    state, (reason,) = _state(config, "1")
    assert state == "OUTDATED"
    assert reason.startswith("option multiplier changed: <function multiplier.<locals>.<lambda> at 0x")


def test_a_renamed_or_retyped_output_outdates_the_module_saying_so(tmp_path: Path) -> None:
    config = _pipeline(tmp_path)
    assert run_cli(config, "run", "m").returncode == 0
    info = tmp_path / "mytypes" / "words" / "info.py"
    info.write_text(INFO.replace('[("numbers", JSONData())]', '[("values", JSONData())]'))
    (info.parent / "execute.py").write_text(EXECUTE.replace('"numbers"', '"values"'))
    assert _state(config, "0") == (
        "OUTDATED",
        ["output numbers changed: JSONData -> (none)", "output values changed: (none) -> JSONData"],
    )
    assert run_cli(config, "run", "m").returncode == 0
    assert _state(config, "0") == ("COMPLETE", [])
    retyped = info.read_text().replace('("values", JSONData())', '("values", Metrics())')
    info.write_text(retyped.replace("import JSONData", "import JSONData, Metrics"))
    assert _state(config, "0") == ("OUTDATED", ["output values changed: JSONData -> Metrics"])


@pytest.mark.parametrize(
    "value",
    [1, 2.5, "text", None, True, [1, "a", (2,)], (1, 2), {"a": [1, 2]}, b"bytes", set(), frozenset()],
)
def test_a_plain_value_is_written_as_repr_writes_it_so_fingerprints_stay_as_they_were(value: object) -> None:
    assert stable_repr(value) == repr(value)


class _Rounder:
    def __init__(self, digits: int) -> None:
        self.digits = digits

    def apply(self, number: float) -> float:
        return round(number, self.digits)

    def __repr__(self) -> str:
        return f"_Rounder({self.digits})"


def test_a_method_is_written_with_its_object_and_a_partial_with_its_arguments() -> None:
    # (a bound method's name alone would leave a module COMPLETE after its object changed)
    assert stable_repr(_Rounder(2).apply) != stable_repr(_Rounder(4).apply)
    assert "_Rounder(2)" in stable_repr(_Rounder(2).apply)
    partial = functools.partial(_pipeline, body="x")
    assert stable_repr(partial) == "functools.partial(<function tests.pipeline.test_fingerprint._pipeline>, body='x')"
    assert stable_repr(len) == "<builtin_function_or_method builtins.len>"


def test_a_set_and_a_dict_are_written_sorted_and_a_function_by_its_name() -> None:
    assert stable_repr({"the", "and"}) == "{'and', 'the'}"
    # (class_weight = {1: 2, 0: 1} for {0: 1, 1: 2} re-ran a model: the two are equal)
    assert stable_repr({1: 2, 0: 1}) == stable_repr({0: 1, 1: 2}) == "{0: 1, 1: 2}"
    assert stable_repr({"b": {2: 0, 1: 0}, "a": 1}) == "{'a': 1, 'b': {1: 0, 2: 0}}"
    assert stable_repr([frozenset({"b", "a"})]) == "[frozenset({'a', 'b'})]"
    assert stable_repr(_pipeline) == "<function tests.pipeline.test_fingerprint._pipeline>"
    assert stable_repr(lambda: 1).startswith("<function test_a_set_and_a_dict_are_written_sorted_and_a_function_by")


def test_a_module_completed_before_outputs_were_fingerprinted_stays_complete(tmp_path: Path) -> None:
    config = _pipeline(tmp_path)
    assert run_cli(config, "run", "m").returncode == 0
    instance = load_pipeline(config).instances["m"]
    parts = {key: value for key, value in instance.fingerprint_parts.items() if key != "outputs"}
    store = Store(load_pipeline(config).store_path)
    with store.state.connect() as database:  # the record as the version before this one wrote it
        database.execute(
            "UPDATE module SET fingerprint = ?, fingerprint_parts = ? WHERE name = 'm'",
            ("made-without-outputs", json.dumps(parts)),
        )
    assert _state(config, "0") == ("COMPLETE", [])
    config.write_text(config.read_text() + "stopwords = a, b\n")
    (reason,) = _state(config, "0")[1]
    assert reason.startswith("option stopwords changed: ")


def test_a_record_of_the_first_versions_with_the_same_parts_stays_complete(tmp_path: Path) -> None:
    # (the first versions hashed the parts as JSON with SHA-256, and recorded no outputs: their records were all
    # OUTDATED, "its fingerprint changed", with nothing else changed)
    config = _pipeline(tmp_path)
    assert run_cli(config, "run", "m").returncode == 0
    parts = load_pipeline(config).instances["m"].fingerprint_parts
    store = Store(load_pipeline(config).store_path)
    first = json.dumps({key: parts[key] for key in ("type", "options", "inputs")})
    with store.state.connect() as database:
        database.execute(
            "UPDATE module SET fingerprint = 'sha256-of-json', fingerprint_parts = ? WHERE name = 'm'", (first,)
        )
    assert _state(config, "0") == ("COMPLETE", [])
    # ... and so does one that also lacks an option declared since, at its default (multiplier: None).
    without = json.dumps(
        {
            "type": parts["type"],
            "options": {"stopwords": parts["options"]["stopwords"], "operation": "None"},
            "inputs": {},
        }
    )
    with store.state.connect() as database:
        database.execute("UPDATE module SET fingerprint_parts = ? WHERE name = 'm'", (without,))
    assert _state(config, "0") == ("COMPLETE", [])
    # An output renamed since: the record names none, so the folders of those declared now are looked for.
    info = tmp_path / "mytypes" / "words" / "info.py"
    info.write_text(info.read_text().replace('"numbers"', '"counts"'))
    state, (reason,) = _state(config, "0")
    assert (state, reason.startswith("its output counts is gone: ")) == ("OUTDATED", True)
    info.write_text(info.read_text().replace('"counts"', '"numbers"'))
    config.write_text(config.read_text() + "stopwords = a, b\n")
    (reason,) = _state(config, "0")[1]
    assert reason.startswith("option stopwords changed: ")
    config.write_text(config.read_text().replace("stopwords = a, b\n", ""))
    with store.state.connect() as database:  # (too few parts to tell: the fingerprint alone tells, and it differs)
        database.execute(
            "UPDATE module SET fingerprint_parts = ? WHERE name = 'm'", (json.dumps({"type": parts["type"]}),)
        )
    assert _state(config, "0") == ("OUTDATED", ["its fingerprint changed"])


def test_an_option_declared_since_is_compared_with_its_default_as_written_even_an_array(tmp_path: Path) -> None:
    from pimlico_lite.execution.status import changes

    write_module_type(
        tmp_path,
        "arraytypes.weights",
        "import numpy\nfrom pimlico_lite import BaseModuleInfo\n\n\n"
        "def weights(value):\n    return numpy.array([float(part) for part in value.split(',')])\n\n\n"
        "class ModuleInfo(BaseModuleInfo):\n    module_options = {\n"
        "        'weights': {'type': weights, 'default': numpy.array([1.0, 1.0])},\n"
        "        'n': {'type': int, 'default': 1},\n    }\n",
    )
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[m]\ntype = arraytypes.weights\n")
    instance = load_pipeline(config).instances["m"]
    recorded = {"type": "arraytypes.weights", "options": {"n": "1"}, "inputs": {}}  # (before weights was declared)
    assert changes(recorded, instance) == []  # (numpy's == of two arrays answers with an array: no answer here)
    config.write_text(config.read_text() + "weights = 1, 2\n")
    assert changes(recorded, load_pipeline(config).instances["m"]) == [
        "option weights changed: (none) -> array([1., 2.])"
    ]
