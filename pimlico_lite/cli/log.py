"""``log``: what a module instance's run wrote to its log, and its error if it failed."""

from __future__ import annotations

import click

from pimlico_lite.errors import UsageError, name_list

from . import main


@main.command()
@click.argument("module")
@click.option("--run", "run_id", type=int, help="Show this run (see status MODULE) instead of the last one.")
@click.pass_obj
def log(config: str, module: str, run_id: int | None) -> None:
    """Print the log of MODULE's last run (a stage: NAME:STAGE)."""
    from pimlico_lite.execution.planner import resolve_name
    from pimlico_lite.pipeline.cache import load_cached_pipeline
    from pimlico_lite.store import FAILED, RUNNING, Store
    from pimlico_lite.store.state import STALE_RUN_ERROR

    pipeline = load_cached_pipeline(config)
    group, instances = resolve_name(pipeline, module)
    if len(instances) != 1:
        message = f"'{module}' is a multistage module: name one stage, {name_list(group.stages if group else [])}"
        raise UsageError(message)
    store = Store(pipeline.store_path)
    runs = store.state.runs(instances[0])
    chosen = [run for run in runs if run_id is None or run.id == run_id]
    if not chosen:
        known = ", ".join(str(run.id) for run in runs) or "none yet"
        message = (
            f"{instances[0]} has no run {run_id}; its runs: {known}"
            if run_id is not None
            else f"{instances[0]} has not run"
        )
        raise UsageError(message)
    run = chosen[-1]
    state, error = run.state, run.error
    if state == RUNNING and not store.lock(instances[0]).is_held_elsewhere():
        state, error = FAILED, STALE_RUN_ERROR  # as status says: nothing runs it any more (killed?)
    took = f" in {run.duration:.2f}s" if run.duration is not None else ""
    memory = f", peak memory {run.peak_memory_kb / 1024:.1f} MiB" if run.peak_memory_kb else ""
    click.echo(f"# {instances[0]}, run {run.id}: {state}{took}{memory}", err=True)
    # A run that is running, or was killed, has its log in its log file: the database gets it at the end.
    click.echo(run.log or store.run_log(instances[0], run.id), nl=False)
    if error:
        click.echo(f"error: {error}")
    if run.traceback:
        click.echo(run.traceback, nl=False)
