"""Rendering for the terminal with rich: status tables, module details, and a reporter for runs.

This is the only module that imports rich; the CLI imports it only when it has something to show.
"""

from __future__ import annotations

import contextlib
import datetime
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any, TextIO, cast

from rich.ansi import AnsiDecoder
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TimeElapsedColumn,
)
from rich.table import Column
from rich.text import Text

from pimlico_lite.execution.status import CODE_CHANGED_NOTE, ModuleStatus, State, ran_with_other_code
from pimlico_lite.lines import LineReporter, Piece, WholeLines, standard_streams_replaced
from pimlico_lite.pipeline.model import MultistageGroup, Pipeline
from pimlico_lite.store import RunRecord, Store

STATE_STYLES = {
    State.UNEXECUTED: "dim",
    State.RUNNING: "bold cyan",
    State.COMPLETE: "green",
    State.FAILED: "bold red",
    State.OUTDATED: "yellow",
}
MEMORY_NOTE = (
    "the peak resident memory of the process that ran it, from the module's start to its end;"
    " it includes what that process already held"
)


def make_console(stderr: bool = False, markup: bool = True) -> Console:
    """A console for standard output (or standard error), colour only on a terminal; ``markup=False`` for one that
    shows what modules print, which is text, not rich markup."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=markup)


# Characters of the live display, and of the lines it prints.
_DISPLAY_CHARACTERS = "⠋━✓✗…"


def can_show_live_display(console: Console) -> bool:
    """Whether ``console`` is a terminal that can show the live display: one that moves its cursor (not
    ``TERM=dumb``), with an encoding that has the display's characters (not ``PYTHONIOENCODING=latin-1``)."""
    if not console.is_terminal or console.is_dumb_terminal:
        return False
    try:
        _DISPLAY_CHARACTERS.encode(console.encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def styled(state: State) -> str:
    """The state as rich markup."""
    return f"[{STATE_STYLES[state]}]{state}[/]"


def render_instance(
    console: Console, pipeline: Pipeline, store: Store, name: str, statuses: Mapping[str, ModuleStatus]
) -> None:
    """Everything about one module instance: description, state and why, inputs, options, outputs, last run."""
    instance = pipeline.instances[name]
    status = statuses[name]
    console.print(f"[bold]{escape(name)}[/]  {styled(status.state)}")
    if instance.description:
        console.print(escape(instance.description), style="italic")
    readable = f" ({escape(instance.info.module_readable_name)})" if instance.info.module_readable_name else ""
    runs = f", which runs {escape(instance.info.type_label())}" if instance.stage is not None else ""
    console.print(f"type: {escape(instance.type_path)}{runs}{readable}")
    for reason in status.reasons:
        console.print(f"  [yellow]why:[/] {escape(reason)}")
    if ran_with_other_code(instance, status):
        console.print(f"  [yellow]note:[/] {escape(CODE_CHANGED_NOTE.format(name=name))}")
    if instance.inputs:
        console.print("inputs:")
        for input_name, connections in instance.inputs.items():
            for connection in connections:
                state = statuses[connection.producer].state
                console.print(f"  {escape(input_name)} <- {escape(str(connection))} ({styled(state)})")
    _render_options(console, instance.options)
    console.print("outputs:")
    record = status.record
    for output, datatype in instance.info.output_datatypes().items():
        where = ""
        if status.state in (State.COMPLETE, State.OUTDATED) and record and record.complete_run_id:
            folder = store.run_dir(name, record.complete_run_id) / output
            # (an output added or renamed since that run, or a folder deleted: not there to read)
            where = f" at {folder}" if folder.is_dir() else f": not there ({folder}): run it again"
        console.print(f"  {escape(output)} ({type(datatype).__name__}){escape(where)}")
    if record is not None:
        run = store.state.run(record.run_id)
        if run is not None:
            # A run recorded RUNNING that nothing runs any more (killed?) is FAILED, as the state above says.
            stale = run.state == State.RUNNING.value and status.state is State.FAILED
            _render_run(console, run, State.FAILED.value if stale else run.state)


def render_group(
    console: Console, pipeline: Pipeline, group: MultistageGroup, statuses: Mapping[str, ModuleStatus]
) -> None:
    """A multistage module: description, its stages with their states, options and outputs."""
    console.print(f"[bold]{escape(group.name)}[/]  multistage module ({escape(group.type_path)})")
    if group.description:
        console.print(escape(group.description), style="italic")
    render_stages(console, group, statuses)
    _render_options(console, group.options)
    console.print("outputs:")
    for output, (producer, stage_output) in group.outputs.items():
        console.print(f"  {escape(output)} <- {escape(producer)}.{escape(stage_output)}")


def render_stages(console: Console, group: MultistageGroup, statuses: Mapping[str, ModuleStatus]) -> None:
    """The stages of a multistage module, in order, with their states."""
    console.print(f"stages of {escape(group.name)}:")
    for stage in group.stages:
        console.print(f"  {escape(stage)}  {styled(statuses[stage].state)}")


def _render_options(console: Console, options: Mapping[str, Any]) -> None:
    if options:
        console.print("options:")
        for option, value in options.items():
            console.print(f"  {escape(option)} = {escape(repr(value))}")


def _render_run(console: Console, run: RunRecord, state: str) -> None:
    started = datetime.datetime.fromtimestamp(run.started).isoformat(sep=" ", timespec="seconds")
    duration = f", took {run.duration:.2f}s" if run.duration is not None else ""
    console.print(f"last run: #{run.id} {state}, started {started}{duration}")
    if run.peak_memory_kb is not None:
        console.print(f"  peak memory: {run.peak_memory_kb / 1024:.1f} MiB: {MEMORY_NOTE}", style="dim")
    if run.error:
        console.print(f"  error: {escape(run.error)}", style="red")
    if run.traceback:
        console.print(escape(run.traceback.rstrip()), style="dim")


# How long a line waits to be printed above the live display with the lines that come after it. Each print redraws
# the display (a millisecond or more, with a few modules running): a module printing or logging a line per item was
# held up by it, 5000 lines took 15 seconds, where lines gathered for a twentieth of a second cost one redraw.
_PRINT_EVERY_SECONDS = 0.05


class LiveReporter(LineReporter):
    """On a terminal: a live display with a line per running module (elapsed time, progress) and counts.

    Events that end a module, log lines, and what modules print, are printed above the display, in colour, with the
    words of :class:`~pimlico_lite.lines.LineReporter`: gathered, and printed together every
    ``_PRINT_EVERY_SECONDS`` and when the display stops.
    """

    def __init__(self, console: Console, debug: bool = False) -> None:
        super().__init__(cast(TextIO, console.file), debug)  # (a terminal's text stream; rich types it IO[str])
        self.console = console
        self.progress = _RunProgress(console)
        self.tasks: dict[str, TaskID] = {}
        self.lines: list[Text] = []  # to print above the display
        self.lines_lock = threading.Lock()
        self.printing = threading.Lock()  # (lines taken and printed by one thread at a time: in their order)
        self.printed_at = 0.0
        self.stopping = threading.Event()
        self.printer = threading.Thread(target=self._print_every_while, name="pimlico-lite-lines", daemon=True)
        self.streams = contextlib.ExitStack()

    def __enter__(self) -> LiveReporter:
        self.progress.start()
        # What a module prints goes above the display too; standard error only when it is the display's terminal
        # too: `run ... 2> errors.log` keeps it in the file.
        redirected = {"stdout", "stderr"} if sys.stderr.isatty() else {"stdout"}
        self.streams.enter_context(
            standard_streams_replaced(lambda name, stream: _Printed(self, stream) if name in redirected else stream)
        )
        self.printer.start()
        return self

    def __exit__(self, *exception: object) -> None:
        self.stopping.set()
        self.printer.join()
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, _Printed):
                stream.flush()  # a line a module left unended
        self.streams.close()
        self.print_lines()
        self.progress.stop()

    def write(self, *pieces: Piece) -> None:
        """Print one line above the display (soon: see ``_PRINT_EVERY_SECONDS``), each piece in its style."""
        self.add_lines([Text.assemble(*pieces)])

    def add_lines(self, lines: list[Text]) -> None:
        """Print ``lines`` above the display: at once when none was printed for ``_PRINT_EVERY_SECONDS`` (a line
        held back was lost when the process died right after it: a C library's crash in a module with -j 1), else
        with those that follow."""
        with self.lines_lock:
            self.lines.extend(lines)
            due = time.monotonic() - self.printed_at >= _PRINT_EVERY_SECONDS
        if due:
            self.print_lines()

    def _print_every_while(self) -> None:
        while not self.stopping.wait(_PRINT_EVERY_SECONDS):
            with contextlib.suppress(OSError, ValueError):  # the terminal has gone: the run goes on without it
                self.print_lines()

    def print_lines(self) -> None:
        """Print the lines gathered, in one print (which redraws the display once).

        Under the lock that rich's refresh thread redraws the display under: rich works out where the display is
        before it draws a line, and a redraw in between left it one line off, erasing a line printed above it (a
        `✓ ... COMPLETE` in 7 of 10 runs of 200 modules with -j 4, replayed in a terminal emulator)."""
        with self.printing:
            with self.lines_lock:
                lines, self.lines = self.lines, []
                self.printed_at = time.monotonic()
            if lines:
                with getattr(self.progress.live, "_lock", contextlib.nullcontext()):
                    self.console.print(Text("\n").join(lines))

    def run_started(self, names: list[str]) -> None:
        """Count what this run will try to do."""
        self.progress.counts = {"total": len(names), "done": 0, "failed": 0, "not run": 0}

    def module_started(self, name: str, run_id: int) -> None:
        """Print that ``name`` started (with its run's id, for ``log --run``), and add a line for it."""
        super().module_started(name, run_id)
        self.tasks[name] = self.progress.add_task(name, total=None)

    def _end(self, name: str, outcome: str) -> None:
        self.progress.counts[outcome] = self.progress.counts.get(outcome, 0) + 1
        task = self.tasks.pop(name, None)
        if task is not None:
            self.progress.remove_task(task)

    def module_finished(self, name: str, seconds: float) -> None:
        """Remove the line of ``name`` and print that it completed."""
        self._end(name, "done")
        super().module_finished(name, seconds)

    def module_failed(self, name: str, error: str, traceback: str) -> None:
        """Remove the line of ``name`` and print its error."""
        self._end(name, "failed")
        super().module_failed(name, error, traceback)

    def module_skipped(self, name: str, reason: str) -> None:
        """Count ``name`` as done and print why it needs no run."""
        self._end(name, "done")
        super().module_skipped(name, reason)

    def module_not_run(self, name: str, reason: str) -> None:
        """Count ``name`` as not run and print why it could not run."""
        self._end(name, "not run")
        super().module_not_run(name, reason)

    def module_progress(self, name: str, done: int, total: int | None) -> None:
        """Move the bar of ``name``."""
        task = self.tasks.get(name)
        if task is not None:
            self.progress.update(task, completed=done, total=total)


