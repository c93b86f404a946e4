"""Measure what the Dask executor costs per module, on Dask's own LocalCluster, against the in-process executor.

    .venv/bin/python -m bench.dask_overhead [--reps 3]

For each executor it times ``run --all`` of a fan-out of trivial modules at two sizes, in fresh folders; the
difference between the sizes, divided by the number of extra modules, is the cost per module, free of start-up
(the cluster's own start takes seconds and is paid once per run). The Dask figure minus the in-process one is
the overhead Dask adds to each module. Writes bench/results/dask-<time>.json and prints a line of markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import PIMLICO_CONFIG, write_pipeline
from bench.graph import make_graph

RESULTS = Path(__file__).resolve().parent / "results"
SMALL, LARGE = 20, 220


def time_run(sizes: int, dask: bool, base: Path) -> float:
    """Seconds for ``run --all`` of a fresh fan-out of ``sizes`` modules."""
    folder = Path(tempfile.mkdtemp(dir=base))
    write_pipeline("pimlico_lite", make_graph("fanout", sizes), folder)
    command = [sys.executable, "-m", "pimlico_lite", str(folder / PIMLICO_CONFIG), "run", "--all", "-j", "1"]
    if dask:
        command += ["--executor", "dask"]
    started = time.perf_counter()
    # Each run is a first run of its config: it keeps its loaded pipeline beside it, not in the user's cache folder.
    kept = {**os.environ, "PIMLICO_LITE_CACHE": str(folder / ".pimlico-lite-cache")}
    subprocess.run(command, check=True, capture_output=True, cwd=folder, env=kept)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3)
    arguments = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pimlico-dask-bench-"))
    per_module: dict[str, list[float]] = {"local": [], "dask": []}
    for _ in range(arguments.reps):
        for name, dask in (("local", False), ("dask", True)):
            small, large = time_run(SMALL, dask, base), time_run(LARGE, dask, base)
            per_module[name].append((large - small) / (LARGE - SMALL))
    local, dask = statistics.median(per_module["local"]), statistics.median(per_module["dask"])
    document = {"sizes": [SMALL, LARGE], "per_module_seconds": per_module, "overhead_seconds": dask - local}
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"dask-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(document, indent=2))
    print(
        f"| Dask LocalCluster, 1 worker | {dask * 1000:.1f} ms per module | in-process {local * 1000:.1f} ms |"
        f" overhead {(dask - local) * 1000:.1f} ms per module (target < 20 ms) |"
    )
    print(f"raw: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
