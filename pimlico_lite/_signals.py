"""Ignore signals for a while, or turn them into exceptions, in the main thread (the only one where Python lets their
handlers change)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def signals_ignored(*numbers: signal.Signals) -> Iterator[None]:
    """Ignore the signals ``numbers`` inside the with-block, then put their handlers back; outside the main thread,
    leave them alone.

    The handlers are replaced, not the signals blocked: blocked in the main thread, the kernel gives them to another
    thread (Dask's client has one), and Python still runs the handler in the main thread. A process started inside
    the block (by fork and exec) starts with them ignored, and Python keeps that.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    try:
        for number in numbers:  # (one at a time, inside the try: a signal may come between two of them)
            previous[number] = signal.signal(number, signal.SIG_IGN)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


# A signal this soon after the one before is that one again (Ctrl-C pressed twice): the run is stopping already.
SAME_SIGNAL_SECONDS = 0.5


@contextmanager
def signals_raise_once(terminated: type[BaseException] | None) -> Iterator[None]:
    """Inside the with-block, in the main thread (elsewhere, leave signals alone): turn SIGTERM into ``terminated``
    (None: leave SIGTERM alone), and SIGINT into KeyboardInterrupt as Python does (unless it is ignored, as in a
    job started in the background, or handled by a block around this one), each but once in SAME_SIGNAL_SECONDS.
    A second Ctrl-C a few milliseconds after the first interrupted the recording of what the first stopped, before
    that could ignore it: modules were left RUNNING, or the command ended with click's "Aborted!" and exit code 1."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    last = -SAME_SIGNAL_SECONDS

    def interrupt(number: int, frame: FrameType | None) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < SAME_SIGNAL_SECONDS:
            return
        last = now
        raise terminated if terminated is not None and number == signal.SIGTERM else KeyboardInterrupt

    previous = {}
    try:  # (one at a time, inside the try: a signal may come between the two)
        if terminated is not None:
            previous[signal.SIGTERM] = signal.signal(signal.SIGTERM, interrupt)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, interrupt)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
