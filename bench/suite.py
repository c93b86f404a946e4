"""Run the cases of a profile: every tool on every shape and size, several times, the tools alternating.

Each repetition of a case starts from a fresh folder. A tool runs ``run`` there, then ``plan`` and ``rerun`` on the
complete pipeline, and ``run_j2`` in another fresh folder. A command past the time bound is killed and recorded as
a timeout. A timeout or failure is not repeated in later repetitions, and a tool that timed out or failed its full
run at one size is not tried at larger sizes of that shape: those cases are recorded as skipped, with the reason.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.generate import write_pipeline
from bench.graph import SPIN_LOOPS, Graph, make_graph
from bench.measure import Measurement, measure
from bench.tools import Tool

OPERATIONS_OF_SHAPE = {
    "chain": ["run", "plan", "rerun", "floor", "floor_click", "plan_loaded"],
    "fanout": ["run", "plan", "rerun", "run_j2"],
    "cpu": ["run", "run_j2"],
}
_FRESH = {"run", "run_j2"}  # operations that start from a fresh folder
_STOPS = {"timeout", "failed", "unsupported"}  # outcomes that are not tried again
_PAST = {"timeout": "timed out", "failed": "failed", "unsupported": "was unsupported"}


@dataclass(frozen=True)
class Profile:
    """Which cases to run, how often, and how long a command may take."""

    name: str
    reps: int
    bound: float
    sizes: dict[str, tuple[int, ...]]
    largest_for_peer: dict[str, int] = field(default_factory=dict)
    cpu_loops: int = SPIN_LOOPS
    help_reps: int = 10

    def sizes_for(self, tool: str, shape: str) -> tuple[int, ...]:
        """The sizes of ``shape`` that ``tool`` runs in this profile (DVC has no CPU-bound case)."""
        if tool == "dvc" and shape == "cpu":
            return ()
        largest = self.largest_for_peer.get(tool)
        return tuple(n for n in self.sizes.get(shape, ()) if largest is None or n <= largest)


PROFILES = {
    # For the test suite: pimlico_lite only, tiny pipelines, once.
    "smoke": Profile("smoke", 1, 60, {"chain": (4,), "fanout": (4,), "cpu": (2,)}, cpu_loops=1000, help_reps=1),
    # A few minutes: Snakemake and DVC take minutes at N = 1000, so they stop at 100.
    "quick": Profile(
        "quick",
        3,
        120,
        {"chain": (10, 100, 1000, 10000), "fanout": (10, 100, 1000), "cpu": (20,)},
        {"doit": 1000, "luigi": 1000, "snakemake": 100, "dvc": 100},
    ),
    "full": Profile("full", 5, 120, {"chain": (10, 100, 1000, 10000), "fanout": (10, 100, 1000, 10000), "cpu": (20,)}),
}


def run_suite(
    tools: Sequence[Tool],
    profile: Profile,
    workdir: Path | None = None,
    progress: Callable[[str], None] = print,
    checkpoint: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Run every case of ``profile`` for ``tools`` and return the results document (see ``bench.report``).

    ``checkpoint`` gets the document so far (``meta.complete`` false) after each size of each shape, so that a run
    stopped early still leaves its results.
    """
    meta: dict[str, Any] = machine_description() | {
        "profile": asdict(profile),
        "tools": {tool.name: tool.version for tool in tools},
        "commit": checkout_commit(),
        "complete": False,
    }
    document: dict[str, Any] = {"meta": meta, "cases": []}
    base = Path(tempfile.mkdtemp(prefix="pimlico-bench-", dir=workdir))
    started = time.time()
    meta["started"] = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started))

    def finish(complete: bool) -> dict[str, Any]:
        meta.update(
            duration_s=round(time.time() - started, 1), load_average_end=list(os.getloadavg()), complete=complete
        )
        return document

    try:
        meta["warmup"] = {tool.name: _warm_up(tool, base, profile.bound) for tool in tools}
        usable = [tool for tool in tools if meta["warmup"][tool.name] == "ok"]
        document["cases"] += [_help_case(tool, base, profile) for tool in usable if tool.has("help")]
        for shape in OPERATIONS_OF_SHAPE:
            for cases in _shape_cases(usable, shape, profile, base, progress):
                document["cases"] += cases
                if checkpoint:
                    checkpoint(finish(complete=False))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return finish(complete=True)


def _shape_cases(
    tools: Sequence[Tool], shape: str, profile: Profile, base: Path, progress: Callable[[str], None]
) -> Iterator[list[dict[str, Any]]]:
    """The cases of one shape, one list for each size, smallest first."""
    stopped: dict[str, str] = {}  # tool -> why it does not go on to larger sizes
    sizes = sorted({n for tool in tools for n in profile.sizes_for(tool.name, shape)})
    for n in sizes:
        graph = make_graph(shape, n, profile.cpu_loops)
        here = [tool for tool in tools if n in profile.sizes_for(tool.name, shape)]
        samples: dict[str, dict[str, list[Measurement]]] = {tool.name: {} for tool in here}
        for rep in range(profile.reps):
            for tool in _rotate(here, rep):
                if tool.name not in stopped:
                    progress(f"{shape} N={n} rep {rep + 1}/{profile.reps}: {tool.name}")
                    _repetition(tool, graph, samples[tool.name], base, profile.bound)
        cases = [_case(tool, shape, n, samples[tool.name], stopped.get(tool.name)) for tool in here]
        for case in cases:
            run = case["operations"]["run"]
            if case["tool"] not in stopped and run["status"] in ("timeout", "failed"):
                stopped[case["tool"]] = f"{_PAST[run['status']]} at N = {n}"
        yield cases


