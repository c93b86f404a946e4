"""Guarantees under load, each tried by breaking it: kill -9, concurrent runs, signals, a real terminal."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeConfig
from subprocesses import (
    children_of,
    lines_of,
    processes_with,
    run_cli,
    run_on_a_terminal,
    start_cli,
    statuses,
    wait_for,
)

from pimlico_lite.pipeline import load_pipeline
from pimlico_lite.store import Store

ROOT = Path(__file__).parent.parent
WIDE = (
    "".join(f"[s{i}]\ntype = testmods.source\n" for i in range(12))
    + "[g]\ntype = testmods.gather\ninput_parts = "
    + ", ".join(f"s{i}" for i in range(12))
    + "\n"
)


@pytest.mark.slow
def test_twenty_random_kill_9s_leave_the_store_consistent() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "crash_test.py"), "--kills", "20"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("20 kills, ")
    assert "every check held" in result.stdout


@pytest.mark.slow
def test_concurrent_parallel_runs_execute_every_module_exactly_once(make_config: MakeConfig, tmp_path: Path) -> None:
    config = make_config(WIDE)
    log = tmp_path / "executions.txt"
    env = {"PIMLICO_TEST_EXECUTIONS": str(log), "PIMLICO_TEST_SLEEP": "0.1"}
    processes = [start_cli(config, "run", "--all", "-j", "2", env=env) for _ in range(3)]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    assert sorted(log.read_text().split()) == sorted([f"s{i}" for i in range(12)] + ["g"])


@pytest.mark.slow
@pytest.mark.parametrize(("signal_number", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_fails_the_running_modules_and_leaves_no_worker(
    make_config: MakeConfig, tmp_path: Path, signal_number: int, exit_code: int
) -> None:
    config = make_config(WIDE)
    log = tmp_path / "executions.txt"
    marker = uuid.uuid4().hex
    env = {"PIMLICO_TEST_EXECUTIONS": str(log), "PIMLICO_TEST_SLEEP": "5", "PIMLICO_TEST_MARKER": marker}
    process = start_cli(config, "run", "--all", "-j", "2", env=env)
    wait_for(lambda: len(lines_of(log)) >= 2, "two modules starting in workers")
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == exit_code
    assert f"interrupted by {signal.Signals(signal_number).name}" in stderr
    assert processes_with(marker) == []
    store = Store(load_pipeline(config).store_path)
    interrupted = {name: runs[0].error for name in ("s0", "s1") if (runs := store.state.runs(name))}
    assert interrupted == {
        "s0": f"interrupted ({signal.Signals(signal_number).name})",
        "s1": f"interrupted ({signal.Signals(signal_number).name})",
    }
    # Modules claimed and held in the pool for the next free worker never ran: their records say so.
    held = [runs[0] for name in (f"s{i}" for i in range(2, 12)) if (runs := store.state.runs(name))]
    assert held
    assert {run.error for run in held} == {f"interrupted ({signal.Signals(signal_number).name}), before it started"}
    assert {run.duration for run in held} == {0}
    assert list(store.module_dir("s0").iterdir()) == []  # no partial output left


@pytest.mark.parametrize(
    ("signal_number", "workers", "group"),
    [
        (signal.SIGINT, "1", False),
        (signal.SIGTERM, "2", False),
        (signal.SIGHUP, "1", False),
        (signal.SIGHUP, "2", True),  # (a closed terminal hangs up its whole process group: the workers too)
    ],
)
def test_a_forced_re_run_that_is_stopped_leaves_the_complete_run_it_was_to_replace(
    make_config: MakeConfig, tmp_path: Path, signal_number: int, workers: str, group: bool
) -> None:
    config = make_config("[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = a\n")
    log = tmp_path / "executions.txt"
    env = {"PIMLICO_TEST_EXECUTIONS": str(log)}
    assert run_cli(config, "run", "--all", env=env).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "pimlico_lite", config, "run", "-f", "a", "-j", workers],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **env, "PIMLICO_TEST_SLEEP": "30"},
        start_new_session=True,
    )
    wait_for(lambda: len(lines_of(log)) == 3, "a starting again")
    if group:
        os.killpg(process.pid, signal_number)
    else:
        process.send_signal(signal_number)
    stdout, _ = process.communicate(timeout=30)
    name = signal.Signals(signal_number).name
    assert process.returncode == 128 + signal_number
    assert f"✗ a FAILED: interrupted ({name}): the outputs of its run 1 stand" in stdout
    store = Store(load_pipeline(config).store_path)
    record = store.state.record("a")
    assert record is not None
    assert (record.state, record.run_id, record.complete_run_id) == ("COMPLETE", 1, 1)
    assert [run.error for run in store.state.runs("a")] == [
        None,
        f"interrupted ({name}): the outputs of its run 1 stand",
    ]
    assert statuses(config) == {"a": "COMPLETE", "b": "COMPLETE"}
    assert "every module is complete: nothing to run" in run_cli(config, "run", "--all", env=env).stdout
    assert lines_of(log) == ["a", "b", "a"]


def test_a_stopped_re_run_of_a_failed_module_leaves_it_failed(make_config: MakeConfig, tmp_path: Path) -> None:
    # (the outputs of its last complete run are not readable once a re-run failed: a Ctrl-C brought them back)
    config = make_config("[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = a\n")
    log = tmp_path / "executions.txt"
    env = {"PIMLICO_TEST_EXECUTIONS": str(log)}
    assert run_cli(config, "run", "--all", env=env).returncode == 0
    assert run_cli(config, "run", "-f", "a", env={**env, "PIMLICO_TEST_FAIL": "a"}).returncode == 1
    assert statuses(config) == {"a": "FAILED", "b": "OUTDATED"}
    process = start_cli(config, "run", "--all", env={**env, "PIMLICO_TEST_SLEEP": "30"})
    wait_for(lambda: len(lines_of(log)) == 4, "a starting again")
    process.send_signal(signal.SIGINT)
    stdout, _ = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "✗ a FAILED: interrupted (SIGINT)\n" in stdout
    assert statuses(config) == {"a": "FAILED", "b": "OUTDATED"}


def start_terminal(command: str) -> str:
    """Run ``command`` in a terminal of 120 by 30 characters: a private tmux server (-L), started from this test's
    environment. Return its name, for :func:`screen_until` and ``kill-server``."""
    session = f"pimlico-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["tmux", "-L", session, "new-session", "-d", "-s", session, "-x", "120", "-y", "30", command], check=True
    )
    return session


def screen_until(session: str, predicate: Callable[[str], bool], timeout: float = 30) -> str:
    """Capture the tmux pane until ``predicate`` holds for it; return it."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(
            ["tmux", "-L", session, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True
        ).stdout
        if predicate(screen):
            return screen
        time.sleep(0.2)
    message = f"the terminal never showed what was expected; it showed:\n{screen}"
    raise AssertionError(message)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="scripts/test installs tmux where it can")
