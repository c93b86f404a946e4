"""The benchmark harness works: a tiny pimlico_lite-only run writes the JSON and the report it should.

This checks the harness, not the numbers. tests/bench has no __init__.py on purpose: conftest.py puts tests/ on
the import path, and a tests/bench package would then hide the top-level bench package.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import report
from bench.generate import pimlico_config
from bench.graph import make_graph
from bench.measure import measure
from bench.suite import summarise
from bench.tools import pimlico_lite
from pimlico_lite.pipeline import load_pipeline

REPO = Path(__file__).resolve().parents[2]
SMOKE_CASES = {
    "cli/0/pimlico_lite": {"help"},
    "chain/4/pimlico_lite": {"run", "plan", "rerun", "floor", "floor_click", "plan_loaded"},
    "fanout/4/pimlico_lite": {"run", "plan", "rerun", "run_j2"},
    "cpu/2/pimlico_lite": {"run", "run_j2"},
}
ROW_STARTS = ["| cli | — | pimlico_lite |", "| chain | 4 | pimlico_lite |", "| fanout | 4 | pimlico_lite |"]


def test_smoke_profile_writes_results_and_report(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--profile", "smoke", "--tools", "pimlico_lite", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    [json_path] = tmp_path.glob("smoke-*.json")
    [markdown_path] = tmp_path.glob("smoke-*.md")
    document = json.loads(json_path.read_text())

    cases = {case["id"]: case for case in document["cases"]}
    assert {name: set(case["operations"]) for name, case in cases.items()} == SMOKE_CASES
    for case in cases.values():
        for operation, summary in case["operations"].items():
            # -j is not there yet: the harness records that instead of crashing, and times it once it lands.
            expected = {"ok", "unsupported"} if operation == "run_j2" else {"ok"}
            assert summary["status"] in expected, (case["id"], operation, summary)
            if summary["status"] == "ok":
                assert 0 < summary["min"] <= summary["median"] <= summary["max"] < 60
                assert summary["peak_rss_mb"] > 1
    assert document["meta"]["tools"] == {"pimlico_lite": document["meta"]["tools"]["pimlico_lite"]}
    assert document["meta"]["cores"] >= 1
    if (REPO / ".git").exists():
        assert re.fullmatch(r"[0-9a-f]{7,}(\+changes)?", document["meta"]["commit"])  # this checkout's
    else:
        assert document["meta"]["commit"] is None
    assert document["meta"]["complete"] is True

    markdown = markdown_path.read_text()
    lines = markdown.splitlines()
    for start in [*ROW_STARTS, "| cpu | 2 | pimlico_lite |"]:
        assert sum(line.startswith(start) for line in lines) == 1, start
    assert "| `pimlico-lite --help` | ≤ 0.12 s |" in markdown
    assert markdown == report.render(document)


def test_a_command_past_the_bound_is_killed_and_recorded_as_a_timeout(tmp_path: Path) -> None:
    measurement = measure([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path, {}, bound=0.5)
    assert measurement.status == "timeout"
    assert measurement.seconds == 0.5
    assert measurement.exit_code is None
    assert report.describe(summarise([measurement])) == "timeout (> 0.5 s)"


@pytest.mark.parametrize(
    ("code", "status", "exit_code"),
    [
        ("pass", "ok", 0),
        ("import sys; sys.exit(3)", "failed", 3),
        ("import sys; print(\"Error: No such option '-j'.\"); sys.exit(2)", "unsupported", 2),
    ],
    ids=["ok", "failed", "unsupported-option"],
)
def test_measure_tells_ok_failed_and_unsupported_apart(tmp_path: Path, code: str, status: str, exit_code: int) -> None:
    measurement = measure([sys.executable, "-c", code], tmp_path, {}, bound=30)
    assert (measurement.status, measurement.exit_code) == (status, exit_code)
    assert 0 < measurement.seconds < 30


@pytest.mark.parametrize(("shape", "instances"), [("chain", 5), ("fanout", 5), ("cpu", 3)])
def test_generated_pimlico_config_loads_with_one_instance_per_step(tmp_path: Path, shape: str, instances: int) -> None:
    config = tmp_path / "pipeline.conf"
    config.write_text(pimlico_config(make_graph(shape, instances, loops=10)))
    pipeline = load_pipeline(config)
    assert list(pipeline.instances) == [f"s{i}" for i in range(instances)]
    if shape == "fanout":
        assert [str(c) for c in pipeline.instances["s4"].inputs["parts"]] == ["s1.data", "s2.data", "s3.data"]


def test_paired_speedups_divide_each_repetitions_own_runs_and_skip_failed_ones() -> None:
    def samples(*runs: tuple[str, float]) -> dict[str, object]:
        return {"samples": [{"status": status, "seconds": seconds} for status, seconds in runs]}

    one = samples(("ok", 6.0), ("ok", 5.0), ("failed", 5.0), ("ok", 4.0))
    two = samples(("ok", 3.0), ("timeout", 9.0), ("ok", 2.0), ("ok", 2.5))
    assert report.paired_speedups(one, two) == [2.0, 1.6]


def test_the_cold_start_table_gives_status_beside_its_floors_and_their_ratios(tmp_path: Path) -> None:
    def timed(median: float) -> dict[str, object]:
        return {"status": "ok", "median": median, "min": median, "max": median, "count": 1, "samples": []}

    operations = {"plan": timed(0.2), "floor": timed(0.1), "floor_click": timed(0.125)}
    case = {"id": "chain/1000/pimlico_lite", "tool": "pimlico_lite", "shape": "chain", "n": 1000}
    markdown = report._cli_table(report.Results({"meta": {}, "cases": [case | {"operations": operations}]}))
    assert "| chain | 1000 | pimlico_lite | the floor of `status`, with click | 0.125 |" in markdown
    assert "N = 1000, floor: 2.00; N = 1000, floor with click: 1.60." in markdown
    # A results file from before the floors were timed still renders, without them.
    older = report._cli_table(report.Results({"meta": {}, "cases": [case | {"operations": {"plan": timed(0.2)}}]}))
    assert "floor" not in older


def test_the_floors_run_on_the_python_of_the_pimlico_lite_they_are_timed_beside(tmp_path: Path) -> None:
    python = tmp_path / "venv" / "bin" / "python3.11"
    python.parent.mkdir(parents=True)
    python.write_text("")
    script = python.parent / "pimlico-lite"
    script.write_text(f"#!{python}\nimport sys\n")
    link = tmp_path / "pimlico-lite"  # as pipx links a script into another folder
    link.symlink_to(script)
    assert pimlico_lite([str(link)]).commands["floor_click"][0] == str(python)
    assert pimlico_lite([str(tmp_path / "none")]).commands["floor"][0] == sys.executable
    assert pimlico_lite(["/some/python", "-m", "pimlico_lite"]).commands["floor"][0] == "/some/python"


def test_pimlico_lite_keeps_its_loaded_pipelines_in_the_workspace_but_for_a_status_that_loads(tmp_path: Path) -> None:
    tool = pimlico_lite()
    assert tool.environ(tmp_path, "plan")["PIMLICO_LITE_CACHE"] == str(tmp_path / ".pimlico-lite-cache")
    assert tool.environ(tmp_path, "rerun")["PIMLICO_LITE_CACHE"] == str(tmp_path / ".pimlico-lite-cache")
    assert tool.environ(tmp_path, "plan_loaded")["PIMLICO_LITE_CACHE"] == "off"
    assert tool.commands["plan_loaded"] == tool.commands["plan"]
