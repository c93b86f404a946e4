"""``status``: every module instance's state, or one module in detail, or JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

import click

from pimlico_lite.execution.planner import resolve_name
from pimlico_lite.execution.status import ModuleStatus, compute_statuses
from pimlico_lite.pipeline import Pipeline, load_pipeline
from pimlico_lite.store import Store

from . import main


@main.command()
@click.argument("module", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of a table.")
@click.pass_obj
def status(config: str, module: str | None, as_json: bool) -> None:
    """Show every module instance's state, or MODULE in detail."""
    pipeline = load_pipeline(config)
    store = Store(pipeline.store_path)
    statuses = compute_statuses(pipeline, store)
    if as_json:
        names = pipeline.instances if module is None else _instances(pipeline, module)
        click.echo(json.dumps(status_json(pipeline, statuses, names), indent=2))
        return
    from pimlico_lite import console

    out = console.make_console()
    if module is None:
        console.render_status_table(out, pipeline, statuses)
        return
    group, instances = resolve_name(pipeline, module)
    if group is not None and not instances:
        console.render_group(out, pipeline, group, statuses)
    for name in instances:
        console.render_instance(out, pipeline, store, name, statuses)


def _instances(pipeline: Pipeline, module: str) -> list[str]:
    group, instances = resolve_name(pipeline, module)
    return instances if instances or group is None else group.stages


def status_json(pipeline: Pipeline, statuses: dict[str, ModuleStatus], names: Any) -> dict[str, Any]:
    """The ``status --json`` document: ``{"pipeline": NAME, "modules": [{"name", "status", ...}, ...]}``."""
    modules = []
    for name in names:
        instance, module_status = pipeline.instances[name], statuses[name]
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
            }
        )
    return {"pipeline": pipeline.name, "modules": modules}
