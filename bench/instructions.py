"""Instructions, not seconds: what pimlico_lite's commands cost, counted by valgrind.

    bench/.pimlico-venv/bin/python -m bench.instructions [--modules 1000] [--against REF] [--jobs 2]

On this machine the same command takes 0.14 s one minute and 0.25 s the next, so a change worth a few per cent
cannot be judged by timing it. The number of instructions a process executes does not move: each command below runs
once in a new process under ``valgrind --tool=callgrind``, with ``PYTHONHASHSEED`` fixed, and repeats its count to
within 0.3%. The counts leave out the kernel's time (system calls, the disk), so they judge pimlico_lite's own code,
not its file system work. For a generated chain of ``--modules`` steps:

- ``--help``;
- ``status`` and the nothing-to-do ``run --all`` of the completed chain, with the loaded pipeline that the run
  kept (see ``pimlico_lite.pipeline.cache``); ``status`` loading the config, with nothing kept, and keeping it;
- the parts of a ``status`` that loads the config: imports, loading the pipeline, computing the states, drawing the
  table (each part measured as the difference between two processes that stop before and after it);
- the floor of ``status`` (``bench/status_floor.py``: the least a status can do), without and with click;
- ``run --all`` of a fresh chain.

The tree measured is the one this module belongs to, put first on ``PYTHONPATH``; run it with the Python of a
regular (not editable) install, such as ``bench/.pimlico-venv`` that ``bench/run`` makes, since an editable
install's import hook costs every process. With ``--against REF``, the commit REF is measured the same way, from a
copy made with ``git archive``, and the table gives the ratio of the two.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.generate import PIMLICO_CONFIG, write_pipeline
from bench.graph import make_graph
from bench.tools import STATUS_FLOOR

ROOT = Path(__file__).resolve().parent.parent

# Stop after part N of a status (0: imports only, 1: loaded, 2: states, 3: the table drawn).
_PARTS = """
import sys
from pimlico_lite.cli.status import status_table
from pimlico_lite.execution.status import compute_statuses
from pimlico_lite.pipeline import load_pipeline
from pimlico_lite.store import Store
part = int(sys.argv[1])
if part >= 1:
    pipeline = load_pipeline(sys.argv[2])
if part >= 2:
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
if part >= 3:
    status_table(pipeline, statuses, False)
"""
PART_NAMES = ("imports", "loading", "states", "table")


def count(arguments: list[str], cwd: Path, tree: Path, variables: dict[str, str]) -> float:
    """Millions of instructions that ``python ARGUMENTS`` executes in ``cwd``, with ``tree`` first on the path and
    ``variables`` set."""
    environment = {**_environment(tree), "PYTHONHASHSEED": "0", **variables}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *arguments]
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = f"{' '.join(arguments)} failed in {cwd}:\n{result.stdout[-1000:]}{result.stderr[-2000:]}"
        raise RuntimeError(message)
    collected = [line for line in result.stderr.splitlines() if "Collected :" in line]
    return int(collected[-1].split()[-1]) / 1e6


def _environment(tree: Path) -> dict[str, str]:
    """This environment with ``tree`` first on the path, and bytecode written as a user's Python writes it."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def measure_tree(tree: Path, modules: int, workdir: Path, jobs: int) -> dict[str, float]:
    """Every count for the pimlico_lite in ``tree``, in millions of instructions."""
    graph = make_graph("chain", modules)
    done, fresh = workdir / "done", workdir / "fresh"
    for folder in (done, fresh):
        folder.mkdir(parents=True)
        write_pipeline("pimlico_lite", graph, folder)
    cli = ["-m", "pimlico_lite", PIMLICO_CONFIG]
    # Complete the chain (keeping its loaded pipeline), and write the bytecode of every module the counted processes
    # import.
    kept = {"PIMLICO_LITE_CACHE": str(workdir / "cache")}
    environment = {**_environment(tree), **kept}
    for arguments in (["run", "--all"], ["status"]):
        # Under `python -m` the working folder is on the import path: a folder changed less than two seconds ago (by
        # writing the config, or the run's store) leaves nothing kept (pimlico_lite.pipeline.cache), where a user's
        # config folder was written long before. A change time cannot be put back: the wait is real.
        time.sleep(2.1)
        subprocess.run([sys.executable, *cli, *arguments], cwd=done, env=environment, check=True, capture_output=True)
    # A status that finds no kept copy, and makes one (the first after an edit), each in a cache folder of its own.
    empty = {"PIMLICO_LITE_CACHE": str(workdir / "empty-cache")}
    commands: dict[str, tuple[list[str], Path, dict[str, str]]] = {
        "--help": (["-m", "pimlico_lite", "--help"], done, kept),
        "status": ([*cli, "status"], done, kept),
        "status, loading the config (nothing kept)": ([*cli, "status"], done, {"PIMLICO_LITE_CACHE": "off"}),
        "status, loading the config and keeping it": ([*cli, "status"], done, empty),
        "run --all, nothing to do": ([*cli, "run", "--all"], done, kept),
        "status floor": ([str(STATUS_FLOOR), PIMLICO_CONFIG], done, kept),
        "status floor with click": ([str(STATUS_FLOOR), PIMLICO_CONFIG, "--with-click"], done, kept),
        "run --all, fresh": ([*cli, "run", "--all"], fresh, kept),
    }
    for part in range(len(PART_NAMES)):
        commands[f"status part {part}"] = (["-c", _PARTS, str(part), PIMLICO_CONFIG], done, kept)
    with ThreadPoolExecutor(jobs) as pool:
        futures = {
            name: pool.submit(count, arguments, cwd, tree, variables)
            for name, (arguments, cwd, variables) in commands.items()
        }
        counts = {name: future.result() for name, future in futures.items()}
    parts = [counts.pop(f"status part {part}") for part in range(len(PART_NAMES))]
    for index, name in enumerate(PART_NAMES):
        counts[f"status: {name}"] = parts[index] - (parts[index - 1] if index else 0)
    return counts


def export(ref: str, destination: Path) -> Path:
    """A copy of the commit ``ref`` of this repository in ``destination``."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    destination.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)
    return destination


def render(modules: int, columns: dict[str, dict[str, float]]) -> str:
    """A markdown table of the counts, with the ratio of the second column to the first when there are two."""
    names = list(columns)
    header = f"| {modules} modules, millions of instructions | " + " | ".join(names)
    rule = "| --- |" + " ---: |" * len(names)
    if len(names) == 2:
        header += f" | {names[1]} / {names[0]}"
        rule += " ---: |"
    rows = [header + " |", rule]
    first = columns[names[0]]
    for what in first:
        cells = [f"{columns[name][what]:.1f}" for name in names]
        if len(names) == 2:
            cells.append(f"{columns[names[1]][what] / first[what]:.3f}")
        rows.append(f"| {what} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Count, and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__.split("\n")[0])
    parser.add_argument("--modules", type=int, default=1000, help="steps in the chain (default: 1000)")
    parser.add_argument("--against", metavar="REF", help="also count the commit REF (a git revision)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="valgrind processes at once")
    arguments = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed")
    with tempfile.TemporaryDirectory(prefix="instructions-") as temporary:
        workdir = Path(temporary)
        columns = {}
        if arguments.against:
            tree = export(arguments.against, workdir / "ref" / "tree")
            columns[arguments.against] = measure_tree(tree, arguments.modules, workdir / "ref", arguments.jobs)
        columns["this tree"] = measure_tree(ROOT, arguments.modules, workdir / "this", arguments.jobs)
    print(render(arguments.modules, columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
