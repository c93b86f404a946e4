"""``run``: execute modules (or every incomplete one), in dependency order."""

from __future__ import annotations

import math
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from pimlico_lite.errors import UsageError

from . import main

if TYPE_CHECKING:
    from pimlico_lite.execution.runner import ExecutorChoice, RunResult
    from pimlico_lite.pipeline import Pipeline

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_size(value: str | None) -> int | None:
    """Parse a memory size such as ``512M`` or ``2G`` (bytes without a unit)."""
    if value is None:
        return None
    text = value.strip().upper().removesuffix("B")
    number, unit = (text[:-1], text[-1]) if text and text[-1] in _UNITS else (text, "")
    message = f"expected a size between 64M and 8E such as 512M or 2G, got '{value}'"
    try:
        size = float(number) * _UNITS[unit]
    except ValueError:
        raise click.BadParameter(message) from None
    if not math.isfinite(size) or size < 64 * _UNITS["M"] or size >= 2**63:
        raise click.BadParameter(message)
    return int(size)


@main.command()
@click.argument("modules", nargs=-1)
@click.option("--all", "run_all", is_flag=True, help="Run every module instance that is not COMPLETE.")
@click.option("-f", "--force-rerun", is_flag=True, help="Run the modules even if they are COMPLETE.")
@click.option("--exit-on-error", is_flag=True, help="Stop at the first module that fails.")
@click.option("--debug", is_flag=True, help="Print the whole traceback of a failure.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Run up to this many modules at once (0: one per core).",
)
@click.option(
    "--executor",
    type=click.Choice(("local", "dask")),
    default="local",
    show_default=True,
    help="Where modules run: local worker processes, or a Dask cluster.",
)
@click.option("--scheduler", metavar="ADDRESS", help="The Dask scheduler (tcp://HOST:8786); default: a LocalCluster.")
@click.option(
    "--memory-limit",
    metavar="SIZE",
    callback=lambda ctx, param, value: parse_size(value),
    help="Limit each worker's memory (e.g. 2G); a module that exceeds it fails with MemoryError.",
)
@click.pass_obj
def run(
    config: str,
    modules: tuple[str, ...],
    run_all: bool,
    force_rerun: bool,
    exit_on_error: bool,
    debug: bool,
    jobs: int,
    executor: str,
    scheduler: str | None,
    memory_limit: int | None,
) -> None:
    """Run MODULES: NAME, NAME:STAGE, NAME:all (or 'NAME:*'), or 'NAME:?' to list the stages."""
    from pimlico_lite._signals import signals_raise_once
    from pimlico_lite.core.names import LIST_STAGES
    from pimlico_lite.execution.runner import ExecutorChoice
    from pimlico_lite.lines import standard_streams_replaced

    if not modules and not run_all:
        message = "name the modules to run, or give --all"
        raise UsageError(message)
    if modules and run_all:
        message = "give module names or --all, not both"
        raise UsageError(message)
    modules = tuple(name.strip() for name in modules)  # (as every name is read: 'model_train:? ' lists too)
    listings = [name for name in modules if name.endswith(f":{LIST_STAGES}")]
    choice = ExecutorChoice(executor, jobs, scheduler, memory_limit)
    # A pipe the run writes to may lose its reader (`run --all | head`): neither the run nor a module that prints
    # fails of it (forked workers inherit the guards; the others put up their own).
    # A Ctrl-C pressed twice is one: the second would cut short the recording of what the first stopped, or the
    # run's last lines, with a traceback.
    with standard_streams_replaced(), signals_raise_once(None):
        try:
            if not listings:
                choice.start_ahead()  # the workers start while the pipeline loads
            result = _run(config, modules, listings, run_all, force_rerun, exit_on_error, debug, choice)
        finally:
            choice.stop_ahead()
        if result is None:
            return
        for note in result.plan.notes:
            click.echo(note)
        if run_all and not result.plan.targets:
            click.echo("every module is complete: nothing to run")
        if result.failed:
            click.echo(f"{len(result.failed)} failed: {', '.join(result.failed)}")
    raise SystemExit(result.exit_code)


