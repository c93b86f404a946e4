"""A Ctrl-C pressed twice is one interrupt while a run stops, and a signal ignored stays ignored."""

from __future__ import annotations

import contextlib
import os
import signal
import time

import pytest

from pimlico_lite._signals import SAME_SIGNAL_SECONDS, signals_raise_once


class TerminatedError(Exception):
    pass


def test_a_second_signal_right_after_the_first_is_the_same_one_and_a_later_one_counts_again() -> None:
    with signals_raise_once(TerminatedError):
        with pytest.raises(KeyboardInterrupt):  # (Python runs the handler as soon as the call returns)
            os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)  # pressed twice: what the first stopped is being recorded, not cut short
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(SAME_SIGNAL_SECONDS)
        with pytest.raises(TerminatedError):
            os.kill(os.getpid(), signal.SIGTERM)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_sigint_ignored_stays_ignored_and_sigterm_is_left_alone_when_asked() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a job started in the background
    try:
        with signals_raise_once(None):
            os.kill(os.getpid(), signal.SIGINT)
            assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_interrupt_caught_and_not_passed_on_is_raised_again_and_a_replaced_handler_put_back() -> None:
    with signals_raise_once(None) as outer, signals_raise_once(TerminatedError) as inner:
        assert inner is outer  # (the block inside shares the outer one's, whose SIGINT handler raises for both)
        inner.check()  # nothing raised yet
        with contextlib.suppress(TerminatedError):  # what a module that finishes early on an interrupt does
            os.kill(os.getpid(), signal.SIGTERM)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # and one that takes Ctrl-C for itself
        with pytest.raises(TerminatedError):
            inner.check()
        inner.check()  # (raised once)
        time.sleep(SAME_SIGNAL_SECONDS)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
