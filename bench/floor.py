"""The least a module can cost with pimlico_lite's guarantees on this machine, written as one straight loop.

    .venv/bin/python -m bench.floor [--modules 1000] [--reps 3] [--workdir DIR]

Each step of a 1000-step chain takes the module folder's exclusive ``flock``, records the start of its run in the
state database (one transaction, the same schema), writes its output into ``run-<id>.partial/data/``, renames the
folder to ``run-<id>``, records the end (a second transaction) and lets go of the lock; it reads the previous
step's output first. No pipeline, scheduler, module API or report: what is left is what the guarantees cost.
Prints the median milliseconds per module; compare with ``run --all`` of the same chain (docs/benchmarks.md).

With ``--promises`` the loop also does what pimlico_lite promises beyond those guarantees, the way it does it: a
shared lock on the input's folder while it is read (with the check that the locked folder is still the one named),
a look at SQLite's ``data_version`` before each start (another process may have written), the module's peak memory
(``/proc/self/clear_refs`` at its start, ``VmHWM`` at its end), a line for its start and one for its end, and the
fingerprint and upstream versions in its record.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pickle
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from pimlico_lite.store.state import _SCHEMA


def _shared_lock(folder: Path) -> int:
    """A shared ``flock`` on ``folder``, checked to be on the folder that the name still leads to."""
    lock = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    assert os.stat(folder).st_ino == os.fstat(lock).st_ino
    return lock


def chain(modules: int, base: Path, promises: bool = False) -> float:
    """Seconds per module for one chain of ``modules`` steps in a fresh folder under ``base``."""
    store = Path(tempfile.mkdtemp(prefix="floor-", dir=base))
    lines = open(os.devnull, "w")  # noqa: SIM115 (open for the whole chain)
    clear_refs = os.open("/proc/self/clear_refs", os.O_WRONLY) if promises else -1
    status = os.open("/proc/self/status", os.O_RDONLY) if promises else -1
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
        reading = -1
        if promises:
            assert os.stat(folder).st_ino == os.fstat(lock).st_ino
            if previous is not None:
                reading = _shared_lock(previous.parent.parent)
            database.execute("PRAGMA data_version").fetchone()
        database.execute("BEGIN IMMEDIATE")
        cursor = database.execute(
            "INSERT INTO run (module, state, started) VALUES (?, 'RUNNING', ?)", (name, time.time())
        )
        run_id = cursor.lastrowid
        database.execute("INSERT INTO module (name, state, run_id) VALUES (?, 'RUNNING', ?)", (name, run_id))
        database.execute("COMMIT")
        if promises:
            lines.write(f"> {name} started (run {run_id})\n")
            lines.flush()
            os.write(clear_refs, b"5")
        partial = folder / f"run-{run_id}.partial"
        (partial / "data").mkdir(parents=True)
        if previous is not None:
            pickle.loads(previous.read_bytes())
        (partial / "data" / "data.pickle").write_bytes(pickle.dumps("done"))
        final = folder / f"run-{run_id}"
        os.replace(partial, final)
        peak = None
        record = ("", "{}", "{}")
        if promises:
            text = os.pread(status, 8192, 0)
            start = text.index(b"VmHWM:") + 6
            peak = int(text[start : text.index(b"kB", start)])
            upstream = {f"s{index - 1}": run_id - 1} if index else {}
            record = (f"{index:020x}", json.dumps({"type": "step", "options": {}, "inputs": {}}), json.dumps(upstream))
        database.execute("BEGIN IMMEDIATE")
        database.execute(
            "UPDATE run SET state = 'COMPLETE', finished = ?, peak_memory_kb = ? WHERE id = ?",
            (time.time(), peak, run_id),
        )
        database.execute(
            "UPDATE module SET state = 'COMPLETE', complete_run_id = ?, fingerprint = ?, fingerprint_parts = ?,"
            " upstream = ? WHERE name = ?",
            (run_id, *record, name),
        )
        database.execute("COMMIT")
        if promises:
            lines.write(f"✓ {name} COMPLETE in 0.00s\n")
            lines.flush()
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
        if reading >= 0:
            os.close(reading)
        previous = final / "data" / "data.pickle"
    seconds = (time.perf_counter() - started) / modules
    database.close()
    lines.close()
    for descriptor in (clear_refs, status):
        if descriptor >= 0:
            os.close(descriptor)
    return seconds


def main() -> None:
    """Run the chain ``--reps`` times (the folders stay: see bench/suite.py) and print the median."""
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__)
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="where the folders go (default: the system's temp folder)")
    parser.add_argument(
        "--promises", action="store_true", help="also time the loop with the other promises (the two alternate)"
    )
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pimlico-floor-", dir=args.workdir))
    kinds = [False, True] if args.promises else [False]
    samples: dict[bool, list[float]] = {kind: [] for kind in kinds}
    for _ in range(args.reps):
        for kind in kinds:
            samples[kind].append(chain(args.modules, base, promises=kind) * 1000)
    for kind in kinds:
        shown = ", ".join(f"{sample:.3f}" for sample in samples[kind])
        label = "floor with the other promises" if kind else "floor"
        print(f"{label}: {statistics.median(samples[kind]):.3f} ms per module (samples {shown})")
    print(f"folders kept in {base}")


if __name__ == "__main__":
    main()