def _run(
    config: str,
    modules: tuple[str, ...],
    listings: list[str],
    run_all: bool,
    force_rerun: bool,
    exit_on_error: bool,
    debug: bool,
    choice: ExecutorChoice,
) -> RunResult | None:
    """Load the pipeline; list the stages asked for, or run the modules (None when only stages were listed)."""
    from pimlico_lite.core.names import LIST_STAGES
    from pimlico_lite.execution.planner import resolve_name
    from pimlico_lite.execution.runner import run as run_modules
    from pimlico_lite.execution.status import compute_statuses
    from pimlico_lite.pipeline.cache import load_cached_pipeline
    from pimlico_lite.store import Store

    pipeline = load_cached_pipeline(config)
    if listings:
        from pimlico_lite import console

        groups = []
        for name in modules:  # the names beside the listings are not run, but a wrong one is still wrong
            if name not in listings:
                resolve_name(pipeline, name)
                continue
            group, named = resolve_name(pipeline, name.removesuffix(f":{LIST_STAGES}"))
            if group is None:
                message = f"'{name}': {name.split(':')[0]} is not a multistage module, so it has no stages"
                raise UsageError(message)
            if named:  # 'm:stage:?'
                message = f"'{name}': to list the stages of {group.name}, give '{group.name}:{LIST_STAGES}'"
                raise UsageError(message)
            groups.append(group)
        out = console.make_console()
        statuses = compute_statuses(pipeline, Store(pipeline.store_path))
        for group in groups:
            console.render_stages(out, group, statuses)
        if len(listings) < len(modules):
            out.print("(stages listed: nothing was run)")
        return None
    reporter = _ReporterOnFirstEvent(debug, choice.name == "dask")
    try:
        return run_modules(
            pipeline,
            modules,
            run_all=run_all,
            force=force_rerun,
            exit_on_error=exit_on_error,
            reporter=reporter,
            executor=choice,
            on_start=lambda: _warn_of_another_config(pipeline),
        )
    finally:
        reporter.close()


def _warn_of_another_config(pipeline: Pipeline) -> None:
    """Warn when the pipeline's folder in the store was last run from another config file that is still there: two
    configs with the same pipeline name (a copy made to try a variant, say) share their modules' results, and each
    run replaces those the other set up differently. (The run notes this config as the last to run it.)"""
    from pimlico_lite.store import Store

    configs = Store(pipeline.store_path).configs()
    previous = configs[-1] if configs else ""
    if previous and previous != str(pipeline.config_path.resolve()) and os.path.isfile(previous):
        click.echo(
            f"Warning: the store's folder of pipeline '{pipeline.name}' ({pipeline.store_path}) was last run from"
            f" {previous}: the two configs share their modules' results, and a module that one sets up differently"
            " is run again, replacing the other's (`clean` refuses while both configs are there). Give this"
            " pipeline another name to keep both.",
            err=True,
        )


class _ReporterOnFirstEvent:
    """Stand in for the reporter until the run has something to report, so that a run with nothing to do imports
    nothing to report with: a live display on a terminal (rich), plain lines otherwise (no rich at all)."""

    def __init__(self, debug: bool, dask: bool) -> None:
        self.debug = debug
        self.dask = dask
        self.reporter: Any = None

    def __getattr__(self, name: str) -> Any:
        if self.reporter is None:
            self.reporter = self.make_reporter()
            self.reporter.__enter__()
        return getattr(self.reporter, name)

    def make_reporter(self) -> Any:
        # Dask's workers write what modules print to the terminal themselves, through the live display.
        if sys.stdout.isatty() and not self.dask:
            from pimlico_lite import console

            # Without markup: rich reads the start of a line that a module prints and flushes with the console's
            # markup setting (a "[/]" in it was an error that failed the module). The display's own lines are Text.
            out = console.make_console(markup=False)
            if console.can_show_live_display(out):
                return console.LiveReporter(out, self.debug)
        from pimlico_lite.lines import LineReporter

        return LineReporter(sys.stdout, self.debug)

    def close(self) -> None:
        """Stop the live display, if one was started."""
        if self.reporter is not None:
            self.reporter.__exit__(None, None, None)
