"""The one exception hierarchy of pimlico_lite.

Every error a user can cause derives from :class:`PimlicoLiteError` and carries the exit code the CLI uses.
Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple


class PimlicoLiteError(Exception):
    """Root of every error that pimlico_lite reports to a user without a traceback."""

    exit_code = 1


class UsageError(PimlicoLiteError):
    """A command was given something it cannot act on (an unknown module name, say)."""

    exit_code = 2


class ModuleTypeError(PimlicoLiteError):
    """A module type is defined wrongly (its ``info.py``, or a multistage definition)."""

    exit_code = 2


class ModuleFailedError(PimlicoLiteError):
    """A module instance raised an error while it executed."""

    exit_code = 1


class NotReadyError(PimlicoLiteError):
    """A module cannot run yet, because one of its inputs is not ready."""

    exit_code = 1


class StoreError(PimlicoLiteError):
    """The store cannot be used (bad path, unreadable state database)."""

    exit_code = 2


class OptionError(ValueError):
    """A module cannot use the value of one of its options, found when it runs: raise it from ``execute()``
    (``raise OptionError(self.option_key("C"), message)``). The run's record and its message then say where the
    config sets that option (``my.conf:38 [model_train] train_C: expected a positive number``).

    ``key`` is the option's config key (:meth:`~pimlico_lite.BaseModuleExecutor.option_key`: ``train_C`` for a
    stage's ``C``); ``message`` says what is wrong with its value, without naming the key again.
    """

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message

    def __reduce__(self) -> tuple[type[OptionError], tuple[str, str]]:
        """Made again from its key and message (a process pool's worker sends it back pickled)."""
        return type(self), (self.key, self.message)


class InterruptedRunError(KeyboardInterrupt):
    """The run was interrupted by Ctrl-C (SIGINT), SIGTERM, or SIGHUP (its terminal closed), after it recorded how
    each running module ended. A KeyboardInterrupt, not a PimlicoLiteError: a script's ``except Exception`` around
    ``pimlico_lite.run`` must not take a Ctrl-C for a failure and go on."""

    def __init__(self, signal_name: str = "SIGINT") -> None:
        super().__init__(f"interrupted by {signal_name}")
        self.signal_name = signal_name
        self.exit_code = {"SIGTERM": 143, "SIGHUP": 129}.get(signal_name, 130)


def failure_in_user_code(what: str, error: BaseException) -> ModuleTypeError:
    """A ModuleTypeError for ``error``, raised by a module type's own code (its ``info.py``, a datatype of its, a
    helper they import) while pimlico_lite called it for ``what``: the error, and where it was raised."""
    return ModuleTypeError(f"{what} failed: {type(error).__name__}: {error}{where_raised(error)}")


def where_raised(error: BaseException) -> str:
    """`` (at FILE, line N)``: the innermost line of a user's code in ``error``'s traceback (not pimlico_lite's, nor
    Python's or an installed library's: a module type's own, or a helper it imports), else the innermost line of
    Python code outside the import machinery; nothing for a SyntaxError, whose message names its place."""
    import os
    import sys
    import traceback

    if isinstance(error, SyntaxError):
        return ""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if not frame.filename.startswith("<")]
    not_users = tuple(
        {os.path.join(os.path.dirname(__file__), ""), *(os.path.join(p, "") for p in (sys.prefix, sys.base_prefix))}
    )
    users = [frame for frame in frames if not frame.filename.startswith(not_users)]
    if not (users or frames):
        return ""
    frame = (users or frames)[-1]
    return f" (at {frame.filename}, line {frame.lineno})"


class Location(NamedTuple):
    """Where in a config file something was written."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


class Problem(NamedTuple):
    """One thing wrong with a pipeline config, and where it is."""

    message: str
    location: Location | None = None
    section: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(str(self.location))
        if self.section is not None:
            parts.append(f"[{self.section}]" + (f" {self.key}:" if self.key else ""))
        elif self.key is not None:
            parts.append(f"{self.key}:")
        prefix = " ".join(parts)
        if prefix and not prefix.endswith(":"):
            prefix += ":"
        said = f"{prefix} {self.message}" if prefix else self.message
        if len(said) <= MOST_PROBLEM_CHARACTERS:
            return said
        # (a value of 100 000 characters quoted whole made one line of 100 KB: its start and its end say enough)
        left_out = len(said) - MOST_PROBLEM_CHARACTERS
        return f"{said[: MOST_PROBLEM_CHARACTERS - 200]} ... ({left_out} characters left out) ... {said[-200:]}"


# The most problems of a config that an error message lists, and the most characters it shows of one.
MOST_PROBLEMS_SHOWN = 50
MOST_PROBLEM_CHARACTERS = 1000


class ConfigError(PimlicoLiteError):
    """A pipeline config is wrong; holds every problem found, so all are reported at once."""

    exit_code = 2

    def __init__(self, problems: Sequence[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        shown = [str(problem) for problem in self.problems[:MOST_PROBLEMS_SHOWN]]
        if len(self.problems) > MOST_PROBLEMS_SHOWN:  # (a file that is not a config: a CSV file of 20 000 lines, say)
            shown.append(f"... and {len(self.problems) - MOST_PROBLEMS_SHOWN} more problems")
        super().__init__("\n".join(shown))


def closest(name: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The one of ``choices`` closest to ``name`` if one is close enough to be a likely misspelling (difflib's ratio
    at least ``cutoff``), else None."""
    import difflib  # only when there is a mistake to explain

    # Case does not count: 'FAST' is a misspelling of 'fast', however short the name.
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    folded = name.casefold()
    if folded in by_folded and by_folded[folded] != name:
        return by_folded[folded]
    matches = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=cutoff)
    return by_folded[matches[0]] if matches else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest of ``choices`` to ``name``, or an empty string."""
    match = closest(name, choices)
    return f" (did you mean '{match}'?)" if match else ""


def name_list(choices: Iterable[str]) -> str:
    """Format names for a message: ``'a', 'b', 'c'``, or ``(none)``."""
    names = [f"'{choice}'" for choice in choices]
    return ", ".join(names) if names else "(none)"
