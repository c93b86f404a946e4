"""Write the same benchmark pipeline for each tool into a folder: a pimlico_lite config, a doit dodo.py, Luigi
tasks, a Snakefile, a DVC project.

doit, Luigi and Snakemake read ``graph.json`` through the shared ``bench_work.py`` (their pipelines are Python).
doit, Luigi and Snakemake (``run:`` with ``--force-use-threads``; without it, Snakemake 9 starts a new Snakemake
process for every ``run:`` job) do the work of each step in-process. Snakemake's CPU-bound steps are a command
(``python bench_work.py NAME``), so that two cores can help it. DVC stages can only be shell commands: ``cat`` and
``echo``. pimlico_lite's config and DVC's ``dvc.yaml`` are written out in full, one section or stage per step, as
a user would write them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bench.graph import Graph

BENCH = Path(__file__).resolve().parent
TEMPLATES = BENCH / "templates"
MODULE_TYPES = BENCH / "module_types"
PIMLICO_CONFIG = "pipeline.conf"
_PEER_TEMPLATES = {"doit": ["dodo.py"], "luigi": ["luigi_tasks.py", "luigi.cfg"], "snakemake": ["Snakefile"]}


def write_pipeline(tool: str, graph: Graph, directory: Path) -> None:
    """Write ``graph`` as a pipeline of ``tool`` into ``directory`` (which must exist)."""
    if tool == "pimlico_lite":
        (directory / PIMLICO_CONFIG).write_text(pimlico_config(graph))
        return
    (directory / "out").mkdir()
    if tool == "dvc":
        (directory / "dvc.yaml").write_text(dvc_yaml(graph))
        return
    (directory / "graph.json").write_text(json.dumps(graph.to_json()))
    for name in ["bench_work.py", *_PEER_TEMPLATES[tool]]:
        shutil.copyfile(TEMPLATES / name, directory / name)


def pimlico_config(graph: Graph) -> str:
    """The pimlico_lite config: one section per step, module types from ``bench/module_types``."""
    lines = ["[pipeline]", "name = bench", f"python_path = {MODULE_TYPES}", "store = store", ""]
    previous = None
    for step in graph.steps:
        lines += [f"[{step.name}]", f"type = bench_types.{step.kind}"]
        if step.kind == "spin":
            lines.append(f"loops = {graph.loops}")
        elif step.kind == "gather":
            lines.append(f"input_parts = {', '.join(step.inputs)}")
        elif step.inputs and step.inputs != (previous,):
            # A step that reads the section right above needs no input line: that is the default connection.
            lines.append(f"input = {step.inputs[0]}")
        lines.append("")
        previous = step.name
    return "\n".join(lines)


def dvc_yaml(graph: Graph) -> str:
    """The ``dvc.yaml``: one stage per step, each a shell command that reads its inputs and writes a few bytes."""
    if graph.shape == "cpu":
        message = "DVC stages are shell commands: the CPU-bound case is not generated for DVC"
        raise ValueError(message)
    lines = ["stages:"]
    for step in graph.steps:
        # A JSON string is a YAML string too.
        lines += [f"  {step.name}:", f"    cmd: {json.dumps(step.shell_command)}"]
        if step.inputs:
            lines.append("    deps:")
            lines += [f"      - out/{name}.txt" for name in step.inputs]
        lines += ["    outs:", f"      - {step.output}"]
    return "\n".join(lines) + "\n"