# What a line of the live display keeps for the spinner, the bar (some of it), the percentage and the elapsed time.
_BESIDE_THE_NAME = 26


def shortened(name: str, width: int) -> str:
    """``name`` in at most ``width`` columns of the terminal, shortened in the middle, keeping a stage's name
    (``:stage``) whole when it takes at most half of them. (A wide character, Chinese say, takes two columns.)"""
    if cell_len(name) <= width:
        return name
    stage = name[name.rfind(":") :] if ":" in name else ""
    if stage and cell_len(stage) <= width // 2:
        tail = stage
    else:
        start = len(name)  # the longest end of the name in a third of the width
        while start > 0 and cell_len(name[start - 1 :]) <= (width - 1) // 3:
            start -= 1
        tail = name[start:]
    end = 0  # and the longest start in what is left
    while end < len(name) and cell_len(name[: end + 1]) <= width - 1 - cell_len(tail):
        end += 1
    return name[:end] + "…" + tail


class _Spinner(SpinnerColumn):
    """A spinner that turns while the module runs, its work counted to the end or not (rich stops it there)."""

    def render(self, task: Task) -> RenderableType:
        return self.spinner.render(task.get_time())


class _Elapsed(TimeElapsedColumn):
    """The time since the module started, still counting when its work is counted to the end (rich stops it there,
    and a module that saves for a minute after its last item looked stuck)."""

    def render(self, task: Task) -> Text:
        return Text(str(datetime.timedelta(seconds=int(task.elapsed or 0))), style="progress.elapsed")


