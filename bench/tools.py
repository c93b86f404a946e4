"""The tools under test and the command each one runs for each operation.

Operations: ``run`` (a full run with one worker, from nothing), ``plan`` (what would run: pimlico_lite's ``status``,
doit's ``list --status``, Snakemake's ``-n``, DVC's ``status``; Luigi has none), ``rerun`` (the same command as
``run`` once everything is complete: nothing to do), ``run_j2`` (a full run with two workers; DVC has none) and
``help`` (pimlico_lite's ``--help``, a cold start that loads no pipeline). pimlico_lite alone also has ``floor`` and
``floor_click``: ``bench/status_floor.py`` on the complete pipeline, the least a ``status`` can do, without and with
importing click, timed beside ``status`` so that the report can say how far above its floor ``status`` is, and
``plan_loaded``: ``status`` with no loaded pipeline kept (``PIMLICO_LITE_CACHE=off``), as the first command after an
edit of the config loads it. Every other pimlico_lite command keeps its loaded pipeline in the workspace, so that
``plan`` and ``rerun`` use the one the ``run`` before them kept, as a user's next command would.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import PIMLICO_CONFIG

STATUS_FLOOR = Path(__file__).resolve().parent / "status_floor.py"

OPERATIONS = {
    "run": "full run, 1 worker",
    "rerun": "nothing-to-do rerun",
    "plan": "plan / dry run",
    "run_j2": "full run, 2 workers",
    "help": "--help",
    "floor": "the floor of `status`",
    "floor_click": "the floor of `status`, with click",
    "plan_loaded": "`status`, the config loaded (no kept copy)",
}
# What each tool's "plan" is, for the report.
PLAN_COMMANDS = {
    "pimlico_lite": "status",
    "doit": "list --all --status",
    "snakemake": "-n",
    "dvc": "status",
}


@dataclass(frozen=True)
class Tool:
    """A tool: its name and version, its command for each operation it has, and the setup a pipeline needs."""

    name: str
    version: str
    commands: dict[str, list[str]]
    setup: list[list[str]] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    writes_out_files: bool = True
    # Set for one operation only: operation -> variables.
    operation_environment: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The name and version, as the report shows it."""
        return f"{self.name} {self.version}"

    def has(self, operation: str) -> bool:
        """Say whether the tool has a command for ``operation``."""
        return operation in self.commands

    def environ(self, workspace: Path, operation: str | None = None) -> dict[str, str]:
        """The environment for a command (of ``operation``) run in ``workspace``."""
        environ = {key: value for key, value in os.environ.items() if not key.startswith("PIMLICO_LITE_")}
        # Time what users run: with Python's bytecode cache, which the untimed warm-up run fills.
        environ.pop("PYTHONDONTWRITEBYTECODE", None)
        environ.update(self.environment)
        if self.writes_out_files:
            environ["PYTHONPATH"] = str(workspace)
        # pimlico_lite keeps each loaded pipeline in the workspace, not in the cache folder of whoever runs the suite.
        environ["PIMLICO_LITE_CACHE"] = str(workspace / ".pimlico-lite-cache")
        environ.update(self.operation_environment.get(operation or "", {}))
        return environ


def pimlico_lite(executable: list[str] | None = None) -> Tool:
    """pimlico_lite, run as its console script beside this interpreter (or ``python -m pimlico_lite``)."""
    from pimlico_lite import __version__

    if executable is None:
        script = Path(sys.executable).parent / "pimlico-lite"
        executable = [str(script)] if script.exists() else [sys.executable, "-m", "pimlico_lite"]
    config = PIMLICO_CONFIG
    # The floors run on the Python that runs pimlico_lite, with the same click: the console script's own.
    python = _script_python(executable[0]) if len(executable) == 1 else executable[0]
    commands = {
        "run": [*executable, config, "run", "--all"],
        "rerun": [*executable, config, "run", "--all"],
        "plan": [*executable, config, "status"],
        "run_j2": [*executable, config, "run", "--all", "-j", "2"],
        "help": [*executable, "--help"],
        "floor": [python, str(STATUS_FLOOR), config],
        "floor_click": [python, str(STATUS_FLOOR), config, "--with-click"],
        "plan_loaded": [*executable, config, "status"],
    }
    # plan and rerun use the loaded pipeline that run kept; plan_loaded loads the config, as a first command would.
    unkept = {"plan_loaded": {"PIMLICO_LITE_CACHE": "off"}}
    return Tool("pimlico_lite", __version__, commands, writes_out_files=False, operation_environment=unkept)


def _script_python(script: str) -> str:
    """The Python a console script runs on: the one its ``#!`` line names (found on PATH for a bare name, through
    a symbolic link such as pipx makes); this Python when that cannot be read."""
    found = shutil.which(script) or script
    try:
        with open(found, "rb") as lines:
            first = lines.readline().decode(errors="replace")
    except OSError:
        return sys.executable
    interpreter = first[2:].strip() if first.startswith("#!") else ""
    return interpreter if interpreter and " " not in interpreter and os.path.isfile(interpreter) else sys.executable


def peers(bin_dir: Path, versions: dict[str, str]) -> list[Tool]:
    """doit, Luigi, Snakemake and DVC from the peers' virtual environment, for those in ``versions``."""
    doit, luigi, snakemake, dvc = (str(bin_dir / name) for name in ("doit", "luigi", "snakemake", "dvc"))
    luigi_run = [luigi, "--module", "luigi_tasks", "All", "--local-scheduler"]
    # As if the peers' environment were activated: Snakemake's shell steps run its python.
    path = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    tools = [
        Tool(
            "doit",
            versions.get("doit", "?"),
            {"run": [doit], "rerun": [doit], "plan": [doit, "list", "--all", "--status"], "run_j2": [doit, "-n", "2"]},
        ),
        Tool(
            "luigi",
            versions.get("luigi", "?"),
            {"run": luigi_run, "rerun": luigi_run, "run_j2": [*luigi_run, "--workers", "2"]},
        ),
        Tool(
            "snakemake",
            versions.get("snakemake", "?"),
            {
                "run": [snakemake, "--force-use-threads", "--cores", "1"],
                "rerun": [snakemake, "--force-use-threads", "--cores", "1"],
                "plan": [snakemake, "--force-use-threads", "-n", "--cores", "1"],
                "run_j2": [snakemake, "--force-use-threads", "--cores", "2"],
            },
            environment=path,
        ),
        Tool(
            "dvc",
            versions.get("dvc", "?"),
            {"run": [dvc, "repro"], "rerun": [dvc, "repro"], "plan": [dvc, "status"]},
            # No update check and no analytics: either would start a background process during the timings.
            setup=[
                [dvc, "init", "--no-scm", "--quiet"],
                [dvc, "config", "core.check_update", "false"],
                [dvc, "config", "core.analytics", "false"],
            ],
            environment={"DVC_NO_ANALYTICS": "1"},
        ),
    ]
    return [tool for tool in tools if tool.name in versions]
