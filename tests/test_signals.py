"""A Ctrl-C pressed twice is one interrupt while a run stops, and a signal ignored stays ignored."""

from __future__ import annotations

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