class _NameColumn(ProgressColumn):
    """A running module's name, as text (not markup), shortened to leave room for its bar and times."""

    def __init__(self) -> None:
        super().__init__(table_column=Column(no_wrap=True))
        self.width = 80

    def render(self, task: Task) -> Text:
        return Text(shortened(task.description, self.width))


class _RunProgress(Progress):
    """rich's Progress, with a line of counts under the running modules."""

    def __init__(self, console: Console) -> None:
        self.counts: dict[str, int] = {"total": 0, "done": 0, "failed": 0, "not run": 0}  # rendered from the start
        self.names = _NameColumn()
        self.terminal = console  # (Progress.console is not there yet when it first renders, in its __init__)
        super().__init__(
            _Spinner(),
            self.names,
            BarColumn(),
            TaskProgressColumn(),
            _Elapsed(),
            console=console,
            transient=True,
            redirect_stdout=False,  # (LiveReporter does it, printing lines together)
            redirect_stderr=False,
        )

    def refresh(self) -> None:
        """Nothing: rich's refresh thread redraws the display ten times a second. (rich redrew it at every module's
        start as well, a few milliseconds each: a chain of 1000 trivial modules took 12 s on a terminal, 1.3 s with
        its output to a file.)"""

    def get_renderables(self) -> Iterable[RenderableType]:
        # A long name on a narrow terminal took the whole line, and rich cut off the bar and times (the terminal's
        # width is read each time: it may change during a run).
        self.names.width = max(8, self.terminal.width - _BESIDE_THE_NAME)
        running = len(self.tasks)
        counts = self.counts
        waiting = counts["total"] - counts["done"] - counts["failed"] - counts["not run"] - running
        yield self.make_tasks_table(self.tasks)
        not_run = f", {counts['not run']} not run" if counts["not run"] else ""
        yield Text.from_markup(
            f"[green]{counts['done']} done[/], [cyan]{running} running[/], {max(waiting, 0)} waiting,"
            f" [red]{counts['failed']} failed[/]{not_run}"
        )


class _Printed(WholeLines):
    """``sys.stdout`` or ``sys.stderr`` while the live display shows: each line written (a module's ``print()``) is
    printed above the display by ``reporter``, its colours (ANSI codes) kept. The terminal's own stream in every
    other way (for rich as well, which would otherwise write into this)."""

    def __init__(self, reporter: LiveReporter, stream: TextIO) -> None:
        super().__init__(stream)
        self.reporter = reporter
        self.decoder = AnsiDecoder()

    @property
    def rich_proxied_file(self) -> TextIO:
        """The terminal (rich's name for it)."""
        return self.stream

    def hand_on(self, text: str) -> None:
        """Print the lines of ``text`` above the display."""
        self.reporter.add_lines([self.decoder.decode_line(line) for line in text.removesuffix("\n").split("\n")])
