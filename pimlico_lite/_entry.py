"""The ``pimlico-lite`` command (and ``python -m pimlico_lite``): the command line, imported where a Ctrl-C can be
caught. Importing click and the commands takes the first tenth of a second or so; a Ctrl-C pressed then printed a
traceback of whatever Python was importing."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line."""
    _open_closed_standard_streams()
    try:
        from pimlico_lite.cli import main as command_line
    except KeyboardInterrupt:
        ignore_interrupts_till_exit()
        print("Interrupted", file=sys.stderr)
        sys.exit(130)
    command_line(prog_name="pimlico-lite")


def _open_closed_standard_streams() -> None:
    """Open ``/dev/null`` for a standard stream that the command was started without (``status >&-``: Python makes
    it None, and every write to it failed with a traceback), so that output goes nowhere and input is empty."""
    import os

    for descriptor, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        if getattr(sys, name) is None:
            try:
                os.fstat(descriptor)
            except OSError:  # (closed: open() gives the lowest free descriptor, this one, as those below it are open)
                opened = os.open(os.devnull, os.O_RDONLY if mode == "r" else os.O_WRONLY)
                if opened != descriptor:
                    os.dup2(opened, descriptor)
                    os.close(opened)
            setattr(sys, name, open(descriptor, mode, closefd=False))  # noqa: SIM115  (for the whole command)


def ignore_interrupts_till_exit() -> None:
    """Once interrupted, the command only says so and exits: a Ctrl-C pressed twice would interrupt that with a
    traceback (Python's "Exception ignored ... KeyboardInterrupt" as it shuts down)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
