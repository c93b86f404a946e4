"""``run``: execute modules (or every incomplete one), in dependency order."""

from __future__ import annotations

import click

from pimlico_lite.errors import UsageError
from pimlico_lite.execution import run as run_modules
from pimlico_lite.execution.planner import LIST_STAGES, resolve_name
from pimlico_lite.execution.status import compute_statuses
from pimlico_lite.pipeline import load_pipeline
from pimlico_lite.store import Store

from . import main


@main.command()
@click.argument("modules", nargs=-1)
@click.option("--all", "run_all", is_flag=True, help="Run every module instance that is not COMPLETE.")
@click.option("-f", "--force-rerun", is_flag=True, help="Run the modules even if they are COMPLETE.")
@click.option("--exit-on-error", is_flag=True, help="Stop at the first module that fails.")
@click.option("--debug", is_flag=True, help="Print the whole traceback of a failure.")
@click.pass_obj
def run(
    config: str, modules: tuple[str, ...], run_all: bool, force_rerun: bool, exit_on_error: bool, debug: bool
) -> None:
    """Run MODULES: NAME, NAME:STAGE, NAME:all (or 'NAME:*'), or 'NAME:?' to list the stages."""
    if not modules and not run_all:
        message = "name the modules to run, or give --all"
        raise UsageError(message)
    if modules and run_all:
        message = "give module names or --all, not both"
        raise UsageError(message)
    pipeline = load_pipeline(config)
    from pimlico_lite import console

    out = console.make_console()
    listings = [name for name in modules if name.endswith(f":{LIST_STAGES}")]
    if listings:
        statuses = compute_statuses(pipeline, Store(pipeline.store_path))
        for name in listings:
            group, _ = resolve_name(pipeline, name.removesuffix(f":{LIST_STAGES}"))
            if group is None:
                message = f"'{name}': {name.split(':')[0]} is not a multistage module, so it has no stages"
                raise UsageError(message)
            console.render_stages(out, group, statuses)
        if len(listings) < len(modules):
            out.print("(stages listed: nothing was run)")
        return
    reporter = console.ConsoleReporter(out, debug=debug)
    result = run_modules(
        pipeline, modules, run_all=run_all, force=force_rerun, exit_on_error=exit_on_error, reporter=reporter
    )
    for note in result.plan.notes:
        out.print(note)
    if run_all and not result.plan.targets:
        out.print("every module is complete: nothing to run")
    if result.failed:
        out.print(f"[red]{len(result.failed)} failed:[/] {', '.join(result.failed)}")
    raise SystemExit(result.exit_code)
