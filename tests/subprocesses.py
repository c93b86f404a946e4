"""Helpers for tests that run the real CLI in subprocesses."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path


def run_cli(*args: object, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pimlico_lite ARGS`` to the end."""
    return subprocess.run(
        [sys.executable, "-m", "pimlico_lite", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )


def start_cli(*args: object, env: dict[str, str] | None = None, stderr: int = subprocess.PIPE) -> subprocess.Popen[str]:
    """Start ``python -m pimlico_lite ARGS`` in the background (``stderr=subprocess.STDOUT``: both in one pipe)."""
    return subprocess.Popen(
        [sys.executable, "-m", "pimlico_lite", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env={**os.environ, **(env or {})},
    )


def statuses(config: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """Each module instance's state, from ``status --json`` run in a subprocess."""
    result = run_cli(config, "status", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return {module["name"]: module["status"] for module in json.loads(result.stdout)["modules"]}


def wait_for(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Poll ``check`` until it holds; fail saying ``what`` never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    message = f"{what} never happened within {timeout}s"
    raise AssertionError(message)


def lines_of(path: Path) -> list[str]:
    """The words of a file that test module types append to (empty while it does not exist)."""
    return path.read_text().split() if path.exists() else []


def processes_with(marker: str) -> list[int]:
    """The processes, other than this one, whose environment contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, zombies too (a child nobody waited for is not gone)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def run_on_a_terminal(*args: object, timeout: float = 120, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``python -m pimlico_lite ARGS`` with a terminal of 120 columns (a pseudo-terminal) as its standard output
    and error (and ``env`` added to its environment); return its exit code and what it wrote there, the terminal's
    escape codes taken out."""
    master, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    command = [sys.executable, "-m", "pimlico_lite", *map(str, args)]
    environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal, env=environment)
    os.close(terminal)
    written = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                message = f"still running after {timeout} s; it wrote:\n{_plain(written)[-3000:]}"
                raise AssertionError(message)
            if select.select([master], [], [], 0.2)[0]:
                try:
                    data = os.read(master, 1 << 16)
                except OSError:  # EIO: the last process that had the terminal open has closed it
                    break
                if not data:
                    break
                written += data
            elif process.poll() is not None:
                break  # it has ended, and nothing more comes (a process it left behind may hold the terminal)
        return process.wait(), _plain(written)
    finally:
        process.kill()
        process.wait()
        os.close(master)


def _plain(written: bytes | bytearray) -> str:
    """What was written to a terminal, as text, without its escape codes."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", written.decode(errors="replace"))
