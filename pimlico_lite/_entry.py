"""The ``pimlico-lite`` command (and ``python -m pimlico_lite``): the command line, imported where a Ctrl-C can be
caught. Importing click and the commands takes the first tenth of a second or so; a Ctrl-C pressed then printed a
traceback of whatever Python was importing."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line."""
    try:
        from pimlico_lite.cli import main as command_line
    except KeyboardInterrupt:
        ignore_interrupts_till_exit()
        print("Interrupted", file=sys.stderr)
        sys.exit(130)
    command_line(prog_name="pimlico-lite")


def ignore_interrupts_till_exit() -> None:
    """Once interrupted, the command only says so and exits: a Ctrl-C pressed twice would interrupt that with a
    traceback (Python's "Exception ignored ... KeyboardInterrupt" as it shuts down)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
