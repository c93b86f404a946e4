"""The least a module can cost with pimlico_lite's guarantees on this machine, written as one straight loop.

    .venv/bin/python -m bench.floor [--modules 1000] [--reps 3] [--workdir DIR]

Each step of a 1000-step chain takes the module folder's exclusive ``flock``, records the start of its run in the
state database (one transaction, the same schema), writes its output into ``run-<id>.partial/data/``, renames the
folder to ``run-<id>``, records the end (a second transaction) and lets go of the lock; it reads the previous
step's output first. No pipeline, scheduler, module API or report: what is left is what the guarantees cost.
Prints the median milliseconds per module; compare with ``run --all`` of the same chain (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pickle
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from pimlico_lite.store.state import _SCHEMA


def chain(modules: int, base: Path) -> float:
    """Seconds per module for one chain of ``modules`` steps in a fresh folder under ``base``."""
    store = Path(tempfile.mkdtemp(prefix="floor-", dir=base))
    database = sqlite3.connect(store / "state.sqlite", isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA synchronous=NORMAL")
    database.executescript(_SCHEMA)
    (store / "modules").mkdir()
    previous: Path | None = None
    started = time.perf_counter()
    for index in range(modules):
        name = f"s{index}"
        folder = store / "modules" / name
        folder.mkdir()
        lock = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        database.execute("BEGIN IMMEDIATE")
        cursor = database.execute(
            "INSERT INTO run (module, state, started) VALUES (?, 'RUNNING', ?)", (name, time.time())
        )
        run_id = cursor.lastrowid
        database.execute("INSERT INTO module (name, state, run_id) VALUES (?, 'RUNNING', ?)", (name, run_id))
        database.execute("COMMIT")
        partial = folder / f"run-{run_id}.partial"
        (partial / "data").mkdir(parents=True)
        if previous is not None:
            pickle.loads(previous.read_bytes())
        (partial / "data" / "data.pickle").write_bytes(pickle.dumps("done"))
        final = folder / f"run-{run_id}"
        os.replace(partial, final)
        database.execute("BEGIN IMMEDIATE")
        database.execute("UPDATE run SET state = 'COMPLETE', finished = ? WHERE id = ?", (time.time(), run_id))
        database.execute("UPDATE module SET state = 'COMPLETE', complete_run_id = ? WHERE name = ?", (run_id, name))
        database.execute("COMMIT")
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
        previous = final / "data" / "data.pickle"
    seconds = (time.perf_counter() - started) / modules
    database.close()
    return seconds


def main() -> None:
    """Run the chain ``--reps`` times (the folders stay: see bench/suite.py) and print the median."""
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__)
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="where the folders go (default: the system's temp folder)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pimlico-floor-", dir=args.workdir))
    samples = [chain(args.modules, base) * 1000 for _ in range(args.reps)]
    shown = ", ".join(f"{sample:.3f}" for sample in samples)
    print(f"floor: {statistics.median(samples):.3f} ms per module (samples {shown}); folders kept in {base}")


if __name__ == "__main__":
    main()
