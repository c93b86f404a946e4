"""What `run` and `status` write where the terminal or the pipe is not the usual one: an encoding without `✓`, a
terminal that cannot move its cursor, a terminal closed under a run, and the live display's own lines. Real
processes, real pseudo-terminals."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from conftest import MakeConfig
from subprocesses import run_cli, run_on_a_terminal, statuses

# A module that prints characters Latin-1 lacks, then one that reads it.
PRINTS = (
    "[talks]\ntype = testmods.prints\nlines = 0\nunended = 日本語 ✓\n[after]\ntype = testmods.step\ninput = talks\n"
)


@pytest.fixture
def config(make_config: MakeConfig) -> Path:
    return make_config(PRINTS)


def test_an_encoding_without_the_runs_characters_escapes_them_and_runs_every_module(config: Path) -> None:
    ran = run_cli(config, "run", "--all", env={"PYTHONIOENCODING": "latin-1"})
    assert ran.returncode == 0, ran.stderr
    assert "\\u65e5\\u672c\\u8a9e \\u2713" in ran.stdout  # what the module printed
    assert "\\u2713 talks COMPLETE" in ran.stdout
    assert "\\u2713 after COMPLETE" in ran.stdout
    assert "Traceback" not in ran.stderr
    assert statuses(config) == {"talks": "COMPLETE", "after": "COMPLETE"}


def test_on_a_terminal_whose_encoding_lacks_them_the_run_writes_plain_lines(config: Path) -> None:
    code, written = run_on_a_terminal(config, "run", "--all", env={"PYTHONIOENCODING": "latin-1"})
    assert code == 0, written[-2000:]
    assert "> talks started (run 1)" in written
    assert "\\u2713 after COMPLETE" in written
    assert "running," not in written  # no live display: its counts line
    assert statuses(config) == {"talks": "COMPLETE", "after": "COMPLETE"}


def test_a_terminal_that_cannot_move_its_cursor_gets_plain_lines(config: Path) -> None:
    code, written = run_on_a_terminal(config, "run", "--all", env={"TERM": "dumb"})
    assert code == 0, written[-2000:]
    assert "> talks started (run 1)" in written
    assert "✓ after COMPLETE" in written
    assert "running," not in written


def test_the_live_display_prints_each_start_with_its_run_and_counts_what_did_not_run(make_config: MakeConfig) -> None:
    config = make_config("[bad]\ntype = testmods.fail\n[after]\ntype = testmods.step\ninput = bad\n")
    code, written = run_on_a_terminal(config, "run", "--all")
    assert code == 1
    assert "> bad started (run 1)" in written
    assert "0 done, 0 running, 0 waiting, 1 failed, 1 not run" in written


def test_status_of_a_name_its_encoding_lacks_is_written_escaped(make_config: MakeConfig) -> None:
    config = make_config("[données]\ntype = testmods.source\n")
    shown = run_cli(config, "status", "données", env={"PYTHONIOENCODING": "ascii"})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("donn\\xe9es  UNEXECUTED")
    ascii_names = make_config("[data]\ntype = testmods.source\n")
    table = run_cli(ascii_names, "status", env={"PYTHONIOENCODING": "ascii"}).stdout.splitlines()
    assert table[1:4] == [
        "+--------+------------+-----------------+--------+",
        "| module | state      | type            | inputs |",
        "+========+============+=================+========+",
    ]


def test_the_live_display_counts_the_time_of_a_module_whose_work_is_counted_to_the_end(
    make_config: MakeConfig,
) -> None:
    config = make_config("[saves]\ntype = testmods.progress\nsteps = 2\nrest = 2.5\n")
    code, written = run_on_a_terminal(config, "run", "saves")
    assert code == 0, written[-2000:]
    assert "100% 0:00:02" in written  # (rich stops a task's clock at 100%: it showed 0:00:00 to the end)


@pytest.mark.slow
def test_dask_workers_and_the_c_locale_escape_what_the_encoding_lacks_too(config: Path) -> None:
    # Dask's workers are processes of their own: they are told by PYTHONIOENCODING.
    ran = run_cli(config, "run", "--all", "--executor", "dask", env={"PYTHONIOENCODING": "latin-1"})
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert statuses(config) == {"talks": "COMPLETE", "after": "COMPLETE"}
    # The C locale without its coercion to UTF-8: ASCII, whose errors Python sets to surrogateescape.
    c_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    ran = run_cli(config, "run", "--all", "-f", env=c_locale)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "\\u2713 after COMPLETE" in ran.stdout


def test_under_the_c_locale_kept_bytes_go_out_as_they_came_and_other_characters_escaped() -> None:
    import codecs

    from pimlico_lite.encoding import _escape_keeping_bytes

    codecs.register_error("test.escape_keeping_bytes", _escape_keeping_bytes)
    # A file name of UTF-8 bytes, read in the C locale (surrogateescape), then a character ASCII lacks.
    assert "d\udcc3\udca9 ✓".encode("ascii", "test.escape_keeping_bytes") == b"d\xc3\xa9 \\u2713"


@pytest.mark.slow
def test_a_worker_started_afresh_escapes_as_the_run_does(make_config: MakeConfig) -> None:
    # The worker that ran the crash dies; the one started in its place is a new interpreter, not a fork.
    config = make_config(
        "[crash]\ntype = testmods.crash\n"
        + PRINTS.replace("[after]", "[more]\ntype = testmods.prints\nlines = 0\nunended = ✓\n[after]")
    )
    c_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    ran = run_cli(config, "run", "--all", "-j", "2", env=c_locale)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert statuses(config) == {"crash": "FAILED", "talks": "COMPLETE", "more": "COMPLETE", "after": "COMPLETE"}


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_terminal_closed_under_a_run_that_goes_on_leaves_every_module_to_complete(
    make_config: MakeConfig, jobs: str
) -> None:
    # A run that ignores SIGHUP (nohup, disown) whose terminal is closed: each write to it fails with EIO. The run
    # recorded every running module as FAILED ("the run stopped: OSError") and ended with a traceback.
    config = make_config("".join(f"[m{n}]\ntype = testmods.progress\nsteps = 2\nseconds = 0.15\n" for n in range(8)))
    master, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "-j", jobs],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color"},
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    os.close(terminal)
    deadline = time.monotonic() + 30
    while b"started" not in os.read(master, 1 << 16) and time.monotonic() < deadline:
        pass
    os.close(master)  # the terminal closes
    assert process.wait(timeout=60) == 0
    assert set(statuses(config).values()) == {"COMPLETE"}
