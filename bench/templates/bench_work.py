"""The work of one benchmark step, shared by the doit, Luigi and Snakemake pipelines.

Read every input file, spin if the step is CPU-bound, and write a few bytes. doit and Luigi call ``work``
in-process; ``python bench_work.py NAME`` does the same as a command (Snakemake's CPU-bound steps).
``graph.json`` beside this file, written by ``bench.generate``, describes the pipeline.
"""

import json
import sys
from pathlib import Path

GRAPH = json.loads(Path(__file__).with_name("graph.json").read_text())
STEPS = {step["name"]: step for step in GRAPH["steps"]}


def output_path(name):
    """Where step ``name`` writes."""
    return f"out/{name}.txt"


def spin(loops):
    """Busy-loop in pure Python; the same loop as pimlico_lite's bench_types.spin."""
    total = 0
    for i in range(loops):
        total = (total * 31 + i) % 1_000_003
    return total


def work(name):
    """Do step ``name``: read its inputs, spin if it is CPU-bound, write a few bytes."""
    step = STEPS[name]
    for source in step["inputs"]:
        Path(output_path(source)).read_bytes()
    total = spin(GRAPH["loops"]) if step["kind"] == "spin" else 0
    Path(output_path(name)).write_text(f"done {total}\n")


if __name__ == "__main__":
    work(sys.argv[1])
