"""The command line: ``pimlico-lite CONFIG COMMAND ...``. The only package that imports click.

Errors that users cause (:class:`PimlicoLiteError`) are caught in exactly one place, :class:`_Main.invoke`,
printed without a traceback, and turned into the error's exit code.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import click

from pimlico_lite import __version__
from pimlico_lite._entry import ignore_interrupts_till_exit
from pimlico_lite.encoding import escape_what_cannot_be_shown
from pimlico_lite.errors import InterruptedRunError, PimlicoLiteError, UsageError


class _Main(click.Group):
    """The root group: runs a command and turns pimlico_lite's errors into messages and exit codes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in self.commands and not self._names_a_config(args) and not ctx.resilient_parsing:
            # A command where the config belongs: the config comes after it, or is missing.
            rest = args[1:]
            config = next((arg for arg in rest if os.path.isfile(arg)), None)
            if config is not None:
                rest.remove(config)
            example = " ".join([config or "CONFIG", args[0], *rest])
            ctx.fail(f"'{args[0]}' is a command: the config file comes first: pimlico-lite {example}")
        return super().parse_args(ctx, args)

    def _names_a_config(self, args: list[str]) -> bool:
        """Whether ``args[0]``, the name of a command, is the config all the same: a file, followed by nothing, an
        option or a command (not by what looks like a config or a module's name)."""
        rest = args[1:2]
        return os.path.isfile(args[0]) and (not rest or rest[0].startswith("-") or rest[0] in self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        escape_what_cannot_be_shown()
        try:
            return super().invoke(ctx)
        except (InterruptedRunError, PimlicoLiteError) as error:  # (the first a KeyboardInterrupt: caught before it)
            if isinstance(error, InterruptedRunError):
                ignore_interrupts_till_exit()
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            ignore_interrupts_till_exit()
            click.echo("Interrupted", err=True)
            ctx.exit(130)
        except OSError as error:
            if error.errno == errno.EPIPE:  # `status | true`: the output's reader went away, after the work was done
                from pimlico_lite.lines import lead_nowhere

                lead_nowhere(sys.stdout)  # (so that Python's last flush does not meet the closed pipe again)
                ctx.exit(0)
            if error.errno in (errno.ENAMETOOLONG, errno.EACCES, errno.EPERM) and error.filename:
                # A path in the config or on the command line, or one made of them, too long; or a file or folder
                # this user may not use (another user's store, say), wherever the command met it first.
                click.echo(f"Error: {error.strerror}: {error.filename}", err=True)
                ctx.exit(2)
            if error.errno not in (errno.EMFILE, errno.ENFILE):
                raise
            # A limit of the system, not a bug: the run has recorded how each module it had started ended.
            advice = "run fewer modules at once (a smaller -j), or raise the limit (ulimit -n)"
            click.echo(f"Error: {error.strerror}: {advice}", err=True)
            ctx.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pimlico-lite")
@click.argument("config", type=click.Path(dir_okay=False))
@click.pass_context
def main(ctx: click.Context, config: str) -> None:
    """Run the pipeline described by the config file CONFIG.

    \b
    pimlico-lite pipeline.conf status              every module and its state
    pimlico-lite pipeline.conf run MODULE ...      run modules (MODULE:STAGE, MODULE:all, 'MODULE:?')
    pimlico-lite pipeline.conf run --all           run everything not yet complete
    pimlico-lite pipeline.conf reset MODULE        forget a module's outputs, and its dependents'
    pimlico-lite pipeline.conf log MODULE          what a module's last run logged
    pimlico-lite pipeline.conf clean               delete what modules no longer in the config left
    """
    try:  # relative paths, and messages that name files relative to it, need it
        os.getcwd()
    except FileNotFoundError:
        message = "the working folder is gone (deleted or moved under this shell): change to another one"
        raise UsageError(message) from None
    ctx.obj = config


from pimlico_lite.cli import log, reset, run, status  # noqa: E402  (the commands register themselves on main)

__all__ = ["log", "main", "reset", "run", "status"]
