"""End to end through the real CLI in subprocesses: the example pipeline, kill -9, signals, concurrent runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import MakeConfig, write_module_type
from subprocesses import lines_of, run_cli, start_cli, statuses, wait_for

from pimlico_lite.pipeline import load_pipeline
from pimlico_lite.store import Store

ROOT = Path(__file__).parent.parent
CHAIN = "[m0]\ntype = testmods.source\nvalue = x\n" + "".join(
    f"[m{index}]\ntype = testmods.step\nlabel = x\n" for index in range(1, 6)
)


def outputs(config: Path) -> dict[str, object]:
    pipeline = load_pipeline(config)
    store = Store(pipeline.store_path)
    found = {}
    for name, record in store.state.records().items():
        assert record.complete_run_id is not None
        folder = store.run_dir(name, record.complete_run_id) / "data"
        found[name] = pipeline.instances[name].info.output_datatypes()["data"].read(folder)
    return found


def test_example_pipeline_runs_through_the_console_script(tmp_path: Path) -> None:
    env = {"PIMLICO_LITE_STORE": str(tmp_path / "store")}
    config = ROOT / "pipelines" / "quickstart.conf"
    script = Path(sys.executable).parent / "pimlico-lite"
    first = subprocess.run(
        [script, config, "run", "--all"], capture_output=True, text=True, env={**os.environ, **env}, check=False
    )
    assert first.returncode == 0, first.stderr
    assert "✓ word_stats:frequencies COMPLETE" in first.stdout
    assert set(statuses(config, env).values()) == {"COMPLETE"}
    again = run_cli(config, "run", "word_stats", env=env)
    assert again.returncode == 0
    assert "every stage of word_stats is complete: nothing to run" in again.stdout
    listing = run_cli(config, "run", "word_stats:?", env=env)
    assert listing.stdout.splitlines() == [
        "stages of word_stats:",
        "  word_stats:vocabulary  COMPLETE",
        "  word_stats:frequencies  COMPLETE",
    ]
    frequencies = json.loads(
        next(
            (tmp_path / "store" / "quickstart" / "modules" / "word_stats" / "frequencies").glob(
                "run-*/frequencies/data.json"
            )
        ).read_text()
    )
    assert frequencies["documents"] == 7
    assert len(frequencies["top"]) == 10


def test_config_error_exits_two_with_location_and_no_traceback(make_config: MakeConfig) -> None:
    config = make_config("[a]\ntype = testmods.sorce\n")
    result = run_cli(config, "run", "--all")
    assert result.returncode == 2
    assert f"{config}:6 [a] type: unknown module type 'testmods.sorce' (did you mean" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_kill_9_during_a_module_then_a_clean_rerun(make_config: MakeConfig, tmp_path: Path) -> None:
    config = make_config(CHAIN)
    log = tmp_path / "executions.txt"
    process = start_cli(config, "run", "--all", env={"PIMLICO_TEST_EXECUTIONS": str(log), "PIMLICO_TEST_SLEEP": "0.3"})
    wait_for(lambda: "m2" in lines_of(log), "m2 starting")
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    after_kill = statuses(config)
    assert after_kill["m0"] == after_kill["m1"] == "COMPLETE"
    assert after_kill["m2"] == "FAILED"  # its RUNNING record belongs to a dead process
    assert after_kill["m3"] == "UNEXECUTED"
    store = Store(load_pipeline(config).store_path)
    assert not [p for p in store.module_dir("m2").iterdir() if not p.name.endswith(".partial")]
    rerun = run_cli(config, "run", "--all")
    assert rerun.returncode == 0, rerun.stderr
    assert set(statuses(config).values()) == {"COMPLETE"}
    clean = make_config(CHAIN, name="clean.conf")
    clean.write_text(clean.read_text().replace("name = test", "name = clean"))
    assert run_cli(clean, "run", "--all").returncode == 0
    assert outputs(config) == outputs(clean)
    assert [p.name for p in store.module_dir("m2").iterdir()] == [f"run-{store.state.record('m2').run_id}"]  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signal_number", "exit_code", "name"), [(signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM")]
)
def test_interrupt_marks_the_running_module_failed(
    make_config: MakeConfig, tmp_path: Path, signal_number: int, exit_code: int, name: str
) -> None:
    config = make_config(CHAIN)
    log = tmp_path / "executions.txt"
    process = start_cli(config, "run", "--all", env={"PIMLICO_TEST_EXECUTIONS": str(log), "PIMLICO_TEST_SLEEP": "2"})
    wait_for(lambda: "m0" in lines_of(log), "m0 starting")
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == exit_code
    assert f"interrupted by {name}" in stderr
    assert statuses(config)["m0"] == "FAILED"
    (record,) = Store(load_pipeline(config).store_path).state.runs("m0")
    assert record.error == f"interrupted ({name})"


@pytest.mark.slow
def test_concurrent_runs_execute_every_module_exactly_once(make_config: MakeConfig, tmp_path: Path) -> None:
    config = make_config(CHAIN + "".join(f"[lone{i}]\ntype = testmods.source\n" for i in range(4)))
    log = tmp_path / "executions.txt"
    env = {"PIMLICO_TEST_EXECUTIONS": str(log), "PIMLICO_TEST_SLEEP": "0.1"}
    processes = [start_cli(config, "run", "--all", env=env) for _ in range(3)]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    executed = log.read_text().split()
    assert sorted(executed) == sorted([f"m{i}" for i in range(6)] + [f"lone{i}" for i in range(4)])
    assert set(statuses(config).values()) == {"COMPLETE"}


@pytest.mark.slow
def test_an_installed_wheel_runs_the_example_without_the_source_tree(tmp_path: Path) -> None:
    source = tmp_path / "source"  # build from a copy: pip leaves a build/ folder in the tree it builds
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("pimlico_lite", "modules"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", tmp_path / "wheel", source],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "pimlico_lite/modules/text/tokenize/info.py" in names
    assert not [name for name in names if name.startswith("modules/")]
    config = tmp_path / "copy.conf"
    shutil.copy(ROOT / "pipelines" / "quickstart.conf", config)
    program = "import sys, pimlico_lite.cli; print(pimlico_lite.__file__); pimlico_lite.cli.main(sys.argv[1:])"
    result = subprocess.run(
        [sys.executable, "-c", program, config, "run", "--all"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(site / "pimlico_lite" / "__init__.py"))
    assert "✓ word_stats:frequencies COMPLETE" in result.stdout


# Runs the CLI with its arguments, then prints which modules of rich and of pimlico_lite.execution it imported.
NOTING_IMPORTS = (
    "import atexit, sys;"
    " atexit.register(lambda: print('imported:', sorted(m for m in sys.modules"
    " if m.split('.')[0] == 'rich' or m.startswith('pimlico_lite.execution.'))));"
    " from pimlico_lite.cli import main; main(sys.argv[1:])"
)


def test_loading_a_pipeline_imports_no_executor(make_config: MakeConfig) -> None:
    config = make_config(CHAIN)
    program = (
        "import sys; from pimlico_lite import load_pipeline; load_pipeline(sys.argv[1]);"
        " print(sorted(m for m in sys.modules if m.endswith('.execute') or m in ('rich', 'sqlite3')))"
    )
    result = subprocess.run([sys.executable, "-c", program, config], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_status_of_every_module_imports_no_planner_runner_or_rich(make_config: MakeConfig) -> None:
    config = make_config(CHAIN)
    result = subprocess.run([sys.executable, "-c", NOTING_IMPORTS, config, "status"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported: ['pimlico_lite.execution.status']"
    detail = subprocess.run(
        [sys.executable, "-c", NOTING_IMPORTS, config, "status", "m0"], capture_output=True, text=True
    )
    assert detail.returncode == 0, detail.stderr
    assert "'pimlico_lite.execution.planner'" in detail.stdout.splitlines()[-1]


def test_a_run_into_a_pipe_writes_plain_lines_without_rich_and_one_with_nothing_to_do_no_executor(
    make_config: MakeConfig,
) -> None:
    config = make_config(CHAIN)
    first = subprocess.run(
        [sys.executable, "-c", NOTING_IMPORTS, config, "run", "--all"], capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    started, completed = first.stdout.splitlines()[:2]
    assert started == "> m0 started (run 1)"
    assert re.fullmatch(r"✓ m0 COMPLETE in \d+\.\d\ds", completed)
    imported = first.stdout.splitlines()[-1]
    assert "'rich" not in imported
    assert "'pimlico_lite.execution.executors'" in imported
    again = subprocess.run(
        [sys.executable, "-c", NOTING_IMPORTS, config, "run", "--all"], capture_output=True, text=True
    )
    assert again.stdout.splitlines()[0] == "every module is complete: nothing to run"
    imported_again = again.stdout.splitlines()[-1]
    assert "'pimlico_lite.execution.runner'" in imported_again
    for module in ("scheduler", "executors", "execute", "jobs"):
        assert f"'pimlico_lite.execution.{module}'" in imported
        assert f"'pimlico_lite.execution.{module}'" not in imported_again


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_whose_reader_goes_away_goes_on_and_records_every_module(make_config: MakeConfig, jobs: str) -> None:
    # `run --all | head -1`: the first line is read, then the pipe closes while the modules still log lines.
    config = make_config("[talk]\ntype = testmods.chatty\n" + CHAIN)
    with start_cli(config, "run", "--all", "-j", jobs) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.readline().startswith("> ")
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=60) == 0, stderr
    assert "Error" not in stderr
    assert "Exception" not in stderr
    assert set(statuses(config).values()) == {"COMPLETE"}
    assert [run.error for run in Store(load_pipeline(config).store_path).state.runs("talk")] == [None]


def test_the_store_folders_of_names_that_are_not_ascii_are_the_same_in_every_locale(tmp_path: Path) -> None:
    # In a locale whose file names are not UTF-8 (here ASCII: LC_ALL=C without Python's UTF-8 mode), `café` was
    # another folder, so everything looked OUTDATED ("its outputs are gone") and ran again; `[模块]` crashed.
    config = tmp_path / "p.conf"
    config.write_text(
        f"[pipeline]\nname = pipé\npython_path = {ROOT / 'tests'}\n\n[café]\ntype = testmods.source\n\n"
        "[模块]\ntype = testmods.step\n",
        encoding="utf-8",
    )
    ascii_names = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8"}
    assert run_cli(config, "run", "--all").returncode == 0
    assert statuses(config, env=ascii_names) == {"café": "COMPLETE", "模块": "COMPLETE"}
    again = run_cli(config, "run", "--all", env=ascii_names)
    assert (again.returncode, again.stderr) == (0, "")
    assert "every module is complete: nothing to run" in again.stdout
    store = tmp_path / "store"
    assert sorted(os.listdir(os.fsencode(store))) == ["pipé".encode()]
    modules = store / "pipé" / "modules"
    assert sorted(os.listdir(os.fsencode(modules))) == sorted(name.encode() for name in ("café", "模块"))
    (modules / os.fsdecode(b"caf\xe9")).mkdir()  # (a folder another program named in Latin-1: not one of ours)
    cleaned = run_cli(config, "clean", "--dry-run", env=ascii_names)
    assert (cleaned.returncode, cleaned.stderr) == (0, "")
    assert "nothing to clean" in cleaned.stdout


def test_a_module_that_ran_with_code_changed_since_is_noted_and_stays_complete(tmp_path: Path) -> None:
    # (a bug fixed in execute.py left results of the old code COMPLETE without a word: decided not to be OUTDATED)
    package = write_module_type(
        tmp_path,
        "mytypes.add",
        "from pimlico_lite import BaseModuleInfo\nfrom pimlico_lite.datatypes import JSONData\n\n"
        "class ModuleInfo(BaseModuleInfo):\n    module_optional_inputs = [('data', JSONData())]\n"
        "    module_outputs = [('data', JSONData())]\n    module_options = {'number': {'type': int, 'default': 1}}\n",
    )
    execute = (
        "from pimlico_lite import BaseModuleExecutor\n\nclass ModuleExecutor(BaseModuleExecutor):\n"
        "    def execute(self):\n        self.write_output('data', (self.read_input('data') or 0) + {})\n"
    )
    (package / "execute.py").write_text(execute.format("self.options['number'] * 2"))
    config = tmp_path / "p.conf"
    config.write_text(
        f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[a]\ntype = mytypes.add\n\n"
        "[b]\ntype = mytypes.add\ninput = a\n"
    )
    assert run_cli(config, "run", "--all").returncode == 0
    assert "Ran with code" not in run_cli(config, "status").stdout
    (package / "execute.py").write_text(execute.format("self.options['number']"))  # the bug fixed
    shown = run_cli(config, "status").stdout
    assert "2 COMPLETE" in shown
    assert "Ran with code of their module type that has changed since: a, b (`status NAME` says more;" in shown
    assert "note: the code of its module type (the Python files beside its info.py) has changed since it ran: its" in (
        run_cli(config, "status", "a").stdout
    )
    assert "every module is complete: nothing to run" in run_cli(config, "run", "--all").stdout
    assert run_cli(config, "run", "-f", "a").returncode == 0
    assert "Ran with code of their module type that has changed since: b (" in run_cli(config, "status").stdout
    assert run_cli(config, "run", "--all").returncode == 0  # b, whose input ran again
    assert "Ran with code" not in run_cli(config, "status").stdout


def test_an_option_a_module_type_declares_since_a_module_ran_keeps_it_complete_at_its_default(tmp_path: Path) -> None:
    # (a new release adds an option to a bundled module type, its default doing what the type did before: the slow
    # modules of that type must not all run again after the upgrade)
    info = (
        "from pimlico_lite import BaseModuleInfo\nfrom pimlico_lite.datatypes import JSONData\n\n"
        "class ModuleInfo(BaseModuleInfo):\n    module_outputs = [('data', JSONData())]\n"
        "    module_options = {{'number': {{'type': int, 'default': 1}}{}}}\n"
    )
    package = write_module_type(
        tmp_path,
        "newoption.emit",
        info.format(""),
        "from pimlico_lite import BaseModuleExecutor\n\nclass ModuleExecutor(BaseModuleExecutor):\n"
        "    def execute(self):\n        self.write_output('data', self.options['number'])\n",
    )
    config = tmp_path / "p.conf"
    text = f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[a]\ntype = newoption.emit\n"
    config.write_text(text)
    assert run_cli(config, "run", "--all").returncode == 0
    (package / "info.py").write_text(info.format(", 'scale': {'type': int, 'default': 1}"))
    assert "1 COMPLETE" in run_cli(config, "status").stdout
    config.write_text(text + "scale = 1\n")  # (its default, written out: the same)
    assert "1 COMPLETE" in run_cli(config, "status").stdout
    config.write_text(text + "scale = 3\n")
    assert "why: option scale changed: (none) -> 3" in run_cli(config, "status", "a").stdout
    config.write_text(text + "number = 2\n")  # (another change: the new option at its default is not one)
    assert [line for line in run_cli(config, "status", "a").stdout.splitlines() if "why:" in line] == [
        "  why: option number changed: 1 -> 2"
    ]


@pytest.mark.parametrize("arguments", [["status"], ["status", "--json"]])
def test_a_status_whose_reader_goes_away_exits_zero_silently(make_config: MakeConfig, arguments: list[str]) -> None:
    # `status | true` exited 1, the code of a failed module, and said nothing. (1500 modules: more than a pipe holds.)
    config = make_config("".join(f"[m{index}]\ntype = testmods.source\n" for index in range(1500)))
    with start_cli(config, *arguments) as process:
        assert process.stdout is not None
        process.stdout.close()
        assert process.wait(timeout=60) == 0
        assert process.stderr is not None
        assert process.stderr.read() == ""


@pytest.mark.parametrize("closed", [0, 1, 2], ids=["stdin", "stdout", "stderr"])
def test_a_command_started_without_a_standard_stream_works_without_it(make_config: MakeConfig, closed: int) -> None:
    # `pimlico-lite p.conf status >&-`: Python makes the stream None, and the command ended in a traceback.
    config = make_config(CHAIN)
    for command, output in (
        (["run", "--all", "-j", "2"], "✓ m5 COMPLETE"),
        (["status"], "6 COMPLETE"),
        (["reset", "-y", "m5"], "reset 1 module instance(s): m5"),
    ):
        ran = subprocess.run(
            [sys.executable, "-m", "pimlico_lite", config, *command],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            preexec_fn=lambda: os.close(closed),
        )
        assert ran.returncode == 0, ran.stderr
        assert output in ran.stdout if closed != 1 else ran.stdout == ""
        assert ran.stderr == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_whose_output_file_cannot_grow_goes_on_without_its_lines(make_config: MakeConfig, jobs: str) -> None:
    # `run --all > run.log` on a full disk (or past a quota, or `ulimit -f`): /dev/full fails every write so. With
    # -j 2 the run hung, waiting for a worker it took for dead; with -j 1 the module whose line it was failed.
    config = make_config("[talk]\ntype = testmods.chatty\n" + CHAIN)
    assert run_cli(config, "run", "m0").returncode == 0
    with Path("/dev/full").open("w") as full:
        ran = subprocess.run(
            [sys.executable, "-m", "pimlico_lite", config, "run", "--all", "--force-rerun", "-j", jobs],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr == (
        "Warning: the run's output cannot be written (No space left on device): the run goes on without its lines"
        " (`status` and `log` show what it did)\n"
    )
    assert set(statuses(config).values()) == {"COMPLETE"}
    store = Store(load_pipeline(config).store_path)
    assert [run.error for run in store.state.runs("m0")] == [None, None]  # (its start's line was the first to fail)
    assert [run.error for run in store.state.runs("talk")] == [None]


@pytest.mark.parametrize(
    ("arguments", "stderr"),
    [
        (["-j", "1"], False),
        (["-j", "2"], False),
        (["-j", "1"], True),
        (["-j", "2"], True),
        (["--executor", "dask", "-j", "2"], False),
    ],
    ids=["stdout-j1", "stdout-j2", "stderr-too-j1", "stderr-too-j2", "stdout-dask"],
)
def test_a_module_that_prints_after_the_reader_has_gone_is_not_failed_by_it(
    make_config: MakeConfig, arguments: list[str], stderr: bool
) -> None:
    # `run --all | head -1` (with `2>&1` when the module prints to stderr): the module prints more than the pipe
    # holds, so its prints meet the closed pipe, whether or not the run's own next line meets it first.
    body = f"[talks]\ntype = testmods.prints\nlines = 5000\nstderr = {stderr}\n"
    config = make_config(body + "[quiet]\ntype = testmods.source\nvalue = x\n")
    with start_cli(
        config, "run", "--all", *arguments, stderr=subprocess.STDOUT if stderr else subprocess.PIPE
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline()  # (the run's "> talks started", or with workers maybe a line talks printed)
        process.stdout.close()
        errors = process.stderr.read() if process.stderr else ""
        assert process.wait(timeout=120) == 0, errors
    assert "Error" not in errors
    assert statuses(config) == {"talks": "COMPLETE", "quiet": "COMPLETE"}
    assert [run.error for run in Store(load_pipeline(config).store_path).state.runs("talks")] == [None]


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("into", ["pipe", "file"])
def test_with_workers_every_line_printed_or_logged_comes_out_whole(
    make_config: MakeConfig, tmp_path: Path, unbuffered: str, into: str
) -> None:
    # Two workers' modules print (more than a buffer's 8 KB), a third logs, and the run writes its own lines, all to
    # one pipe or file: a print's text and its newline, or a line cut where a block ended, were written apart.
    body = "".join(f"[p{n}]\ntype = testmods.prints\nlines = 20000\n" for n in (1, 2))
    config = make_config(body + "[q]\ntype = testmods.progress\nsteps = 200\nseconds = 0.001\n")
    command = [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "-j", "3"]
    environment = {**os.environ, "PYTHONUNBUFFERED": unbuffered}
    if into == "pipe":
        result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)
        output = result.stdout
    else:
        with (tmp_path / "out.txt").open("w") as out:
            result = subprocess.run(
                command, stdout=out, stderr=subprocess.PIPE, text=True, env=environment, timeout=120
            )
        output = (tmp_path / "out.txt").read_text()
    assert result.returncode == 0, result.stderr
    whole = re.compile(
        r"parent line \d+ x{10}|  q \| (step \d+|\d+/200 \(\d+%\))|> (p1|p2|q) started \(run \d\)"
        r"|✓ (p1|p2|q) COMPLETE in \d+\.\d\ds"
    )
    broken = [line for line in output.splitlines() if not whole.fullmatch(line)]
    assert broken == []
    assert output.count("parent line") == 40000


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_into_a_file_leaves_modules_their_standard_output_as_python_made_it(
    make_config: MakeConfig, tmp_path: Path, jobs: str
) -> None:
    # Only a pipe can lose its reader: a file is not put behind a stand-in (a module may detach() or tell() it).
    config = make_config("[p]\ntype = testmods.prints\nstdout_is = TextIOWrapper\n")
    with (tmp_path / "out.txt").open("w") as out:
        result = subprocess.run(
            [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "-j", jobs],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, (tmp_path / "out.txt").read_text()
    assert "parent line 0 xxxxxxxxxx\n" in (tmp_path / "out.txt").read_text()


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_run_whose_reader_has_gone_exits_with_the_signals_code(
    make_config: MakeConfig, signal_number: signal.Signals
) -> None:
    # `run --all 2>&1 | head -1`, then Ctrl-C: the last message (to stderr, the same closed pipe) must not turn the
    # exit code into 1.
    config = make_config("[p]\ntype = testmods.progress\nsteps = 300\nseconds = 0.1\n")
    with start_cli(config, "run", "--all", stderr=subprocess.STDOUT) as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("> p started")
        process.stdout.close()
        wait_for(lambda: "INFO step 1\n" in run_cli(config, "log", "p").stdout, "the module's second step")
        process.send_signal(signal_number)
        assert process.wait(timeout=60) == 128 + signal_number


# Started as `python -m pimlico_lite`, with a SIGINT sent to itself as Python begins to import click: what a Ctrl-C
# pressed in the first tenth of a second does.
_INTERRUPTED_WHILE_IMPORTING = """
import os, runpy, signal, sys

