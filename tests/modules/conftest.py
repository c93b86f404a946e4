"""Run small pipelines of the bundled module types in-process, and read what they wrote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeConfig

from pimlico_lite.execution import RunResult, run
from pimlico_lite.pipeline import Pipeline, load_pipeline
from pimlico_lite.store import Store

BUNDLED = "pimlico_lite.modules"


@dataclass
class Ran:
    """A pipeline after ``run --all``: its outputs, errors and logs."""

    pipeline: Pipeline
    result: RunResult

    @property
    def store(self) -> Store:
        return Store(self.pipeline.store_path)

    def resolve(self, name: str, output: str | None = None) -> tuple[str, str]:
        """The module instance and output that ``name`` (maybe a multistage module) and ``output`` mean."""
        group = self.pipeline.groups.get(name)
        if group is not None:
            return group.outputs[output or next(iter(group.outputs))]
        default = self.pipeline.instances[name].info.default_output()
        assert default is not None
        return name, output or default

    def output_dir(self, name: str, output: str | None = None) -> Path:
        """The folder of a COMPLETE module instance's output (its default output if not named)."""
        name, output = self.resolve(name, output)
        record = self.store.state.record(name)
        assert record is not None
        assert record.complete_run_id is not None, f"{name} did not complete: {self.error(name)}"
        return self.store.run_dir(name, record.complete_run_id) / output

    def output(self, name: str, output: str | None = None) -> Any:
        """Read an output through its declared datatype."""
        name, output = self.resolve(name, output)
        folder = self.output_dir(name, output)
        return self.pipeline.instances[name].info.output_datatypes()[output].read(folder)

    def error(self, name: str) -> str | None:
        """The error of the module instance's last run."""
        runs = self.store.state.runs(name)
        return runs[-1].error if runs else None

    def where(self, key: str, section: str) -> str:
        """How a failure blamed on option ``key`` starts: ``CONFIG:LINE [section] key:``, LINE being the first
        line of the config that sets ``key``."""
        lines = self.pipeline.config_path.read_text().splitlines()
        number = next(n for n, line in enumerate(lines, 1) if line.partition("=")[0].strip() == key)
        return f"{self.pipeline.config_path}:{number} [{section}] {key}:"

    def log(self, name: str) -> list[str]:
        """The messages its last run logged."""
        runs = self.store.state.runs(name)
        text = runs[-1].log or "" if runs else ""
        return [line.split(" INFO ", 1)[1] for line in text.splitlines() if " INFO " in line]

    def run_ids(self) -> dict[str, int | None]:
        """The run id that produced each module instance's current outputs."""
        return {name: record.complete_run_id for name, record in self.store.state.records().items()}


RunPipeline = Callable[..., Ran]


@pytest.fixture
def run_pipeline(make_config: MakeConfig) -> RunPipeline:
    """Write a config, run every module instance in it, and check that none failed (unless told to expect it)."""

    def run_all(body: str, expect_failure: bool = False) -> Ran:
        pipeline = load_pipeline(make_config(body))
        ran = Ran(pipeline, run(pipeline, run_all=True))
        if not expect_failure:
            assert not ran.result.failed, {name: ran.error(name) for name in ran.result.failed}
        return ran

    return run_all


@pytest.fixture
def write_files(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write ``{relative path: text}`` under tmp_path/data and return that folder."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "data"
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return write


IRIS = f"""
[iris]
type = {BUNDLED}.input.sklearn_dataset
name = iris
"""
