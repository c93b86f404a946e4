"""Running with worker processes (-j N) and on Dask: outcomes, crashes, memory, progress, log."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from subprocesses import children_of, run_cli, start_cli, statuses, wait_for

from pimlico_lite import compute_statuses, run
from pimlico_lite.execution.runner import ExecutorChoice
from pimlico_lite.pipeline import Pipeline, load_pipeline
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
    assert (record.error or "").endswith(
        " (the limit may be why: --memory-limit 1G caps the worker's address space, which counts every library it"
        " maps as well, often several times the peak memory that status shows; try a larger limit)"
    )


@pytest.mark.parametrize(("chosen", "expected"), [(None, "1"), ("3", "3")])
def test_under_a_memory_limit_openblas_runs_one_thread_unless_the_user_chose(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch, chosen: str | None, expected: str
) -> None:
    # OpenBLAS spins for ever when the cap refuses its threads (a Ridge fit under --memory-limit 500M never ended).
    if chosen is None:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", chosen)
    pipeline = make_pipeline("[a]\ntype = testmods.whoami\n")
    run(pipeline, run_all=True, executor=ExecutorChoice(jobs=1, memory_limit=1024**3))
    assert output_of(pipeline, "a")["blas"] == expected  # type: ignore[index]
    run(pipeline, ["a"], force=True, executor=ExecutorChoice(jobs=2))  # no limit: as it was
    assert output_of(pipeline, "a")["blas"] == chosen  # type: ignore[index]


def test_a_worker_that_dies_under_a_memory_limit_says_the_limit_may_be_why(make_pipeline: MakePipeline) -> None:
    # (OpenBLAS, say, exits when it cannot map the memory it wants, with no MemoryError to see)
    pipeline = make_pipeline("[boom]\ntype = testmods.crash\n")
    run(pipeline, run_all=True, executor=ExecutorChoice(jobs=1, memory_limit=600 * 1024**2))
    (record,) = Store(pipeline.store_path).state.runs("boom")
    assert record.error == (
        "the worker process running it died: killed by SIGSEGV (the limit may be why: --memory-limit 600M caps the"
        " worker's address space, which counts every library it maps as well, often several times the peak memory"
        " that status shows; try a larger limit)"
    )


def test_the_memory_limit_holds_in_the_workers_of_the_run_command(make_config: Callable[..., Path]) -> None:
    config = make_config("[big]\ntype = testmods.hog\nmegabytes = 2000\n[small]\ntype = testmods.hog\nmegabytes = 10\n")
    result = run_cli(config, "run", "--all", "--memory-limit", "1G")
    assert result.returncode == 1, result.stderr
    assert statuses(config) == {"big": "FAILED", "small": "COMPLETE"}
    (record,) = Store(load_pipeline(config).store_path).state.runs("big")
    assert (record.error or "").startswith("MemoryError")


def test_every_module_run_by_workers_has_one_start_line_before_its_end(make_config: Callable[..., Path]) -> None:
    config = make_config("".join(f"[m{i}]\ntype = testmods.source\n" for i in range(60)))
    result = run_cli(config, "run", "--all", "-j", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for i in range(60):
        starts = [n for n, line in enumerate(lines) if line.startswith(f"> m{i} started")]
        ends = [n for n, line in enumerate(lines) if line.startswith(f"✓ m{i} COMPLETE")]
        assert len(starts) == 1, (i, lines)
        assert len(ends) == 1
        assert starts[0] < ends[0]


def test_time_waiting_in_a_workers_queue_is_not_run_time_nor_shown_as_running(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One worker: b waits in the pool until a has ended (jobs of unknown length are held, not queued in the worker's
    # socket). Its record and its line say how long it ran, and its start is reported when it starts.
    monkeypatch.setenv("PIMLICO_TEST_SLEEP", "1")
    pipeline = make_pipeline("[a]\ntype = testmods.source\n[b]\ntype = testmods.source\n")
    finished: dict[str, float] = {}
    started: dict[str, float] = {}

    class Times(Recorder):
        def module_started(self, name: str, run_id: int) -> None:
            started[name] = time.time()

        def module_finished(self, name: str, seconds: float) -> None:
            finished[name] = seconds

    result = run(pipeline, run_all=True, reporter=Times(), executor=ExecutorChoice(jobs=1, memory_limit=2 * 1024**3))
    assert result.completed == ["a", "b"]
    store = Store(pipeline.store_path)
    (a,), (b,) = store.state.runs("a"), store.state.runs("b")
    assert a.duration is not None
    assert b.duration is not None
    assert 1 <= a.duration < 1.8
    assert 1 <= b.duration < 1.8
    assert a.finished is not None
    assert b.started >= a.finished - 0.05  # b ran after a, in the one worker
    assert 1 <= finished["b"] < 1.8
    assert started["b"] >= a.finished - 0.05  # b's start is reported when it starts, not when it is queued


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
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": ":0"},
    ) as cluster:
        result = run_cli(config, "run", "--all", "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ d COMPLETE" in result.stdout
    assert set(statuses(config).values()) == {"COMPLETE"}


@pytest.mark.slow
def test_a_cluster_without_workers_is_said_to_wait_and_runs_when_one_joins(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    config = make_config(FAN)
    with (
        distributed.LocalCluster(
            n_workers=0, processes=True, dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"}
        ) as cluster,
        (tmp_path / "out.txt").open("w") as out,
    ):
        address = cluster.scheduler_address
        command = [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "--executor", "dask"]
        process = subprocess.Popen([*command, "--scheduler", address], stdout=out, stderr=subprocess.STDOUT)
        try:
            said = f"… a waits: the Dask cluster at {address} has no workers: it waits for one"
            wait_for(lambda: said in (tmp_path / "out.txt").read_text(), "the run to say why it waits")
            assert statuses(config)["a"] == "RUNNING"  # submitted, and waiting
            cluster.scale(1)
            assert process.wait(timeout=60) == 0, (tmp_path / "out.txt").read_text()
        finally:
            process.kill()
    output = (tmp_path / "out.txt").read_text()
    assert output.count("has no workers") == 1  # a single module was ready: only it waits
    assert set(statuses(config).values()) == {"COMPLETE"}


def test_a_cluster_that_loses_its_workers_again_is_said_to_wait_again(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    import threading

    from pimlico_lite.execution import dask_executor

    monkeypatch.setattr(dask_executor, "THREADS_SECONDS", 0.01)
    counts = [0, 0, 1, 0, 0]  # the worker threads the scheduler has at each count; then a task ends
    waits: list[tuple[str, str]] = []

    class Completed:
        thread_condition = threading.Condition()

        def has_ready(self) -> bool:
            return not counts

    class Client:
        def nthreads(self) -> dict[str, int]:
            return {"tcp://w:1": 1} if counts.pop(0) else {}

    executor = dask_executor.DaskExecutor.__new__(dask_executor.DaskExecutor)
    executor.cluster, executor.address, executor.client = None, "tcp://s:8786", Client()
    executor.futures = {object(): "a"}
    executor.completed = Completed()
    executor._threads, executor._threads_seen, executor._said_no_workers = 0, -float("inf"), False
    executor.reporter = types.SimpleNamespace(module_waiting=lambda name, why: waits.append((name, why)))
    executor._wait_for_an_end()
    said = ("a", "the Dask cluster at tcp://s:8786 has no workers: it waits for one")
    assert waits == [said, said]  # once with none, not again while none join, again once the one that came left


def _sigint_handler() -> str:
    return repr(signal.getsignal(signal.SIGINT))


@pytest.mark.slow
def test_the_workers_of_a_local_cluster_ignore_sigint_even_when_dask_restarts_one() -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    from pimlico_lite.execution.dask_executor import _local_cluster

    ignored = repr(signal.SIG_IGN)
    with _local_cluster(distributed.LocalCluster, 1) as cluster, distributed.Client(cluster) as client:
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # this process's is back
        assert list(client.run(_sigint_handler).values()) == [ignored]  # started while it was ignored
        (pid,) = client.run(os.getpid).values()
        os.kill(pid, signal.SIGKILL)

        def replaced() -> bool:
            try:
                return list(client.run(os.getpid).values()) not in ([], [pid])
            except OSError:  # (the killed one, until the scheduler knows it is gone)
                return False

        wait_for(replaced, "a new worker", 60)
        assert list(client.run(_sigint_handler).values()) == [ignored]  # Dask's new one: by the preload


@pytest.mark.slow
def test_a_lost_scheduler_fails_the_modules_it_had_saying_so(make_config: Callable[..., Path], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    config = make_config("[a]\ntype = testmods.spin\niterations = 1000000000\n")
    cluster = distributed.LocalCluster(
        n_workers=1, processes=True, dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"}
    )
    command = [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "--executor", "dask"]
    with (tmp_path / "out.txt").open("w") as out:
        process = subprocess.Popen([*command, "--scheduler", cluster.scheduler_address], stdout=out, stderr=out)
        try:
            wait_for(lambda: "> a started" in (tmp_path / "out.txt").read_text(), "the module to be sent")
            cluster.close()
            assert process.wait(timeout=90) == 1
        finally:
            process.kill()
            cluster.close()
    output = (tmp_path / "out.txt").read_text()
    lost = "the Dask task ended without an outcome (cancelled): was the scheduler restarted or lost?"
    assert f"✗ a FAILED: {lost}" in output
    assert "Traceback" not in output
    assert statuses(config) == {"a": "FAILED"}


@pytest.mark.slow
def test_ctrl_c_stops_a_run_on_a_local_cluster_without_the_workers_tracebacks(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    spin = "type = testmods.spin\niterations = 1000000000\n"
    config = make_config(f"[a]\n{spin}[b]\n{spin}")
    command = [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "--executor", "dask", "-j", "2"]
    with (tmp_path / "out.txt").open("w") as out:
        # A terminal's Ctrl-C goes to every process of its foreground group: the run's own group here.
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(lambda: statuses(config) == {"a": "RUNNING", "b": "RUNNING"}, "both modules to start", 60)
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.5)
            os.killpg(process.pid, signal.SIGINT)  # pressed again while it stops
            assert process.wait(timeout=60) == 130
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    output = (tmp_path / "out.txt").read_text()
    assert "✗ a FAILED: interrupted (SIGINT)" in output
    assert "Error: interrupted by SIGINT" in output
    assert "Traceback" not in output
    assert "WARNING" not in output, output
    assert statuses(config) == {"a": "FAILED", "b": "FAILED"}


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("tcp://127.0.0.1:9", ""),  # nothing listens
        ("foo", "missing port number in address 'foo'"),
        ("nonsense://x:1", "unknown address scheme 'nonsense'"),
    ],
)
def test_an_unreachable_dask_scheduler_is_a_clear_error(
    make_config: Callable[..., Path], address: str, why: str
) -> None:
    pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    result = run_cli(make_config(FAN), "run", "--all", "--executor", "dask", "--scheduler", address)
    assert result.returncode == 2
    assert f"Error: cannot reach the Dask scheduler at {address}: {why}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_address_where_something_else_answers_is_given_up_on(make_config: Callable[..., Path]) -> None:
    pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    import socket

    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, and never says a word (as a dashboard would not)
        port = silent.getsockname()[1]
        address = f"tcp://127.0.0.1:{port}"
        result = run_cli(make_config(FAN), "run", "--all", "--executor", "dask", "--scheduler", address, timeout=60)
    assert result.returncode == 2
    assert f"cannot reach the Dask scheduler at {address}: no answer" in result.stderr


def test_memory_limit_is_refused_with_dask(make_config: Callable[..., Path]) -> None:
    config = make_config(FAN)
    result = run_cli(config, "run", "--all", "--executor", "dask", "--memory-limit", "1G")
    assert result.returncode == 2
    assert "--memory-limit is for local worker processes" in result.stderr
    assert run_cli(config, "run", "--all").returncode == 0
    nothing_to_do = run_cli(config, "run", "--all", "--executor", "dask", "--memory-limit", "1G")
    assert nothing_to_do.returncode == 2  # refused whatever there is to run


def test_a_keyboard_interrupt_a_module_raises_on_a_dask_worker_fails_that_module_only(
    make_config: Callable[..., Path],
) -> None:
    pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    config = make_config("[stops]\ntype = testmods.raises_interrupt\n[lone]\ntype = testmods.source\n")
    result = run_cli(config, "run", "--all", "--executor", "dask", "-j", "2")
    assert result.returncode == 1
    assert "✗ stops FAILED: KeyboardInterrupt" in result.stdout  # (it killed workers: KilledWorker after retries)
    assert statuses(config) == {"stops": "FAILED", "lone": "COMPLETE"}


class _Future:
    def __init__(self, status: str) -> None:
        self.status = status


def test_a_dask_task_that_failed_or_was_cancelled_fails_its_module_saying_so() -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    from pimlico_lite.execution.dask_executor import DaskExecutor

    worker = types.SimpleNamespace(address="tcp://10.0.0.1:4000")
    killed = distributed.scheduler.KilledWorker("k-1", worker, 3)
    failed, cancelled = _Future("error"), _Future("cancelled")
    executor = DaskExecutor.__new__(DaskExecutor)  # no cluster: only how it reads what its tasks ended with
    executor.futures = {failed: "k", cancelled: "c"}
    executor.cluster = None  # (an external one)

    class Completed:
        def has_ready(self) -> bool:
            return True

        def next_batch(self, block: bool) -> list[tuple[object, object]]:
            return [
                (failed, (type(killed), killed, None)),
                (cancelled, distributed.client.FutureCancelledError("c", "lost")),
            ]

    executor.completed = Completed()
    ended = dict(executor.wait(None))
    assert (ended["k"].error or "").startswith("the Dask task failed: KilledWorker: ")
    assert ended["c"].error == (
        "the Dask task ended without an outcome (cancelled): was the scheduler restarted or lost?"
    )


# ---- failures that must not take the scheduler down (found by a review) ----


@pytest.mark.parametrize("jobs", [1, 2])
def test_sys_exit_in_a_module_fails_that_module_only(make_pipeline: MakePipeline, jobs: int) -> None:
    pipeline = make_pipeline("[quits]\ntype = testmods.exits\n[lone]\ntype = testmods.source\n")
    result = run(pipeline, run_all=True, executor=ExecutorChoice(jobs=jobs))
    assert result.failed == ["quits"]
    assert result.completed == ["lone"]
    assert result.exit_code == 1
    (record,) = Store(pipeline.store_path).state.runs("quits")
    assert record.state == "FAILED"
    assert (record.error or "").startswith(("SystemExit", "the worker process running it died: exit code 0"))


def test_a_keyboard_interrupt_a_module_raises_in_a_worker_fails_that_module_only(
    make_config: Callable[..., Path],
) -> None:
    config = make_config("[stops]\ntype = testmods.raises_interrupt\n[lone]\ntype = testmods.source\n")
    result = run_cli(config, "run", "--all", "-j", "2")
    assert result.returncode == 1
    assert "✗ stops FAILED: KeyboardInterrupt" in result.stdout
    assert "Traceback" not in result.stderr  # (the worker used to die of it, printing its traceback)
    assert statuses(config) == {"stops": "FAILED", "lone": "COMPLETE"}


def test_logging_from_threads_in_a_worker_keeps_the_stream_intact(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline("[talk]\ntype = testmods.chatty\n")
    recorder = Recorder()
    result = run(pipeline, ["talk"], executor=ExecutorChoice(jobs=2), reporter=recorder)
    assert result.completed == ["talk"]
    assert sum(1 for event in recorder.events if event[0] == "log") == 1200


def test_an_unpicklable_job_fails_its_module_and_leaves_no_running_record(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline("[bad]\ntype = testmods.unpicklable\nfunction = x\n[lone]\ntype = testmods.source\n")
    recorder = Recorder()
    result = run(pipeline, run_all=True, reporter=recorder, executor=ExecutorChoice(jobs=2))
    assert ("started", "bad") not in recorder.events  # it never started
    assert ("started", "lone") in recorder.events
    assert result.failed == ["bad"]
    assert result.completed == ["lone"]
    (record,) = Store(pipeline.store_path).state.runs("bad")
    assert record.state == "FAILED"
    assert (record.error or "").startswith("could not start it: ")


def test_a_dead_idle_worker_is_replaced(make_pipeline: MakePipeline) -> None:
    from pimlico_lite.execution.reporter import NullReporter
    from pimlico_lite.execution.scheduler import Scheduler
    from pimlico_lite.execution.workers import WorkerPoolExecutor

    pipeline = make_pipeline("[a]\ntype = testmods.source\n[b]\ntype = testmods.source\n")
    store = Store(pipeline.store_path)
    scheduler = Scheduler(pipeline, store, {}, 0, NullReporter())
    pool = WorkerPoolExecutor(1, NullReporter())
    try:
        pool.submit(scheduler.job("a", 1))
        assert [name for name, outcome in pool.wait(30) if outcome.error is None] == ["a"]
        (idle,) = pool._workers
        idle.process.kill()
        idle.process.wait()
        pool.submit(scheduler.job("b", 2))
        ((name, outcome),) = pool.wait(30)
        assert (name, outcome.error) == ("b", None)
    finally:
        pool.shutdown()


@pytest.mark.slow
def test_a_crashed_worker_is_noticed_even_when_its_child_holds_the_socket(make_pipeline: MakePipeline) -> None:
    import time

    pipeline = make_pipeline("[boom]\ntype = testmods.orphan\ncrash = 1\n")
    started = time.monotonic()
    result = run(pipeline, ["boom"], executor=ExecutorChoice(jobs=2))
    assert time.monotonic() - started < 8  # the orphaned child sleeps for 10 s
    assert result.failed == ["boom"]
    (record,) = Store(pipeline.store_path).state.runs("boom")
    assert record.error == "the worker process running it died: killed by SIGSEGV"


def test_a_job_queued_behind_another_in_a_worker_is_reported_started_when_it_starts(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pimlico_lite.execution import workers
    from pimlico_lite.execution.reporter import NullReporter
    from pimlico_lite.execution.scheduler import Scheduler
    from pimlico_lite.execution.workers import WorkerPoolExecutor

    monkeypatch.setattr(workers, "QUEUE_SECONDS", 0.5)  # "short" jobs, so that they queue in the worker's socket
    pipeline = make_pipeline("".join(f"[{n}]\ntype = testmods.progress\nsteps = 1\nseconds = 0.2\n" for n in "abc"))
    scheduler = Scheduler(pipeline, Store(pipeline.store_path), {}, 0, NullReporter())
    events: list[tuple[str, str]] = []

    class Starts(Recorder):
        def module_started(self, name: str, run_id: int) -> None:
            events.append(("started", name))

    pool = WorkerPoolExecutor(1, Starts())
    pool._recent.extend([0.01] * workers.RECENT_JOBS)  # as if the last jobs had been short
    try:
        for run_id, name in enumerate("abc", start=1):
            pool.submit(scheduler.job(name, run_id))
        assert [job.name for job in pool._workers[0].jobs] == ["a", "b", "c"]  # all three in the worker's queue
        assert events == [("started", "a")]
        ended: list[str] = []
        while len(ended) < 3:
            for name, outcome in pool.wait(30):
                assert outcome.error is None
                ended.append(name)
                events.append(("ended", name))
        # A start is reported at the next call into the pool, after the end before it has been reported.
        assert events == [
            ("started", "a"),
            ("ended", "a"),
            ("started", "b"),
            ("ended", "b"),
            ("started", "c"),
            ("ended", "c"),
        ]
    finally:
        pool.shutdown()


def test_a_long_job_waits_in_the_pool_for_the_first_free_worker_and_short_jobs_queue_deeper(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pimlico_lite.execution import workers
    from pimlico_lite.execution.reporter import NullReporter
    from pimlico_lite.execution.scheduler import Scheduler
    from pimlico_lite.execution.workers import WorkerPoolExecutor

    # "Short" is under half a second here (50 ms in use), so that a trivial job slowed by a busy machine still is.
    monkeypatch.setattr(workers, "QUEUE_SECONDS", 0.5)
    sleeps = {"long": 1.0, "short": 0.2, "next": 0.2, **{f"quick{n}": 0.0 for n in range(1, 12)}}
    pipeline = make_pipeline(
        "".join(f"[{name}]\ntype = testmods.progress\nsteps = 1\nseconds = {s}\n" for name, s in sleeps.items())
    )
    scheduler = Scheduler(pipeline, Store(pipeline.store_path), {}, 0, NullReporter())
    pool = WorkerPoolExecutor(2, NullReporter())

    def submit(*names: str) -> None:
        for name in names:
            pool.submit(scheduler.job(name, list(sleeps).index(name) + 1))

    def wait_for(count: int) -> list[str]:
        ended: list[str] = []
        while len(ended) < count:
            ended += [name for name, outcome in pool.wait(30) if outcome.error is None]
        return ended

    try:
        submit("long", "short", "next")
        assert [job.name for job in pool._held] == ["next"]  # both workers busy with jobs of unknown length
        assert wait_for(3) == ["short", "next", "long"]  # "next" went to the worker that was free first
        assert pool.slots == 2 * 2  # the last jobs were long: one job running and one waiting per worker
        submit("quick1", "quick2", "quick3")
        assert [job.name for job in pool._held] == ["quick3"]  # a long one is among the last jobs: still held
        assert sorted(wait_for(3)) == ["quick1", "quick2", "quick3"]
        for name in ("quick4", "quick5", "quick6", "quick7", "quick8"):
            submit(name)
            assert wait_for(1) == [name]
        assert pool.slots > 2 * 2  # the last eight were short: deeper queues, claimed and recorded in batches
        submit("quick9", "quick10", "quick11")  # one for each worker, and one in a worker's socket
        assert not pool._held
        assert sorted(wait_for(3)) == ["quick10", "quick11", "quick9"]
    finally:
        pool.shutdown()


def test_jobs_queued_behind_one_that_turns_out_long_are_given_back_to_a_free_worker(
    make_pipeline: MakePipeline,
) -> None:
    from pimlico_lite.execution import workers
    from pimlico_lite.execution.reporter import NullReporter
    from pimlico_lite.execution.scheduler import Scheduler
    from pimlico_lite.execution.workers import WorkerPoolExecutor

    sleeps = {"long": 3.0, "quick1": 0.0, "mid": 0.0, "quick2": 0.0, "next": 0.0}
    pipeline = make_pipeline(
        "".join(f"[{name}]\ntype = testmods.progress\nsteps = 1\nseconds = {s}\n" for name, s in sleeps.items())
    )
    scheduler = Scheduler(pipeline, Store(pipeline.store_path), {}, 0, NullReporter())
    pool = WorkerPoolExecutor(2, NullReporter())
    pool._recent.extend([0.001] * workers.RECENT_JOBS)  # the last jobs were short: the next ones queue in workers

    def submit(*names: str) -> None:
        for name in names:
            pool.submit(scheduler.job(name, list(sleeps).index(name) + 1))

    try:
        submit("long", "quick1", "mid", "quick2")
        queues = [[job.name for job in worker.jobs] for worker in pool._workers]
        assert queues == [["long", "mid"], ["quick1", "quick2"]]
        ended: list[str] = []
        while "mid" not in ended:
            ended += [name for name, outcome in pool.wait(30) if outcome.error is None]
        # The other worker was free once quick1 and quick2 had ended, and long had turned out long: mid ran there.
        assert ended == ["quick1", "quick2", "mid"]
        submit("next")  # nothing queues behind a job that has turned out long: the free worker takes it
        assert [[job.name for job in worker.jobs] for worker in pool._workers] == [["long"], ["next"]]
        while "long" not in ended:
            ended += [name for name, outcome in pool.wait(30) if outcome.error is None]
        assert ended == ["quick1", "quick2", "mid", "next", "long"]
    finally:
        pool.shutdown()


@pytest.fixture
def worker_processes() -> Callable[[], list[int]]:
    """The live child processes of this process started during the test: workers, spawned or forked."""
    before = set(children_of(os.getpid()))
    return lambda: [pid for pid in children_of(os.getpid()) if pid not in before]


def test_workers_started_ahead_are_used_by_the_pool_and_stopped_when_unused(
    make_pipeline: MakePipeline, cli: Callable[..., Result], worker_processes: Callable[[], list[int]]
) -> None:
    from pimlico_lite.execution import workers

    pipeline = make_pipeline("[a]\ntype = testmods.source\nvalue = 1\n[b]\ntype = testmods.source\nvalue = 2\n")
    choice = ExecutorChoice(jobs=2)
    choice.start_ahead()
    ahead = [worker.process.pid for worker in workers._STARTED_AHEAD]
    assert sorted(worker_processes()) == sorted(ahead)
    taken: list[int] = []
    real_shutdown = workers.WorkerPoolExecutor.shutdown

    def note_workers_then_shut_down(pool: workers.WorkerPoolExecutor) -> None:
        taken.extend(worker.process.pid for worker in pool._workers)
        real_shutdown(pool)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workers.WorkerPoolExecutor, "shutdown", note_workers_then_shut_down)
        assert sorted(run(pipeline, run_all=True, executor=choice).completed) == ["a", "b"]
    assert sorted(taken) == sorted(ahead)  # the pool ran the modules in the workers started ahead
    assert worker_processes() == []
    result = cli(pipeline.config_path, "run", "--all", "-j", "2")  # nothing to do: the workers are stopped
    assert result.output.strip() == "every module is complete: nothing to run"
    assert workers._STARTED_AHEAD == []
    assert worker_processes() == []


def test_a_worker_started_ahead_that_died_is_replaced(
    make_pipeline: MakePipeline, worker_processes: Callable[[], list[int]]
) -> None:
    from pimlico_lite.execution import workers

    pipeline = make_pipeline("[a]\ntype = testmods.source\nvalue = 1\n[b]\ntype = testmods.source\nvalue = 2\n")
    choice = ExecutorChoice(jobs=2)
    choice.start_ahead()
    dead = workers._STARTED_AHEAD[0].process
    dead.kill()
    dead.wait()
    result = run(pipeline, run_all=True, executor=choice)
    assert sorted(result.completed) == ["a", "b"]
    assert result.failed == []
    assert worker_processes() == []


def test_a_run_forks_its_workers_ahead_and_what_their_modules_print_reaches_its_output(
    make_config: Callable[..., Path],
) -> None:
    config = make_config("".join(f"[{name}]\ntype = testmods.whoami\nseconds = 0.5\n" for name in ("a", "b")))
    # Output into a pipe is block-buffered unless PYTHONUNBUFFERED is set (an empty value unsets it).
    process = start_cli(config, "run", "--all", "-j", "2", env={"PYTHONUNBUFFERED": ""})
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert [line for line in stdout.splitlines() if "started" in line] == ["> a started (run 1)", "> b started (run 2)"]
    assert sorted(line for line in stdout.splitlines() if line.endswith("was here")) == ["a was here", "b was here"]
    pipeline = load_pipeline(config)
    answers = [output_of(pipeline, name) for name in ("a", "b")]
    assert isinstance(answers[0], dict)
    assert isinstance(answers[1], dict)
    assert answers[0]["pid"] != answers[1]["pid"]  # both ran at once, one in each worker
    for answer in answers:
        assert answer["ppid"] == process.pid
        assert answer["command"][1:3] == ["-m", "pimlico_lite"]  # forked from the run, not a new interpreter
    again = run_cli(config, "run", "--all", "-j", "2")
    assert (again.stdout.strip(), again.stderr) == ("every module is complete: nothing to run", "")


def test_a_run_that_stops_at_the_first_failure_keeps_two_jobs_per_worker(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pimlico_lite.execution import workers

    monkeypatch.setattr(workers, "QUEUE_SECONDS", 0.5)  # every job here counts as short, even on a busy machine
    pools: list[workers.WorkerPoolExecutor] = []
    create = ExecutorChoice.create

    def note_the_pool(choice: ExecutorChoice, *args: Any, **kwargs: Any) -> Any:
        pools.append(create(choice, *args, **kwargs))
        return pools[-1]

    monkeypatch.setattr(ExecutorChoice, "create", note_the_pool)
    before = "".join(f"[quick{n}]\ntype = testmods.source\n" for n in range(20))
    after = "".join(f"[later{n}]\ntype = testmods.source\n" for n in range(100))
    pipeline = make_pipeline(before + "[bad]\ntype = testmods.fail\n" + after)
    for exit_on_error in (False, True):
        result = run(pipeline, run_all=True, force=True, exit_on_error=exit_on_error, executor=ExecutorChoice(jobs=2))
        assert result.failed == ["bad"]
        assert pools[-1]._short_jobs  # the jobs were short: only --exit-on-error keeps the queues shallow
        assert (pools[-1].slots == 2 * 2) is exit_on_error


def test_big_jobs_never_fill_a_busy_workers_socket_while_it_logs(make_config: Callable[..., Path]) -> None:
    # Short jobs queue deeply; a worker that read its socket only between jobs, and logged a lot, blocked until the
    # scheduler read: jobs of 30 KB each queued behind it filled its socket and blocked the scheduler too.
    big = "x" * 30_000
    sections = [
        f"[talk{n}]\ntype = testmods.chatty\n" if n % 7 == 6 else f"[big{n}]\ntype = testmods.source\nvalue = {big}\n"
        for n in range(120)
    ]
    config = make_config("".join(sections))
    result = run_cli(config, "run", "--all", "-j", "2", timeout=60)
    assert result.returncode == 0, result.stderr
    assert set(statuses(config).values()) == {"COMPLETE"}


def test_a_job_sent_to_a_worker_that_just_died_runs_once_elsewhere(make_pipeline: MakePipeline) -> None:
    from pimlico_lite.execution.reporter import NullReporter
    from pimlico_lite.execution.scheduler import Scheduler
    from pimlico_lite.execution.workers import RECENT_JOBS, WorkerPoolExecutor

    pipeline = make_pipeline(
        "[long]\ntype = testmods.progress\nsteps = 1\nseconds = 5\n[next]\ntype = testmods.source\nvalue = n\n"
    )
    scheduler = Scheduler(pipeline, Store(pipeline.store_path), {}, 0, NullReporter())
    pool = WorkerPoolExecutor(1, NullReporter())
    pool._recent.extend([0.001] * RECENT_JOBS)  # jobs count as short: the next one goes behind the busy worker
    try:
        pool.submit(scheduler.job("long", 1))
        (worker,) = pool._workers
        worker.process.kill()
        worker.process.wait()
        pool.submit(scheduler.job("next", 2))  # the send fails: the job is kept, not lost and not failed
        ended: dict[str, str | None] = {}
        while len(ended) < 2:
            ended |= {name: outcome.error for name, outcome in pool.wait(30)}
        assert ended == {"long": "the worker process running it died: killed by SIGKILL (out of memory?)", "next": None}
    finally:
        pool.shutdown()


def test_no_more_workers_than_cores_are_started_ahead_and_the_pool_starts_others_when_needed(
    make_pipeline: MakePipeline, worker_processes: Callable[[], list[int]]
) -> None:
    from pimlico_lite.execution import workers

    pipeline = make_pipeline(FAN)
    choice = ExecutorChoice(jobs=50)
    choice.start_ahead()
    assert len(workers._STARTED_AHEAD) == min(50, os.cpu_count() or 1)
    assert sorted(run(pipeline, run_all=True, executor=choice).completed) == ["a", "b", "c", "d"]
    assert worker_processes() == []


def _run_all_with_open_files(
    config: Path, jobs: int, open_files: int, sleep: float
) -> subprocess.CompletedProcess[str]:
    """``run --all -j JOBS`` in a process that may open at most ``open_files`` files, each module taking ``sleep``."""
    import resource

    return subprocess.run(
        [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "-j", str(jobs)],
        capture_output=True,
        text=True,
        env={**os.environ, "PIMLICO_TEST_SLEEP": str(sleep)},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files)),
        timeout=120,
        check=False,
    )


def test_running_out_of_file_descriptors_is_a_clear_error_and_no_module_stays_running(
    make_config: Callable[..., Path],
) -> None:
    body = "[a]\ntype = testmods.source\n" + "".join(f"[m{i}]\ntype = testmods.step\ninput = a\n" for i in range(40))
    config = make_config(body)
    assert run_cli(config, "run", "a").returncode == 0
    limited = _run_all_with_open_files(config, jobs=40, open_files=40, sleep=0.5)
    assert limited.returncode == 1
    assert limited.stderr.splitlines()[-1] == (
        "Error: Too many open files: run fewer modules at once (a smaller -j), or raise the limit (ulimit -n)"
    )
    assert "Traceback" not in limited.stderr
    found = statuses(config)
    assert "RUNNING" not in found.values()
    assert run_cli(config, "run", "--all", "-j", "2").returncode == 0
    assert set(statuses(config).values()) == {"COMPLETE"}


def test_when_the_system_refuses_more_workers_the_run_goes_on_with_those_it_has(
    make_config: Callable[..., Path],
) -> None:
    config = make_config("".join(f"[m{i}]\ntype = testmods.source\nvalue = {i}\n" for i in range(120)))
    limited = _run_all_with_open_files(config, jobs=100, open_files=150, sleep=0.2)
    assert limited.returncode == 0, limited.stderr
    (waits,) = [line for line in limited.stdout.splitlines() if " waits: " in line]
    assert re.search(r"cannot start a worker process: Too many open files .*; going on with the \d+ there are$", waits)
    assert set(statuses(config).values()) == {"COMPLETE"}


def test_a_worker_the_system_refuses_is_an_error_saying_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import socket

    from pimlico_lite.errors import PimlicoLiteError
    from pimlico_lite.execution import workers
    from pimlico_lite.execution.reporter import NullReporter

    def refuse() -> None:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(socket, "socketpair", refuse)
    workers.start_workers_ahead(2, None)  # started ahead: as many as the system allows, here none
    assert workers._STARTED_AHEAD == []
    pool = workers.WorkerPoolExecutor(2, NullReporter())
    with pytest.raises(PimlicoLiteError) as caught:  # and the pool, with no worker at all, says why it cannot go on
        pool._start_worker()
    assert str(caught.value) == (
        "cannot start a worker process: Too many open files (run fewer modules at once: a smaller -j)"
    )
    assert caught.value.exit_code == 1


def test_workers_started_ahead_are_as_many_as_the_system_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import socket

    from pimlico_lite.execution import workers

    real, made = socket.socketpair, []

    def only_one(*arguments: object) -> tuple[socket.socket, socket.socket]:
        if made:
            raise OSError(errno.EMFILE, "Too many open files")
        made.append(real())
        return made[-1]

    monkeypatch.setattr(socket, "socketpair", only_one)
    try:
        workers.start_workers_ahead(3, None)  # no error: the pool goes on with the one there is
        assert len(workers._STARTED_AHEAD) == 1
    finally:
        workers.stop_workers_started_ahead()


def test_an_external_dask_clusters_slots_follow_the_workers_that_join_it(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed", reason="the dask extra is installed with the test extra")
    from pimlico_lite.execution import dask_executor

    class Client:  # an external cluster's client: one worker thread, then six after a scale-up
        threads = {"tcp://a:1": 1}

        def nthreads(self) -> dict[str, int]:
            return dict(self.threads)

    now = [100.0]
    monkeypatch.setattr(dask_executor.time, "monotonic", lambda: now[0])
    executor = dask_executor.DaskExecutor.__new__(dask_executor.DaskExecutor)  # as __init__ leaves it, connected
    executor.cluster, executor.client = None, Client()
    executor._threads, executor._threads_seen = 2, -float("inf")
    assert executor.slots == 2  # two tasks in flight per thread
    Client.threads = {f"tcp://w:{port}": 1 for port in range(6)}
    assert executor.slots == 2  # counted again only every few seconds
    now[0] += dask_executor.THREADS_SECONDS
    assert executor.slots == 12
    Client.threads = {}
    now[0] += dask_executor.THREADS_SECONDS
    assert executor.slots == 2  # every worker gone: tasks wait on the scheduler for one to join

    def lost(self: object) -> dict[str, int]:
        raise ConnectionRefusedError

    Client.threads = {"tcp://a:1": 3}
    now[0] += dask_executor.THREADS_SECONDS
    assert executor.slots == 6
    monkeypatch.setattr(Client, "nthreads", lost)
    now[0] += dask_executor.THREADS_SECONDS
    assert executor.slots == 6  # the scheduler out of reach: the last count stands

    def closed(self: object) -> dict[str, int]:
        message = "ConnectionPool is closed"  # as Dask says once its client has given up reconnecting
        raise RuntimeError(message)

    monkeypatch.setattr(Client, "nthreads", closed)
    now[0] += dask_executor.THREADS_SECONDS
    assert executor.slots == 6


def test_jobs_held_for_a_free_worker_stay_not_started_when_a_signal_comes_as_they_are_handed_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import collections

    from pimlico_lite.execution import workers
    from pimlico_lite.execution.reporter import NullReporter

    pool = workers.WorkerPoolExecutor(2, NullReporter())
    held = [workers._Job(name, 1, (), b"") for name in ("s2", "s3")]
    pool._held = collections.deque(held)
    pool._unended = {"s2", "s3"}

    def interrupted(job: object) -> None:
        raise KeyboardInterrupt  # as SIGINT's handler does, at any bytecode

    monkeypatch.setattr(pool, "_send", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pool._send_held()
    assert pool.not_started() == {"s2", "s3"}  # (the list of held jobs was empty at that moment)


@pytest.mark.parametrize(
    ("error", "is_memory"),
    [
        ("MemoryError: ", True),
        ("OSError: libz3.so.4: failed to map segment from shared object", True),
        (
            "ImportError: \n\nIMPORTANT: PLEASE READ THIS\nOriginal error was: x.so: failed to map segment from"
            " shared object",
            True,
        ),
        ("OSError: [Errno 12] Cannot allocate memory", True),
        ("ValueError: failed to map column x", False),
        ("RuntimeError: boom", False),
    ],
)
def test_the_errors_that_a_memory_limit_may_explain(error: str, is_memory: bool) -> None:
    from pimlico_lite.execution.workers import _MEMORY_ERRORS

    assert bool(_MEMORY_ERRORS.search(error)) is is_memory


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_module_that_ends_in_another_base_exception_fails_alone(make_config: Callable[..., Path], jobs: str) -> None:
    # asyncio's CancelledError is a BaseException: with -j 1 it stopped the whole run with a traceback, and with
    # -j 2 it killed the worker process.
    config = make_config("[x]\ntype = testmods.cancelled\n[lone]\ntype = testmods.source\n")
    result = run_cli(config, "run", "--all", "-j", jobs)
    assert result.returncode == 1
    assert "✗ x FAILED: CancelledError" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "died" not in result.stdout
    assert statuses(config) == {"x": "FAILED", "lone": "COMPLETE"}


def test_long_log_lines_from_processes_a_module_forked_reach_its_log_and_leave_the_worker_whole(
    make_config: Callable[..., Path],
) -> None:
    """A forked process has the worker's socket and log handler: its messages, written in two parts when they are
    longer than 16 KiB, mixed with the worker's and garbled the socket (the module FAILED, its worker "lost track of",
    most of its log lost). It logs to the run's log file alone."""
    config = make_config("[a]\ntype = testmods.forks_and_logs\nlines = 120\n[b]\ntype = testmods.source\n")
    result = run_cli(config, "run", "--all", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert statuses(config) == {"a": "COMPLETE", "b": "COMPLETE"}
    logged = run_cli(config, "log", "a")
    lines = [line.split()[-3:-1] for line in logged.stdout.splitlines() if line.endswith("c" * 17000)]
    assert sorted(lines) == sorted([who, str(number)] for who in ("parent", "first", "second") for number in range(120))


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("child", ["returns", "exits", "sigterm"])
def test_a_forked_child_leaving_execute_leaves_the_modules_outputs_alone(
    make_config: Callable[..., Path], jobs: str, child: str
) -> None:
    """A child that a module forked, coming back out of execute() (or unwinding from SIGTERM), went on with the job:
    it deleted the partial folder (the module COMPLETE with an output gone) or ran the scheduler's code."""
    config = make_config(f"[a]\ntype = testmods.forked_child\nchild = {child}\n[b]\ntype = testmods.source\n")
    result = run_cli(config, "run", "--all", "-j", jobs)
    assert result.returncode == 0, result.stderr
    assert statuses(config) == {"a": "COMPLETE", "b": "COMPLETE"}
    pipeline = load_pipeline(config)
    assert [output_of(pipeline, "a", output) for output in ("data", "more")] == ["before the fork", "after it"]