def _repetition(tool: Tool, graph: Graph, samples: dict[str, list[Measurement]], base: Path, bound: float) -> None:
    """One repetition of a case for one tool: each operation it has, from a fresh folder where needed.

    The folders stay until the suite ends (see the module's docstring).
    """
    workspace = base
    for operation in OPERATIONS_OF_SHAPE[graph.shape]:
        taken = samples.setdefault(operation, [])
        if not tool.has(operation) or (taken and taken[-1].status in _STOPS):
            continue
        if operation in _FRESH:
            workspace = _fresh_workspace(tool, graph, base)
        elif not samples["run"] or samples["run"][-1].status != "ok" or len(samples["run"]) <= len(taken):
            continue  # plan and rerun need the complete pipeline that this repetition's run made
        measurement = measure(tool.commands[operation], workspace, tool.environ(workspace, operation), bound)
        if operation in _FRESH:
            measurement = _check_outputs(tool, graph, workspace, measurement)
        taken.append(measurement)


def _fresh_workspace(tool: Tool, graph: Graph, base: Path) -> Path:
    workspace = Path(tempfile.mkdtemp(prefix=f"{tool.name}-{graph.shape}-{len(graph.steps)}-", dir=base))
    write_pipeline(tool.name, graph, workspace)
    for command in tool.setup:
        setup = measure(command, workspace, tool.environ(workspace), 120)
        if setup.status != "ok":
            message = f"{tool.name}: setup {command} failed: {setup.detail}"
            raise RuntimeError(message)
    return workspace


def _check_outputs(tool: Tool, graph: Graph, workspace: Path, measurement: Measurement) -> Measurement:
    """A peer that exits 0 without writing the final outputs has failed (Luigi, for one, exits 0 by default)."""
    if measurement.status != "ok" or not tool.writes_out_files:
        return measurement
    missing = [name for name in graph.finals if not (workspace / "out" / f"{name}.txt").exists()]
    if not missing:
        return measurement
    detail = f"exit code 0, but out/{missing[0]}.txt was not written"
    return Measurement("failed", measurement.seconds, measurement.peak_rss_mb, 0, detail)


def _case(tool: Tool, shape: str, n: int, samples: dict[str, list[Measurement]], stopped: str | None) -> dict[str, Any]:
    operations = {}
    for operation in OPERATIONS_OF_SHAPE[shape]:
        if not tool.has(operation):
            operations[operation] = {"status": "n/a", "detail": f"{tool.name} has no such operation", "samples": []}
        elif stopped:
            operations[operation] = {"status": "skipped", "detail": stopped, "samples": []}
        else:
            operations[operation] = summarise(samples.get(operation, []), samples.get("run", []))
    return {"id": f"{shape}/{n}/{tool.name}", "tool": tool.name, "shape": shape, "n": n, "operations": operations}


def summarise(taken: Sequence[Measurement], runs: Sequence[Measurement] = ()) -> dict[str, Any]:
    """The median, min and max of the successful samples, the status, and every sample as measured."""
    summary: dict[str, Any] = {"samples": [asdict(m) for m in taken]}
    ok = [m for m in taken if m.status == "ok"]
    if ok:
        seconds = [m.seconds for m in ok]
        memory = [m.peak_rss_mb for m in ok if m.peak_rss_mb is not None]
        summary |= {
            "status": "ok",
            "median": statistics.median(seconds),
            "min": min(seconds),
            "max": max(seconds),
            "count": len(ok),
            "peak_rss_mb": max(memory) if memory else None,
        }
    bad = [m for m in taken if m.status != "ok"]
    if bad:
        summary |= {"status": summary.get("status", bad[0].status), "problem": bad[0].status, "detail": bad[0].detail}
        if bad[0].status == "timeout":
            summary["bound"] = bad[0].seconds
    elif not ok:
        failed_run = next((m for m in runs if m.status != "ok"), None)
        reason = f"the full run {_PAST.get(failed_run.status, failed_run.status)}" if failed_run else "not measured"
        summary |= {"status": "skipped", "detail": reason}
    return summary


def _warm_up(tool: Tool, base: Path, bound: float) -> str:
    """Run a tiny pipeline once, untimed, so the first timed command does not pay for a cold disk cache."""
    graph = make_graph("chain", 3)
    workspace = _fresh_workspace(tool, graph, base)
    measurement = measure(tool.commands["run"], workspace, tool.environ(workspace), bound)
    measurement = _check_outputs(tool, graph, workspace, measurement)
    return "ok" if measurement.status == "ok" else f"{measurement.status}: {measurement.detail}"


def _help_case(tool: Tool, base: Path, profile: Profile) -> dict[str, Any]:
    taken = [measure(tool.commands["help"], base, tool.environ(base), profile.bound) for _ in range(profile.help_reps)]
    return {
        "id": f"cli/0/{tool.name}",
        "tool": tool.name,
        "shape": "cli",
        "n": 0,
        "operations": {"help": summarise(taken)},
    }


def _rotate(tools: Sequence[Tool], rep: int) -> list[Tool]:
    """The tools in a different order each repetition, so that none always runs first (or after the same one)."""
    if not tools:
        return []
    shift = rep % len(tools)
    return [*tools[shift:], *tools[:shift]]


def checkout_commit() -> str | None:
    """The commit of this checkout (with ``+changes`` when files differ from it), or None outside a git checkout."""
    repository = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=repository, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=repository,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{commit}+changes" if changed else commit


def machine_description() -> dict[str, Any]:
    """The machine: processor, cores, memory, operating system, Python, and how busy it was."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory_gb = round(total_kb / 1e6, 1)
    return {
        "processor": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "system": platform.platform(),
        "python": platform.python_version(),
        "load_average_start": list(os.getloadavg()),
    }
