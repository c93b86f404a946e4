"""Ignore signals for a while, or turn them into exceptions, in the main thread (the only one where Python lets their
handlers change)."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from pimlico_lite.lines import flush_standard_streams

if TYPE_CHECKING:
    getsignal_raw = signal.getsignal
else:
    from _signal import getsignal as getsignal_raw  # (see Interrupts.check)


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


class Interrupts:
    """What :func:`signals_raise_once` raised, and its handlers: code that caught the exception and went on (a
    module that stops early on Ctrl-C and returns, as PyTorch Lightning's ``fit`` does) must not hide from the run
    that it was interrupted, and one that put in a handler of its own must not keep Ctrl-C for the rest of it."""

    def __init__(self) -> None:
        self.raised: list[BaseException] = []
        self.handlers: dict[int, Callable[[int, FrameType | None], None]] = {}

    def check(self) -> None:
        """Put back a handler that was replaced meanwhile; raise again what was raised and not passed on. (Called
        after every module: ``_signal.getsignal``, which is ``signal.getsignal`` without turning a handler into an enum
        member, which for a function raises and catches an exception inside ``enum``: 3% of a run of 1000 modules.)"""
        for number, handler in self.handlers.items():
            if getsignal_raw(number) != handler:
                signal.signal(number, handler)
        if self.raised:
            raise self.raised.pop()


# The Interrupts of the signals_raise_once blocks in force, innermost last.
_ACTIVE: list[Interrupts] = []


@contextmanager
def signals_raise_once(terminated: type[BaseException] | None) -> Iterator[Interrupts]:
    """Inside the with-block, in the main thread (elsewhere, leave signals alone): turn SIGTERM into ``terminated``
    (None: leave SIGTERM alone), and SIGHUP too (a terminal closed under the run: unless it is ignored, as under
    ``nohup``), with the signal's name, and SIGINT into KeyboardInterrupt as Python does (unless it is ignored, as in
    a job started in the background, or handled by a block around this one), each but once in SAME_SIGNAL_SECONDS.
    A second Ctrl-C a few milliseconds after the first interrupted the recording of what the first stopped, before
    that could ignore it: modules were left RUNNING, or the command ended with click's "Aborted!" and exit code 1."""
    if threading.current_thread() is not threading.main_thread():
        yield Interrupts()
        return
    # A block inside another shares its Interrupts (the outer one's SIGINT handler stays, and raises for both).
    interrupts = _ACTIVE[-1] if _ACTIVE else Interrupts()
    outer = dict(interrupts.handlers)
    last = -SAME_SIGNAL_SECONDS
    pid = os.getpid()

    def interrupt(number: int, frame: FrameType | None) -> None:
        nonlocal last
        if os.getpid() != pid and number != signal.SIGINT:  # a process a module forked: SIGTERM ends it, as it would
            die_of(number)
        now = time.monotonic()
        if now - last < SAME_SIGNAL_SECONDS:
            return
        last = now
        raised = (
            KeyboardInterrupt()
            if terminated is None or number == signal.SIGINT
            else terminated(signal.Signals(number).name)
        )
        interrupts.raised = [raised]
        raise raised

    previous = {}
    depth = len(_ACTIVE)
    try:  # (one at a time, inside the try: a signal may come between the two)
        _ACTIVE.append(interrupts)
        if terminated is not None:
            previous[signal.SIGTERM] = signal.signal(signal.SIGTERM, interrupt)
            interrupts.handlers[signal.SIGTERM] = interrupt
            if signal.getsignal(signal.SIGHUP) is signal.SIG_DFL:
                previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, interrupt)
                interrupts.handlers[signal.SIGHUP] = interrupt
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, interrupt)
            interrupts.handlers[signal.SIGINT] = interrupt
        yield interrupts
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        interrupts.handlers = outer
        del _ACTIVE[depth:]


def die_of(number: int) -> NoReturn:
    """End this process by signal ``number``, as its default action would (standard streams flushed first)."""
    flush_standard_streams()
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)
    os._exit(128 + number)  # (should the signal be blocked)
