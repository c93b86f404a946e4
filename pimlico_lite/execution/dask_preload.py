"""Loaded by each worker of the LocalCluster that ``run --executor dask`` starts (Dask's ``preload``).

A terminal sends Ctrl-C to every process in its foreground group, the cluster's workers too, and Dask's workers
print their tracebacks on it. The run that started them stops them itself, so they ignore it. (The workers the
cluster starts with inherit that; this covers those that Dask starts later, in place of a worker that died.)

The workers write to the run's standard output and error: a whole line at a time, as the run's own worker
processes do, and what a module prints there must not fail it when the reader of the run's output has gone
(``run --all | head``): see ``pimlico_lite.lines.shared_by_workers``.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

from pimlico_lite.encoding import escape_what_cannot_be_shown
from pimlico_lite.lines import shared_by_workers


def dask_setup(worker: Any) -> None:
    """Ignore SIGINT in this worker process; guard its standard streams, and let them escape a character their
    encoding lacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    escape_what_cannot_be_shown()
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None:
            setattr(sys, name, shared_by_workers(stream))
