"""Ignore signals for a while, in the main thread (the only one where Python lets their handlers change)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


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
