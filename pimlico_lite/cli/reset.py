"""``reset``: delete modules' outputs and state, and those of everything downstream; ``clean``: those of modules the
config no longer has."""

from __future__ import annotations

import sys

import click

from pimlico_lite.errors import UsageError

from . import main


def on_terminal() -> bool:
    """Whether a person can answer a question: standard input is a terminal."""
    return sys.stdin.isatty()


@main.command()
@click.argument("modules", nargs=-1, required=True)
@click.option("-y", "--yes", is_flag=True, help="Do not ask before resetting dependent modules too.")
@click.option("--no-deps", is_flag=True, help="Reset only the named modules, not those downstream.")
@click.pass_obj
def reset(config: str, modules: tuple[str, ...], yes: bool, no_deps: bool) -> None:
    """Forget the outputs and state of MODULES and of every module that depends on them."""
    from pimlico_lite.execution.reset import plan_reset, with_state_or_outputs
    from pimlico_lite.execution.reset import reset as reset_modules
    from pimlico_lite.pipeline.cache import load_cached_pipeline

    pipeline = load_cached_pipeline(config)
    named = plan_reset(pipeline, modules, with_dependents=False)
    instances = named if no_deps else plan_reset(pipeline, modules)
    changed = with_state_or_outputs(pipeline, instances)
    # Only modules downstream that have something to lose are worth a question.
    at_stake = [] if yes else [name for name in changed if name not in named]
    if at_stake:
        if not on_terminal():  # nobody to ask: deleting more than was named needs to be asked for
            message = (
                f"this would also reset the modules downstream: {', '.join(at_stake)}; standard input is not a"
                " terminal, so nobody can be asked: add -y to reset them too, or --no-deps for only the named ones"
            )
            raise UsageError(message)
        click.echo(f"This also resets the modules downstream: {', '.join(at_stake)}")
        click.confirm("Reset them all?", abort=True)
    linked = reset_modules(pipeline, instances)
    if changed:
        click.echo(f"reset {len(changed)} module instance(s): {', '.join(changed)}")
    else:
        click.echo(f"nothing to reset: no state or outputs for {', '.join(instances)}")
    _say_linked(linked)


@main.command()
@click.option("-y", "--yes", is_flag=True, help="Do not ask before deleting.")
@click.option("--dry-run", is_flag=True, help="List what would be deleted, and delete nothing.")
@click.option(
    "--only-config",
    is_flag=True,
    help="No other config file runs this store: what -y needs for a store whose list of configs is an older version's.",
)
@click.pass_obj
def clean(config: str, yes: bool, dry_run: bool, only_config: bool) -> None:
    """Delete the outputs and state of module instances that are no longer in the config."""
    from pimlico_lite.execution.reset import clean as clean_up
    from pimlico_lite.execution.reset import left_behind, refuse_if_shared
    from pimlico_lite.pipeline.cache import load_cached_pipeline
    from pimlico_lite.store import Store

    pipeline = load_cached_pipeline(config)
    refuse_if_shared(pipeline)
    names = left_behind(pipeline)
    if not names:
        click.echo(f"nothing to clean: the store of pipeline '{pipeline.name}' holds only modules of its config")
        return
    from rich.filesize import decimal

    store = Store(pipeline.store_path)
    size = decimal(sum(store.run_bytes(name) for name in names if not store.is_linked(name)))
    click.echo(f"Not in the config: {', '.join(names)} ({size} of outputs and logs)")
    known = store.knows_its_configs() or only_config
    if not known:
        click.echo(
            "(The store's list of the config files that run it was made by an older pimlico_lite, which may have left"
            f" some out: if another config of pipeline '{pipeline.name}' runs this store, these may be its modules.)"
        )
    if dry_run:
        click.echo("(--dry-run: nothing was deleted)")
        return
    if not known and yes:
        message = (
            "clean cannot tell whose these modules are, so -y does not delete them: check that no other config of"
            f" pipeline '{pipeline.name}' runs this store, then add --only-config, or clean without -y and answer the"
            " question (once: the store knows its configs from then on)"
        )
        raise UsageError(message)
    if not yes:
        if not on_terminal():
            add = "-y" if known else "-y --only-config, once no other config runs this store,"
            message = f"standard input is not a terminal, so nobody can be asked: add {add} to delete them"
            raise UsageError(message)
        click.confirm("Delete their outputs and state?", abort=True)
    linked = clean_up(pipeline, names)  # (which looks for other configs again: the question took time)
    if not store.knows_its_configs():  # (asked and answered, or told: this config is the one that runs the store)
        store.note_config(str(pipeline.config_path.resolve()), last=False, vouched=True)
    click.echo(f"cleaned up {len(names)} module instance(s): {', '.join(names)}")
    _say_linked(linked)


def _say_linked(linked: list[str]) -> None:
    if linked:
        click.echo(f"(only the state of {', '.join(linked)}: a symbolic link stands for its folder, left as it is)")
