"""A run's events as lines of text, one per event: plain for logs and pipes, styled by console.py on a terminal.

This module imports neither rich nor click: a run whose output goes to a file or a pipe never loads rich, and a
line costs a string join, not a render (rich takes about a quarter of a millisecond per line, as much as the
runner spends on a trivial module).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TextIO

# A line is a sequence of (text, style) pieces; the style is a rich style name, ignored by plain output.
# What writing to a stream whose reader has gone fails with: a pipe's (EPIPE), a hung-up terminal's (EIO).
_READER_GONE = (errno.EPIPE, errno.EIO)
# What writing to a file fails with when it cannot grow: a full disk, a quota, a file-size limit (ulimit -f).
_FILE_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
Piece = tuple[str, str]


class StreamProxy(io.TextIOBase):
    """A text stream that writes through to ``stream`` in its own way, and is that stream in every other way (its
    file descriptor, encoding, ``buffer``, ``isatty()``)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.stream.errors

    def __getattr__(self, name: str) -> Any:
        if name == "stream" or name.startswith("__"):  # (not there yet: a copy, say)
            raise AttributeError(name)
        return getattr(self.stream, name)  # buffer, name, mode, reconfigure...: the stream's own


class WholeLines(StreamProxy):
    """A text stream that hands on whole lines (:meth:`hand_on`): the lines each write ends at once, the start of a
    line when its end comes, or when the stream is flushed. In a process forked since it was made (by a module), it
    is its stream: what it would hand on would wait for a reader that is not there."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.pid = os.getpid()
        self.unended: list[str] = []  # the start of a line not ended yet
        self.lock = threading.Lock()  # a module may print from several threads

    def write(self, text: str) -> int:
        """Hand on the lines that ``text`` ends; keep the rest for later."""
        if not isinstance(text, str):
            message = f"write() argument must be str, not {type(text).__name__}"
            raise TypeError(message)
        if os.getpid() != self.pid:
            return self.stream.write(text)
        with self.lock:
            if "\n" not in text:
                self.unended.append(text)
            else:
                ended, _, rest = text.rpartition("\n")
                self.hand_on("".join(self.unended) + ended + "\n")
                self.unended = [rest] if rest else []
        return len(text)

    def flush(self) -> None:
        """Hand on what is left of a line."""
        if os.getpid() != self.pid:
            self.stream.flush()
            return
        with self.lock:
            if self.unended:
                self.hand_on("".join(self.unended))
                self.unended = []

    def hand_on(self, text: str) -> None:
        """Take ``text``: whole lines (ending with a newline), or what was left of one when the stream was flushed."""
        raise NotImplementedError


class ReaderGuard(StreamProxy):
    """Standard output or error, a pipe or a terminal, while a run writes to it: once its reader has gone (``run
    --all | head``, or a terminal closed under a run that ignores SIGHUP, such as one started with ``nohup`` or
    ``disown``), what is written to it goes nowhere instead of failing the writer with BrokenPipeError (or the
    terminal's EIO).

    The run goes on to its end (its records and logs are in the store), and a module that prints is not failed by
    the closing of a pipe it did not choose, whoever meets the closed pipe first: the run writing its line, or the
    module printing its own. Then the file descriptor, and the other standard stream's if it is the same pipe
    (``2>&1``), is pointed at ``/dev/null``, so that what is written to it later, past this object (``.buffer``, a
    process the module starts, Python's last flush, the run's last error message), does not fail either. What is
    written past it before it has met the closed pipe still meets it: bytes to ``.buffer``, the output of a process
    the module starts (a C program dies of SIGPIPE there, as in any shell pipeline).
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.reader_gone = False

    def write(self, text: str) -> int:
        """Write ``text``, unless the reader has gone; say it was written either way."""
        if not self.reader_gone:
            try:
                self.stream.write(text)
            except OSError as error:
                self.lead_nowhere_if_gone(error)
        return len(text)

    def flush(self) -> None:
        """Flush, unless the reader has gone."""
        if not self.reader_gone:
            try:
                self.stream.flush()
            except OSError as error:
                self.lead_nowhere_if_gone(error)

    def lead_nowhere_if_gone(self, error: OSError) -> None:
        """:meth:`lead_nowhere` if ``error`` says that the reader has gone; else raise it."""
        if error.errno not in _READER_GONE:
            raise error
        self.lead_nowhere()

    def lead_nowhere(self) -> None:
        """Point the stream's file descriptor, and each standard one that is the same pipe, at ``/dev/null``."""
        self.reader_gone = True
        lead_nowhere(self.stream)


def lead_nowhere(stream: TextIO | io.TextIOBase) -> None:
    """Point ``stream``'s file descriptor, and each standard one that is the same pipe or file, at ``/dev/null``: what
    is written there later, by whoever, goes nowhere rather than failing."""
    with contextlib.suppress(OSError, ValueError):
        broken = os.fstat(stream.fileno())
        nowhere = os.open(os.devnull, os.O_WRONLY)
        for descriptor in {stream.fileno(), 1, 2}:
            with contextlib.suppress(OSError):
                same = os.fstat(descriptor)
                if (same.st_dev, same.st_ino) == (broken.st_dev, broken.st_ino):
                    os.dup2(nowhere, descriptor)
        os.close(nowhere)


def guarded(stream: TextIO) -> TextIO | ReaderGuard:
    """``stream`` behind a :class:`ReaderGuard` if it is a pipe, a socket or a terminal: a file has no reader to
    lose, and is left as it is (a plain text stream, which a module may ``detach()``, ``tell()``, ``reconfigure()``)."""
    if isinstance(stream, ReaderGuard):
        return stream
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError, io.UnsupportedOperation):  # no descriptor (a StringIO, say), or a closed one
        return stream
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or (stat.S_ISCHR(mode) and stream.isatty()):  # (not /dev/null)
        return ReaderGuard(stream)
    return stream


