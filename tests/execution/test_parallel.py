"""Running with worker processes (-j N) and on Dask: outcomes, crashes, memory, progress, log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from subprocesses import run_cli, statuses

from pimlico_lite import compute_statuses, run
from pimlico_lite.execution.runner import ExecutorChoice
from pimlico_lite.pipeline import Pipeline
from pimlico_lite.store import Store
from tests.execution.test_runner import Recorder, output_of, states

MakePipeline = Callable[[str], Pipeline]
Executions = Callable[[], list[str]]

FAN = """
[a]
type = testmods.source
[b]
type = testmods.step
input = a
[c]
type = testmods.step
input = a
[d]
type = testmods.gather
input_parts = b, c
"""


def test_workers_run_everything_and_pass_data_along(make_pipeline: MakePipeline, executions: Executions) -> None:
    pipeline = make_pipeline(FAN)
    result = run(pipeline, run_all=True, executor=ExecutorChoice(jobs=2))
    assert sorted(result.completed) == ["a", "b", "c", "d"]
    assert result.completed[0] == "a"
    assert result.completed[-1] == "d"
    assert sorted(executions()) == ["a", "b", "c", "d"]
    parts = output_of(pipeline, "d")["inputs"]["parts"]  # type: ignore[index]
    assert [part["module"] for part in parts] == ["b", "c"]


def test_independent_modules_overlap_in_time(make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIMLICO_TEST_SLEEP", "0.5")
    pipeline = make_pipeline("[x]\ntype = testmods.source\n[y]\ntype = testmods.source\n")
    run(pipeline, run_all=True, executor=ExecutorChoice(jobs=2))
    store = Store(pipeline.store_path)
    (x,), (y,) = store.state.runs("x"), store.state.runs("y")
    assert x.finished is not None
    assert y.finished is not None
    assert y.started < x.finished  # y started before x finished: they ran at once
    assert x.pid == y.pid  # the scheduler's pid is recorded; the work ran in workers


def test_a_failure_in_a_worker_fails_the_module_and_the_rest_goes_on(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        "[bad]\ntype = testmods.fail\n[after]\ntype = testmods.step\n[lone]\ntype = testmods.source\n"
    )
    result = run(pipeline, run_all=True, executor=ExecutorChoice(jobs=2))
    assert result.failed == ["bad"]
    assert result.not_run == {"after": "bad did not complete"}
    assert result.completed == ["lone"]
    (record,) = Store(pipeline.store_path).state.runs("bad")
    assert record.error == "ValueError: this module always fails"
    assert "raise ValueError(message)" in (record.traceback or "")
    assert not any(Store(pipeline.store_path).module_dir("bad").iterdir())


def test_a_segfault_fails_the_module_with_the_reason_and_the_scheduler_goes_on(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        "[boom]\ntype = testmods.crash\n" + "".join(f"[ok{i}]\ntype = testmods.source\n" for i in range(3))
    )
    result = run(pipeline, run_all=True, executor=ExecutorChoice(jobs=2))
    assert result.failed == ["boom"]
    assert sorted(result.completed) == ["ok0", "ok1", "ok2"]
    (record,) = Store(pipeline.store_path).state.runs("boom")
    assert record.error == "the worker process running it died: killed by SIGSEGV"
    assert states(pipeline)["boom"] == "FAILED"


def test_exhausting_the_memory_limit_fails_the_module_with_memory_error(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        "[big]\ntype = testmods.hog\nmegabytes = 2000\n[small]\ntype = testmods.hog\nmegabytes = 10\n"
    )
    result = run(pipeline, run_all=True, executor=ExecutorChoice(jobs=1, memory_limit=1024**3))
    assert result.failed == ["big"]
    assert result.completed == ["small"]
    (record,) = Store(pipeline.store_path).state.runs("big")
    assert (record.error or "").startswith("MemoryError")


def test_peak_memory_is_measured_per_module(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        "[small]\ntype = testmods.hog\nmegabytes = 1\n[big]\ntype = testmods.hog\nmegabytes = 200\n"
        "[after]\ntype = testmods.hog\nmegabytes = 1\n"
    )
    run(pipeline, run_all=True)
    store = Store(pipeline.store_path)
    small, big, after = (store.state.runs(name)[0].peak_memory_kb or 0 for name in ("small", "big", "after"))
    assert big > small + 150 * 1024
    assert after < big - 150 * 1024  # the peak was reset when the next module started


def test_worker_progress_and_log_reach_the_reporter_and_the_run_record(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline("[p]\ntype = testmods.progress\nsteps = 3\n[q]\ntype = testmods.source\n")
    recorder = Recorder()
    run(pipeline, run_all=True, executor=ExecutorChoice(jobs=2), reporter=recorder)
    assert ("log", "p", "step 2") in recorder.events
    assert ("progress", "p", "3") in recorder.events
    assert recorder.events[0] == ("run", "p", "q")
    (record,) = Store(pipeline.store_path).state.runs("p")
    assert "INFO step 0" in (record.log or "")


def test_stages_run_in_parallel_where_their_connections_allow(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline("[raw]\ntype = testmods.source\n[ms]\ntype = testmods.seed.internal\n")
    result = run(pipeline, ["ms:all", "raw"], executor=ExecutorChoice(jobs=2))
    assert result.completed[:2] == ["raw", "ms:stage1"]
    assert sorted(result.completed[2:]) == ["ms:stage2", "ms:stage3"]


@pytest.mark.slow
def test_dask_local_cluster_runs_modules_and_records_failures(make_pipeline: MakePipeline) -> None:
    pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    pipeline = make_pipeline(FAN + "[bad]\ntype = testmods.fail\n")
    result = run(pipeline, run_all=True, executor=ExecutorChoice("dask", jobs=2))
    assert sorted(result.completed) == ["a", "b", "c", "d"]
    assert result.failed == ["bad"]
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert {name: str(status.state) for name, status in statuses.items()} == {
        "a": "COMPLETE",
        "b": "COMPLETE",
        "c": "COMPLETE",
        "d": "COMPLETE",
        "bad": "FAILED",
    }
    (record,) = Store(pipeline.store_path).state.runs("bad")
    assert record.error == "ValueError: this module always fails"


def test_jobs_zero_means_one_worker_per_core() -> None:
    import os

    assert ExecutorChoice(jobs=0).slots == (os.cpu_count() or 1)
    assert ExecutorChoice(jobs=3).slots == 3


@pytest.mark.slow
def test_dask_executor_on_an_existing_scheduler_through_the_cli(make_config: Callable[..., Path]) -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    config = make_config(FAN)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = run_cli(config, "run", "--all", "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ d COMPLETE" in result.stdout
    assert set(statuses(config).values()) == {"COMPLETE"}


def test_an_unreachable_dask_scheduler_is_a_clear_error(make_config: Callable[..., Path]) -> None:
    pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    result = run_cli(make_config(FAN), "run", "--all", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert result.returncode == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
