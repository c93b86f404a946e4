"""Loaded by each worker of the LocalCluster that ``run --executor dask`` starts (Dask's ``preload``).

A terminal sends Ctrl-C to every process in its foreground group, the cluster's workers too, and Dask's workers
print their tracebacks on it. The run that started them stops them itself, so they ignore it. (The workers the
cluster starts with inherit that; this covers those that Dask starts later, in place of a worker that died.)
"""

from __future__ import annotations

import signal
from typing import Any


def dask_setup(worker: Any) -> None:
    """Ignore SIGINT in this worker process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