def shared_by_workers(stream: TextIO) -> TextIO | ReaderGuard:
    """A worker process's standard stream that is not a terminal, which the run and the other workers write to as
    well: line-buffered, so that each process writes whole lines, and guarded if it is a pipe.

    Buffered by blocks (Python's default for a pipe or a file), a line was cut where a block ended; written through
    (``PYTHONUNBUFFERED``, common in containers), ``print()`` wrote the text and its newline apart. Either way another
    process's line could land in between. A line still goes out as soon as it ends (or a carriage return is written, as
    progress bars do), so nothing waits longer than its line does."""
    reconfigure = getattr(stream, "reconfigure", None)  # (a TextIOWrapper's; another stream is left as it is)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, io.UnsupportedOperation):
            reconfigure(line_buffering=True, write_through=False)
    return guarded(stream)


@contextlib.contextmanager
def standard_streams_replaced(
    replace: Callable[[str, TextIO], object] = lambda _, stream: guarded(stream),
) -> Iterator[None]:
    """Make ``sys.stdout`` and ``sys.stderr`` what ``replace(name, stream)`` gives until the block ends; by default,
    put each that is a pipe behind a :class:`ReaderGuard`."""
    original = {name: getattr(sys, name) for name in ("stdout", "stderr")}
    for name, stream in original.items():
        if stream is not None:
            setattr(sys, name, replace(name, stream))
    try:
        yield
    finally:
        for name, stream in original.items():
            setattr(sys, name, stream)


class LineReporter:
    """Write a run's events as they happen, one plain line each, flushed so that a log that is followed is current."""

    def __init__(self, stream: TextIO, debug: bool = False) -> None:
        self.stream = guarded(stream)
        self.debug = debug
        self.reported_progress: dict[str, int] = {}
        self.lost = False

    def __enter__(self) -> LineReporter:
        return self

    def __exit__(self, *exception: object) -> None:
        """Nothing to tear down (the live display has)."""

    def write(self, *pieces: Piece) -> None:
        """Write one line made of ``pieces`` (nothing, once the reader of the output has gone: see ReaderGuard; or
        once the file it goes to cannot grow: a run, and the module whose line it is, go on without their lines)."""
        if self.lost:
            return
        try:
            self.stream.write("".join(text for text, _ in pieces) + "\n")
            self.stream.flush()
        except OSError as error:
            if error.errno not in _FILE_FULL:
                raise
            self.lost = True
            lead_nowhere(self.stream)
            with contextlib.suppress(Exception):  # (unless standard error was that file too: it leads nowhere now)
                print(
                    f"Warning: the run's output cannot be written ({error.strerror}): the run goes on without its"
                    " lines (`status` and `log` show what it did)",
                    file=sys.__stderr__,
                    flush=True,
                )

    def run_started(self, names: list[str]) -> None:
        """Nothing to write yet."""

    def module_started(self, name: str, run_id: int) -> None:
        """Write that ``name`` started."""
        self.write((">", "cyan"), (f" {name} ", ""), (f"started (run {run_id})", "dim"))

    def module_finished(self, name: str, seconds: float) -> None:
        """Write that ``name`` completed."""
        self.write(("✓", "green"), (f" {name} ", ""), ("COMPLETE", "green"), (f" in {seconds:.2f}s", "dim"))

    def module_failed(self, name: str, error: str, traceback: str) -> None:
        """Write the error (with the traceback under ``--debug``)."""
        self.write((f"✗ {name} FAILED:", "red"), (f" {error}", ""))
        if self.debug and traceback:
            self.write((traceback.rstrip(), "dim"))
        elif traceback:
            self.write((f"  traceback: status {name}, or run again with --debug", "dim"))

    def module_skipped(self, name: str, reason: str) -> None:
        """Write why ``name`` needs no run."""
        self.write(("-", "dim"), (f" {name} ", ""), (reason, "dim"))

    def module_not_run(self, name: str, reason: str) -> None:
        """Write why ``name`` could not run."""
        self.write(("-", "yellow"), (f" {name} ", ""), ("not run:", "yellow"), (f" {reason}", ""))

    def module_waiting(self, name: str, reason: str) -> None:
        """Write that ``name`` waits."""
        self.write(("…", "yellow"), (f" {name} ", ""), (f"waits: {reason}", "dim"))

    def module_log(self, name: str, message: str) -> None:
        """Write a log line of ``name``."""
        self.write((f"  {name} |", "dim"), (f" {message}", ""))

    def module_progress(self, name: str, done: int, total: int | None) -> None:
        """Write a line each time ``name`` passes another quarter of its work."""
        if not total:
            return
        quarter = done * 4 // total
        if quarter > self.reported_progress.get(name, 0):
            self.reported_progress[name] = quarter
            self.write((f"  {name} |", "dim"), (f" {done}/{total} ({done * 100 // total}%)", ""))


def flush_standard_streams() -> None:
    """Flush ``sys.stdout`` and ``sys.stderr``, whatever they are now (a closed or broken one is let be): before a
    process ends with ``os._exit``, which flushes nothing, or before a job's end is reported."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