class InterruptAtClick:
    def find_spec(self, name, path=None, target=None):
        if name == "click":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, InterruptAtClick())
sys.argv = ["pimlico-lite", *sys.argv[1:]]
runpy.run_module("pimlico_lite", run_name="__main__")
"""


def test_a_ctrl_c_while_the_command_line_is_imported_says_interrupted(make_config: MakeConfig) -> None:
    config = make_config(CHAIN)
    command = [sys.executable, "-c", _INTERRUPTED_WHILE_IMPORTING, str(config), "status"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stderr, result.stdout) == (130, "Interrupted\n", "")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["catch", "handler"])
def test_a_module_that_takes_ctrl_c_for_itself_does_not_keep_the_run_going(
    make_config: MakeConfig, tmp_path: Path, how: str
) -> None:
    """In the run's own process (-j 1): a module that catches the KeyboardInterrupt and finishes early is FAILED
    and the run stops, as with any other module; one that put in a SIGINT handler of its own does not keep Ctrl-C
    from stopping the modules after it (its handler printed, and the run went on to complete them all)."""
    body = "[a]\ntype = testmods.catches_interrupt\nhow = {}\n[b]\ntype = testmods.catches_interrupt\n"
    body += "[c]\ntype = testmods.catches_interrupt\n"
    config = make_config(body.format(how))
    log = tmp_path / "executions.txt"
    process = start_cli(config, "run", "--all", env={"PIMLICO_TEST_EXECUTIONS": str(log)})
    interrupted = "a" if how == "catch" else "b"
    wait_for(lambda: interrupted in lines_of(log), f"{interrupted} starting")
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Error: interrupted by SIGINT" in stderr
    assert "the module's own handler ran" not in stdout
    expected = {"a": "FAILED", "b": "UNEXECUTED"} if how == "catch" else {"a": "COMPLETE", "b": "FAILED"}
    assert statuses(config) == {**expected, "c": "UNEXECUTED"}
    assert lines_of(log) == (["a"] if how == "catch" else ["a", "b"])