def test_the_live_display_in_a_real_terminal(make_config: MakeConfig, tmp_path: Path) -> None:
    config = make_config(
        WIDE.replace("[s0]\ntype = testmods.source", "[s0]\ntype = testmods.progress\nsteps = 50\nseconds = 0.1")
    )
    command = f"PIMLICO_TEST_SLEEP=1 {sys.executable} -m pimlico_lite {config} run --all -j 2; echo RUN-ENDED; sleep 60"
    session = start_terminal(command)
    try:
        running = screen_until(session, lambda text: "%" in text and "running" in text)
        # two workers, each with a module running and the next queued in its socket
        assert re.search(r"\d+ done, [2-4] running, \d+ waiting, 0 failed", running)
        assert "⠋" in running or "━" in running  # a spinner or a bar per running module
        assert any(line.lstrip(" ⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏").startswith("s0 ") and "%" in line for line in running.splitlines())
        ended = screen_until(session, lambda text: "RUN-ENDED" in text, timeout=60)
        assert "✓ g COMPLETE" in ended
        assert "running" not in ended  # the display is gone once the run ends
    finally:
        subprocess.run(["tmux", "-L", session, "kill-server"], check=False)
    statuses = json.loads(
        subprocess.run(
            [sys.executable, "-m", "pimlico_lite", str(config), "status", "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert {module["status"] for module in statuses["modules"]} == {"COMPLETE"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="scripts/test installs tmux where it can")
@pytest.mark.parametrize("jobs", [1, 2])
def test_with_the_live_display_a_modules_stderr_goes_where_stderr_was_sent(
    make_config: MakeConfig, tmp_path: Path, jobs: int
) -> None:
    config = make_config("[talks]\ntype = testmods.speaks\n")
    errors = tmp_path / "errors.log"
    command = f"{sys.executable} -m pimlico_lite {config} run --all -j {jobs} 2> {errors}; echo RUN-ENDED; sleep 60"
    session = start_terminal(command)
    try:
        ended = screen_until(session, lambda text: "RUN-ENDED" in text)
    finally:
        subprocess.run(["tmux", "-L", session, "kill-server"], check=False)
    assert "✓ talks COMPLETE" in ended
    assert "said on stdout" in ended  # above the display, on the terminal
    assert "said on stderr" not in ended
    assert errors.read_text() == "said on stderr\n"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="scripts/test installs tmux where it can")
def test_what_modules_print_in_workers_shows_above_the_live_display(make_config: MakeConfig) -> None:
    config = make_config("[busy]\ntype = testmods.spin\niterations = 20000000\n[talks]\ntype = testmods.speaks\n")
    session = start_terminal(f"{sys.executable} -m pimlico_lite {config} run --all -j 2; echo RUN-ENDED; sleep 60")
    try:
        ended = screen_until(session, lambda text: "RUN-ENDED" in text, timeout=60)
    finally:
        subprocess.run(["tmux", "-L", session, "kill-server"], check=False)
    assert "said on stdout" in ended
    assert "said on stderr" in ended
    assert "✓ busy COMPLETE" in ended
    assert "━" not in ended  # no copy of the display left behind by a print it did not know of


@pytest.mark.slow
def test_a_worker_whose_module_prints_without_pause_keeps_no_other_module_waiting(make_config: MakeConfig) -> None:
    config = make_config(
        "[talks]\ntype = testmods.prints\nlines = 3000\npause = 0.001\n"
        "[first]\ntype = testmods.source\n[then]\ntype = testmods.step\ninput = first\n"
    )
    code, written = run_on_a_terminal(config, "run", "--all", "-j", "2")
    assert code == 0, written[-2000:]
    assert [f"parent line {number} xxxxxxxxxx" in written for number in (0, 1500, 2999)] == [True] * 3
    assert written.count("parent line ") == 3000  # every line, once
    state = Store(load_pipeline(config).store_path).state
    ended = {name: state.runs(name)[0].finished for name in ("talks", "then")}
    assert ended["then"] < ended["talks"]  # its producer's end was read while the other worker printed


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_what_a_module_writes_past_print_or_unended_or_from_its_own_children_reaches_the_terminal(
    make_config: MakeConfig, jobs: int
) -> None:
    config = make_config(
        "[forks]\ntype = testmods.prints\nchildren = 3\nlines = 20\nwidth = 40000\n"
        "[bytes]\ntype = testmods.prints\nraw = true\nunended = half a line, [/] not markup\n"
    )
    code, written = run_on_a_terminal(config, "run", "--all", "-j", jobs)
    assert code == 0, written[-2000:]
    assert "✓ forks COMPLETE" in written
    assert all(f"child {number} line 19 " in written for number in range(3))
    assert "written as bytes" in written
    assert "half a line, [/] not markup" in written
    assert "✓ bytes COMPLETE" in written


@pytest.mark.slow
def test_a_child_forked_by_a_module_does_not_keep_its_lock(make_config: MakeConfig) -> None:
    config = make_config("[a]\ntype = testmods.orphan\n")
    process = start_cli(config, "run", "a")  # -j 1: the module runs in the run process, and forks
    store = Store(load_pipeline(config).store_path)
    wait_for(lambda: store.lock("a").is_held_elsewhere(), "module a starting")
    time.sleep(0.5)  # let it fork
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert not store.lock("a").is_held_elsewhere()  # its forked child, still alive, holds no lock
    assert statuses(config)["a"] == "FAILED"


@pytest.mark.slow
def test_a_module_being_read_is_not_re_run_by_another_process_until_its_reader_ends(
    make_config: MakeConfig, tmp_path: Path
) -> None:
    config = make_config("[a]\ntype = testmods.source\n[b]\ntype = testmods.step\n")
    log = tmp_path / "executions.txt"
    assert run_cli(config, "run", "a").returncode == 0
    reader = start_cli(config, "run", "b", env={"PIMLICO_TEST_EXECUTIONS": str(log), "PIMLICO_TEST_SLEEP": "3"})
    wait_for(lambda: "b" in lines_of(log), "b starting")
    rerun = run_cli(config, "run", "-f", "a", env={"PIMLICO_TEST_EXECUTIONS": str(log)})
    reader_output, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0, reader_output
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "a waits: another process is running it, or a module that reads it" in rerun.stdout
    assert lines_of(log) == ["b", "a"]  # a re-ran only once b had finished reading it
    assert statuses(config) == {"a": "COMPLETE", "b": "OUTDATED"}


@pytest.mark.parametrize(
    ("jobs", "stop"),
    [("1", "sigint"), ("2", "sigint"), ("2", "kill-worker"), ("1", "kill-run")],
    ids=["sigint-j1", "sigint-j2", "kill-9-worker", "kill-9-run"],
)
def test_what_a_module_logged_is_shown_while_it_runs_and_kept_when_it_is_stopped(
    make_config: MakeConfig, jobs: str, stop: str
) -> None:
    config = make_config("[p]\ntype = testmods.progress\nsteps = 300\nseconds = 0.1\n")
    module_dir = Store(load_pipeline(config).store_path).module_dir("p")
    with start_cli(config, "run", "--all", "-j", jobs) as process:
        wait_for(lambda: "INFO step 1\n" in run_cli(config, "log", "p").stdout, "the log of the running module")
        assert "# p, run 1: RUNNING" in run_cli(config, "log", "p").stderr
        if stop == "sigint":
            process.send_signal(signal.SIGINT)
        elif stop == "kill-run":
            process.kill()
        else:
            for worker in children_of(process.pid):  # (the one running p, and the idle one)
                os.kill(worker, signal.SIGKILL)
        process.communicate(timeout=60)
    shown = run_cli(config, "log", "p")
    assert "INFO step 0\n" in shown.stdout
    assert "INFO step 1\n" in shown.stdout
    expected = {
        "sigint": "error: interrupted (SIGINT)",
        "kill-worker": "error: the worker process running it died: killed by SIGKILL",
        "kill-run": "error: interrupted: the process running it stopped without recording an end (killed?)",
    }[stop]
    assert expected in shown.stdout
    assert "# p, run 1: FAILED" in shown.stderr
    (record,) = Store(load_pipeline(config).store_path).state.runs("p")
    if stop == "kill-run":  # nothing recorded its end: the log file is all there is, until the next run starts
        assert record.log is None
        assert (module_dir / "run-1.log").is_file()
        assert "last run: #1 FAILED, started" in run_cli(config, "status", "p").stdout  # (as its state: not RUNNING)
        config.write_text(config.read_text().replace("steps = 300", "steps = 1"))
        assert run_cli(config, "run", "--all").returncode == 0
        record = Store(load_pipeline(config).store_path).state.runs("p")[0]
        assert "INFO step 1\n" in record.log  # (the new run closed it, with the log its file held)
        assert "INFO step 1\n" in run_cli(config, "log", "p", "--run", "1").stdout
        assert sorted(path.name for path in module_dir.iterdir()) == ["run-2"]
    else:  # the end is recorded with the log, and the file is gone
        assert "INFO step 1\n" in record.log
        assert not (module_dir / "run-1.log").exists()


def test_what_a_modules_forked_children_log_is_in_its_log(make_config: MakeConfig) -> None:
    config = make_config("[p]\ntype = testmods.prints\nchildren = 2\nchildren_log = true\n")
    assert run_cli(config, "run", "--all").returncode == 0
    shown = run_cli(config, "log", "p").stdout
    assert "INFO child 0 logs\n" in shown
    assert "INFO child 1 logs\n" in shown
    assert "INFO parent logs\n" in shown
    module_dir = Store(load_pipeline(config).store_path).module_dir("p")
    assert sorted(path.name for path in module_dir.iterdir()) == ["run-1"]  # the log file is in the record now


@pytest.mark.parametrize(
    ("mode", "logged"),
    [
        ("surrogate", ["INFO file caf\\udce9.txt\n", "INFO after\n"]),
        (
            "bad_format",
            [
                "INFO (a log call could not be formatted: '%d files' % ('some',): TypeError: %d format: a real number"
                " is required, not str)\n",
                "INFO after\n",
            ],
        ),
        ("crlf", ["INFO tool output:\r\nok\r\n", "INFO child line\n", "INFO after\n"]),
    ],
)
def test_a_module_that_logs_oddly_completes_with_its_log_whole(
    make_config: MakeConfig, mode: str, logged: list[str]
) -> None:
    # Text that is not UTF-8 (escaped), a bad format argument (a line that says so, not the module's failure, nor
    # logging's own "--- Logging error ---" with a traceback), CRLF lines and a forked child's line (not lost to a
    # comparison of lengths).
    config = make_config(f"[p]\ntype = testmods.odd_logs\nmode = {mode}\n")
    result = run_cli(config, "run", "--all")
    assert result.returncode == 0, result.stdout + result.stderr
    (record,) = Store(load_pipeline(config).store_path).state.runs("p")
    assert record.state == "COMPLETE"
    for line in logged:
        assert line in record.log
    assert "Traceback" not in result.stdout + result.stderr


def test_a_runaway_log_file_is_read_back_only_to_its_last_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pimlico_lite.store.layout.RUN_LOG_MOST", 20)
    store = Store(tmp_path / "store")
    store.module_dir("m").mkdir(parents=True)
    Path(store.run_log_path("m", 1)).write_text("".join(f"line {n}\n" for n in range(10)))
    assert store.run_log("m", 1) == "[the first 50 bytes of this log are left out]\nline 8\nline 9\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_runaway_log_is_kept_in_the_record_only_to_its_last_bytes(
    make_config: MakeConfig, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # (the run keeps what a module logs in memory too, and kept all of it: a 41 MB log was 41 MB in the database)
    from pimlico_lite import run
    from pimlico_lite.execution.runner import ExecutorChoice

    most = 5000
    monkeypatch.setattr("pimlico_lite.store.layout.RUN_LOG_MOST", most)
    pipeline = load_pipeline(make_config("[m]\ntype = testmods.chatty\n"))
    assert run(pipeline, ["m"], executor=ExecutorChoice(jobs=jobs)).completed == ["m"]
    (record,) = Store(pipeline.store_path).state.runs("m")
    first, _, rest = record.log.partition("\n")
    assert re.fullmatch(r"\[the first \d+ bytes of this log are left out\]", first)
    assert most - 300 < len(rest.encode()) <= most
    assert rest.endswith("x" * 200 + "\n")


def test_a_retried_attempt_of_a_run_writes_its_log_file_afresh(tmp_path: Path) -> None:
    # A Dask task tried again after its worker died runs the module again in a new process, for the same run: its
    # log file holds this attempt's lines, not the dead attempt's too.
    import pickle

    from pimlico_lite.execution.dask_executor import run_remote
    from pimlico_lite.execution.execute import Job
    from pimlico_lite.pipeline.module_types import import_module_type

    log = tmp_path / "run-1.log"
    log.write_text("INFO the dead attempt's line\n")
    info = import_module_type("testmods.progress")
    job = Job(
        "m",
        1,
        info,
        {"steps": 2, "seconds": 0.0, "rest": 0.0},
        {},
        tmp_path / "run-1.partial",
        tmp_path / "run-1",
        tmp_path,
        log_path=str(log),
    )
    outcome = run_remote((), pickle.dumps(job))
    assert outcome.error is None
    assert [line.partition(" INFO ")[2] for line in log.read_text().splitlines()] == ["step 0", "step 1"]


def test_an_attempt_of_a_run_that_finishes_after_another_published_leaves_the_published_folder_whole(
    tmp_path: Path,
) -> None:
    # Dask runs a task again when it counts its worker dead; a worker that was only stopped goes on with the first
    # attempt later. Both attempts shared one partial folder (their files mixed), and the later one deleted the
    # folder the first had published: the module stayed COMPLETE with no outputs.
    import pickle

    from pimlico_lite.execution.dask_executor import run_remote
    from pimlico_lite.execution.execute import Job
    from pimlico_lite.pipeline.module_types import import_module_type

    info = import_module_type("testmods.progress")
    final = tmp_path / "run-1"
    job = Job("m", 1, info, {"steps": 1, "seconds": 0.0, "rest": 0.0}, {}, tmp_path / "run-1.partial", final, tmp_path)
    assert run_remote((), pickle.dumps(job)).error is None
    published = os.stat(final / "data" / "data.pickle")
    assert run_remote((), pickle.dumps(job)).error is None  # the later attempt: its outputs are dropped
    assert os.stat(final / "data" / "data.pickle").st_ino == published.st_ino
    assert sorted(path.name for path in tmp_path.iterdir()) == ["run-1"]  # no attempt's partial folder left


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signal_number", "whole_group"),
    [(signal.SIGINT, True), (signal.SIGINT, False), (signal.SIGTERM, False)],
    ids=["ctrl-c-on-a-terminal", "sigint-to-run", "sigterm-to-run"],
)
def test_a_command_a_module_runs_in_a_worker_ends_with_the_run(
    make_config: MakeConfig, tmp_path: Path, signal_number: int, whole_group: bool
) -> None:
    """Ctrl-C reaches the whole process group, workers too; a `kill` reaches the run alone. Either way, once the run
    has said it was interrupted, no command that a module started is still running (a worker ignored SIGINT, and the
    commands it started kept that; stopped by SIGKILL, it left them running)."""
    config = make_config("[a]\ntype = testmods.shells_out\n[b]\ntype = testmods.shells_out\n")
    log = tmp_path / "executions.txt"
    marker = uuid.uuid4().hex
    env = {**os.environ, "PIMLICO_TEST_EXECUTIONS": str(log), "PIMLICO_TEST_MARKER": marker}
    command = [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "-j", "2"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        wait_for(lambda: len(lines_of(log)) == 2 and len(processes_with(marker)) >= 5, "both modules' commands started")
        if whole_group:
            os.killpg(process.pid, signal_number)
        else:
            process.send_signal(signal_number)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 128 + signal_number, stderr
        # (a command started as the worker was stopped gets its SIGTERM then: gone a moment later, not 60 s later)
        wait_for(lambda: processes_with(marker) == [], "every command ending", timeout=5)
    finally:  # (what a failure left)
        for pid in processes_with(marker):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
