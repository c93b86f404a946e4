"""The shapes of the benchmark pipelines, as plain data that every tool's generator reads.

A step is a name, the names of the steps it reads, and what it does: ``source`` and ``step`` write a few bytes
(``step`` reads its inputs first), ``gather`` reads many inputs, ``spin`` burns CPU in pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHAPES = ("chain", "fanout", "cpu")
# About 0.25 s of pure-Python work per step on this kind of machine (0.1 s per million loops).
SPIN_LOOPS = 2_500_000


@dataclass(frozen=True)
class Step:
    """One step: its name, the steps it reads, and its kind (source, step, gather or spin)."""

    name: str
    inputs: tuple[str, ...]
    kind: str

    @property
    def output(self) -> str:
        """The file that a peer's step writes (pimlico_lite's outputs live in its store)."""
        return f"out/{self.name}.txt"

    @property
    def shell_command(self) -> str:
        """The same work as a shell command, for DVC, whose stages are commands."""
        if self.kind == "spin":
            return f"python bench_work.py {self.name}"
        read = f"cat {' '.join(f'out/{name}.txt' for name in self.inputs)} > /dev/null && " if self.inputs else ""
        return f"{read}echo done > {self.output}"


@dataclass(frozen=True)
class Graph:
    """A benchmark pipeline: its shape, its steps in a runnable order, and the steps nothing reads."""

    shape: str
    steps: tuple[Step, ...]
    loops: int

    @property
    def finals(self) -> list[str]:
        """The steps that no other step reads: what a tool is asked to build."""
        read = {name for step in self.steps for name in step.inputs}
        return [step.name for step in self.steps if step.name not in read]

    def to_json(self) -> dict[str, Any]:
        """The graph as the JSON document that the peers' pipeline files load."""
        return {
            "shape": self.shape,
            "loops": self.loops,
            "finals": self.finals,
            "steps": [{"name": s.name, "inputs": list(s.inputs), "kind": s.kind} for s in self.steps],
        }


def make_graph(shape: str, n: int, loops: int = SPIN_LOOPS) -> Graph:
    """Build the graph of ``n`` steps of a shape: a linear chain, a fan-out/fan-in, or ``n`` independent spins."""
    if shape == "chain":
        steps = [Step("s0", (), "source")] + [Step(f"s{i}", (f"s{i - 1}",), "step") for i in range(1, n)]
    elif shape == "fanout":
        if n < 3:
            message = f"a fan-out needs at least 3 steps, got {n}"
            raise ValueError(message)
        middle = [Step(f"s{i}", ("s0",), "step") for i in range(1, n - 1)]
        steps = [Step("s0", (), "source"), *middle, Step(f"s{n - 1}", tuple(s.name for s in middle), "gather")]
    elif shape == "cpu":
        steps = [Step(f"s{i}", (), "spin") for i in range(n)]
    else:
        message = f"unknown shape {shape!r}; shapes: {', '.join(SHAPES)}"
        raise ValueError(message)
    return Graph(shape, tuple(steps), loops)
