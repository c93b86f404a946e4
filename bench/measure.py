"""Time one command in a fresh process: wall time, exit code and peak memory, within a time bound.

Peak memory is the ``ru_maxrss`` that ``os.wait4`` reports for that one child: the largest resident set of the
child or of any descendant it waited for (Luigi's and doit's worker processes count). This is what
``/usr/bin/time -v`` prints as "Maximum resident set size", without starting a process of its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# An exit code 2 whose output says this is click rejecting an option that does not exist (yet).
_UNKNOWN_OPTION = ("No such option", "no such option", "unrecognized arguments")
_TAIL = 600


@dataclass(frozen=True)
class Measurement:
    """What one timed command did: ok, failed, timeout or unsupported; its time, memory and exit code."""

    status: str
    seconds: float
    peak_rss_mb: float | None
    exit_code: int | None
    detail: str = ""


def measure(
    command: Sequence[str], cwd: Path, env: Mapping[str, str], bound: float, log: Path | None = None
) -> Measurement:
    """Run ``command`` in ``cwd`` and time it; kill its whole process group once ``bound`` seconds have passed."""
    log = log or cwd / ".bench-command.log"
    with log.open("wb") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command), cwd=cwd, env=dict(env), stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        timed_out = threading.Event()
        timer = threading.Timer(bound, _kill_group, (process.pid, timed_out))
        timer.start()
        try:
            _, wait_status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    # os.wait4 reaped the child, so tell Popen, which would otherwise try to wait for it again.
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    peak_rss_mb = _maxrss_bytes(usage.ru_maxrss) / 1e6
    tail = log.read_text(errors="replace")[-_TAIL:]
    if timed_out.is_set():
        return Measurement("timeout", bound, peak_rss_mb, None, f"still running after {bound:g} s")
    if process.returncode == 0:
        return Measurement("ok", seconds, peak_rss_mb, 0)
    if process.returncode == 2 and any(marker in tail for marker in _UNKNOWN_OPTION):
        return Measurement("unsupported", seconds, peak_rss_mb, 2, _last_line(tail))
    return Measurement("failed", seconds, peak_rss_mb, process.returncode, tail.strip())


def _kill_group(pid: int, timed_out: threading.Event) -> None:
    timed_out.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _maxrss_bytes(maxrss: int) -> int:
    # Linux reports kilobytes, macOS bytes.
    return maxrss if sys.platform == "darwin" else maxrss * 1024


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
