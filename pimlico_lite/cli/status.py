"""``status``: every module instance's state, or one module in detail, or JSON for scripts."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from pimlico_lite.table import box_for, draw_table, paint, use_colour

from . import main

if TYPE_CHECKING:
    from pimlico_lite.execution.status import ModuleStatus
    from pimlico_lite.pipeline import Pipeline
    from pimlico_lite.store import Store


@main.command()
@click.argument("module", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of a table.")
@click.pass_obj
def status(config: str, module: str | None, as_json: bool) -> None:
    """Show every module instance's state, or MODULE in detail."""
    from pimlico_lite.execution.status import compute_statuses
    from pimlico_lite.pipeline.cache import load_cached_pipeline
    from pimlico_lite.store import Store

    # (What a module type's code prints while it loads, or while its data is looked for, would spoil the JSON.)
    with _output_to_stderr() if as_json else contextlib.nullcontext():
        pipeline = load_cached_pipeline(config)
        store = Store(pipeline.store_path)
        statuses = compute_statuses(pipeline, store)
    if as_json:
        names = pipeline.instances if module is None else _instances(pipeline, module)
        click.echo(json.dumps(status_json(pipeline, statuses, names, store)))
        return
    if module is None:
        click.echo(status_table(pipeline, statuses, use_colour(sys.stdout)))
        return
    from pimlico_lite import console
    from pimlico_lite.execution.planner import resolve_name

    out = console.make_console()
    group, instances = resolve_name(pipeline, module)
    if group is not None and not instances:
        console.render_group(out, pipeline, group, statuses)
    for name in instances:
        console.render_instance(out, pipeline, store, name, statuses)


@contextlib.contextmanager
def _output_to_stderr() -> Iterator[None]:
    """Send what is written to standard output to standard error meanwhile: Python's prints, and what a program
    started meanwhile or C code writes to the file descriptor itself."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:  # (no descriptor 1 or 2 to use: Python's prints at least)
        saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if saved is not None:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


def _instances(pipeline: Pipeline, module: str) -> list[str]:
    from pimlico_lite.execution.planner import resolve_name

    group, instances = resolve_name(pipeline, module)
    return instances if instances or group is None else group.stages


STATE_STYLES = {
    "UNEXECUTED": "dim",
    "RUNNING": "bold cyan",
    "COMPLETE": "green",
    "FAILED": "bold red",
    "OUTDATED": "yellow",
}


def status_table(pipeline: Pipeline, statuses: dict[str, ModuleStatus], colour: bool) -> str:
    """The ``status`` table: every module instance, its state, type and whether its inputs are ready."""
    rows, styles = [], []
    counts: dict[str, int] = {}
    for name, instance in pipeline.instances.items():
        state = statuses[name].state.value
        counts[state] = counts.get(state, 0) + 1
        ready = all(statuses[producer].is_ready_as_input for producer in instance.producers)
        inputs = ("ready" if ready else "waiting") if instance.inputs else ""
        rows.append((name, state, instance.type_path, inputs))
        styles.append((None, STATE_STYLES[state], None, None if ready else "dim"))
    release = f" (release {pipeline.release})" if pipeline.release else ""
    summary = ", ".join(f"{count} {paint(state, STATE_STYLES[state], colour)}" for state, count in counts.items())
    table = draw_table(("module", "state", "type", "inputs"), rows, styles, colour, box_for(sys.stdout))
    return f"Pipeline {pipeline.name}{release}\n{table}\n{summary}{_code_changed(pipeline, statuses)}"


def _code_changed(pipeline: Pipeline, statuses: dict[str, ModuleStatus]) -> str:
    """A line naming the modules that ran with code of their type that has changed since, if any."""
    from pimlico_lite.execution.status import ran_with_other_code

    named = [name for name, instance in pipeline.instances.items() if ran_with_other_code(instance, statuses[name])]
    if not named:
        return ""
    shown = ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else "")
    return (
        f"\nRan with code of their module type that has changed since: {shown} (`status NAME` says more; `run -f"
        " NAME` makes the outputs anew)"
    )


def status_json(pipeline: Pipeline, statuses: dict[str, ModuleStatus], names: Any, store: Store) -> dict[str, Any]:
    """The ``status --json`` document: ``{"pipeline": NAME, "modules": [{"name", "status", ...}, ...]}``."""
    from pimlico_lite.execution.status import ran_with_other_code
    from pimlico_lite.outputs import output_folders

    last_runs = store.state.last_runs()
    modules = []
    for name in names:
        instance, module_status = pipeline.instances[name], statuses[name]
        run = last_runs.get(name)
        folders = output_folders(instance, module_status, store)
        modules.append(
            {
                "name": name,
                "status": module_status.state.value,
                "type": instance.type_path,
                "multistage_module": instance.group,
                "stage": instance.stage,
                "inputs": {
                    input_name: [str(c) for c in connections] for input_name, connections in instance.inputs.items()
                },
                "inputs_ready": all(statuses[p].is_ready_as_input for p in instance.producers),
                "reasons": list(module_status.reasons),
                "last_run": None
                if run is None
                else {
                    "id": run.id,
                    "state": run.state,
                    "started": run.started,
                    "seconds": run.duration,
                    "peak_memory_kb": run.peak_memory_kb,
                    "error": run.error,
                },
                "outputs": None if folders is None else {output: str(folder) for output, folder in folders.items()},
                "code_changed": ran_with_other_code(instance, module_status),
            }
        )
    return {"pipeline": pipeline.name, "modules": modules}
