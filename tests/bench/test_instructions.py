"""bench.instructions and bench/status_floor.py: the floor finds what ``status`` finds, and the counts repeat."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.generate import PIMLICO_CONFIG, write_pipeline
from bench.graph import make_graph
from bench.instructions import ROOT, count, render
from bench.tools import STATUS_FLOOR

# valgrind is a system tool, not a Python package that .ci/run can install: where it is missing, only the two tests
# that count instructions are skipped (the floor and the table are still checked), and pytest's summary says so.
NEEDS_VALGRIND = pytest.mark.skipif(shutil.which("valgrind") is None, reason="counting instructions needs valgrind")


def _pipeline(tmp_path: Path, shape: str, n: int, run: list[str]) -> Path:
    write_pipeline("pimlico_lite", make_graph(shape, n), tmp_path)
    command = [sys.executable, "-m", "pimlico_lite", PIMLICO_CONFIG, "run", *run]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)
    return tmp_path


@pytest.mark.parametrize(("shape", "run"), [("chain", ["s0", "s1", "s2"]), ("fanout", ["--all"])])
def test_the_status_floor_finds_the_states_that_status_shows(tmp_path: Path, shape: str, run: list[str]) -> None:
    folder = _pipeline(tmp_path, shape, 8, run)
    command = [sys.executable, "-m", "pimlico_lite", PIMLICO_CONFIG, "status", "--json"]
    shown = json.loads(subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True).stdout)
    for flags in ([], ["--with-click"]):
        floor = subprocess.run(
            [sys.executable, str(STATUS_FLOOR), PIMLICO_CONFIG, *flags], cwd=folder, capture_output=True, text=True
        )
        assert floor.returncode == 0, floor.stderr
        found = [line.split()[:2] for line in floor.stdout.splitlines()]
        assert found == [[module["name"], module["status"]] for module in shown["modules"]]
        assert {state for _, state in found} == ({"COMPLETE", "UNEXECUTED"} if shape == "chain" else {"COMPLETE"})


@NEEDS_VALGRIND
def test_instruction_counts_repeat_and_the_floor_costs_less_than_status(tmp_path: Path) -> None:
    folder = _pipeline(tmp_path, "chain", 10, ["--all"])
    status = ["-m", "pimlico_lite", PIMLICO_CONFIG, "status"]
    loading = {"PIMLICO_LITE_CACHE": "off"}  # (two at once, one of which might find the other's kept copy)
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: count(status, folder, ROOT, loading), range(2))
    assert first > 50  # millions: Python alone executes tens of millions
    assert abs(first - second) / first < 0.005
    floor = count([str(STATUS_FLOOR), PIMLICO_CONFIG], folder, ROOT, {})
    assert floor < count([str(STATUS_FLOOR), PIMLICO_CONFIG, "--with-click"], folder, ROOT, {}) < first


@NEEDS_VALGRIND
def test_a_failing_command_is_an_error_with_its_output(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"(?s)-c import sys; sys\.exit\('no such thing'\) failed in .*no such"):
        count(["-c", "import sys; sys.exit('no such thing')"], tmp_path, ROOT, {})


def test_the_table_gives_each_count_and_the_ratio_of_two_trees() -> None:
    table = render(10, {"HEAD": {"status": 400.0, "--help": 200.0}, "this tree": {"status": 300.0, "--help": 200.0}})
    assert table.splitlines() == [
        "| 10 modules, millions of instructions | HEAD | this tree | this tree / HEAD |",
        "| --- | ---: | ---: | ---: |",
        "| status | 400.0 | 300.0 | 0.750 |",
        "| --help | 200.0 | 200.0 | 1.000 |",
    ]
    assert render(10, {"this tree": {"status": 300.0}}).splitlines()[-1] == "| status | 300.0 |"
