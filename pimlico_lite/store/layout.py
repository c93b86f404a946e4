"""Where a pipeline's outputs, state database and locks live inside its store folder.

::

    <store>/<pipeline>/state.sqlite
    <store>/<pipeline>/config-path                                        the config files that ran it
    <store>/<pipeline>/modules/<module>/run-<id>/<output>/...            a plain module
    <store>/<pipeline>/modules/<module>/<stage>/run-<id>/<output>/...    a stage of a multistage module

A run writes into ``run-<id>.partial``, renamed to ``run-<id>`` when ``execute()`` returns; the state database
says which ``run-<id>`` holds a module's current outputs, so a folder the database does not name is not output.
The run's log lines go to ``run-<id>.log`` beside it as they come, until its end is recorded with them.
A process running a module instance holds an exclusive ``flock`` on its folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from pathlib import Path
from types import TracebackType

from pimlico_lite.core.names import check_name, folder_name, name_of_folder
from pimlico_lite.errors import StoreError
from pimlico_lite.store.state import StateDatabase

RUN_PREFIX = "run-"
PARTIAL_SUFFIX = ".partial"
LOG_SUFFIX = ".log"
# In a pipeline's folder of the store: the config files that have run it, the last last (NUL between them), after
# where that folder was when the list was written (_STORE_ENTRY and its path as the config names it, unresolved: a
# store that is a link, or in one, moves with its project) and, in a list that has noted every config since the
# store was made, _EVERY_CONFIG. (Older versions wrote the paths alone, and kept only the last before 23 November:
# such a list may leave configs out.)
CONFIG_MARKER = "config-path"
_STORE_ENTRY = "\x1fstore "
_EVERY_CONFIG = "\x1fevery config"
# The most of a run's log file that is read back into its record (a runaway log must not outgrow the database).
RUN_LOG_MOST = 16 * 1024 * 1024


class Store:
    """One pipeline's folder in the store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state = StateDatabase(path / "state.sqlite")
        self._folders: dict[str, Path] = {}
        self._checked: set[str] = set()  # folders that checked_module_dir() has let through
        self._modules = f"{path}{os.sep}modules{os.sep}"

    def prepare(self) -> None:
        """Create the store folder, or raise StoreError saying why it cannot be used."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            message = f"cannot use the store {self.path}: {what_blocks(self.path) or error.strerror or error}"
            raise StoreError(message) from None
        if not os.access(self.path, os.W_OK):
            message = f"cannot use the store {self.path}: it is not writable"
            raise StoreError(message)
        self.state.connect()

    def module_dir(self, name: str) -> Path:
        """The folder of module instance ``name`` (``module`` or ``module:stage``).

        Names are checked (no ``/``, ``..`` and the like), so the folder is below the store's path; before writing
        or deleting anything, use :meth:`checked_module_dir`, which also refuses symbolic links leading out.
        """
        folder = self._folders.get(name)
        if folder is None:
            parts = name.split(":")
            for part in parts:
                problem = check_name(part)
                if problem:
                    raise StoreError(problem)
            folder = self._folders[name] = self.path.joinpath("modules", *map(folder_name, parts))
        return folder

    def checked_module_dir(self, name: str) -> Path:
        """:meth:`module_dir`, refusing it if a symbolic link in the store makes it lead outside the store.

        Each folder on the way is checked once per :class:`Store`: links are something a user makes between
        commands, and a run of a thousand modules would otherwise look at ``modules/`` a thousand times.
        """
        folder = self.module_dir(name)
        # Only links below the store's own folder matter (the store itself may be a link, to a larger disk, say).
        path = str(self.path)
        for part in ("modules", *map(folder_name, name.split(":"))):
            path = os.path.join(path, part)
            if path in self._checked:
                continue
            try:
                is_link = stat.S_ISLNK(os.lstat(path).st_mode)
            except FileNotFoundError:
                break
            if is_link and not Path(path).resolve().is_relative_to(self.path.resolve()):
                message = (
                    f"{folder} leads outside the store (to {folder.resolve()}): refusing to use it; to keep outputs"
                    " elsewhere, link the store's folder itself"
                )
                raise StoreError(message)
            self._checked.add(path)
        return folder

    def run_dir(self, name: str, run_id: int) -> Path:
        """The folder of the outputs written by run ``run_id`` of ``name``."""
        return self.module_dir(name) / f"{RUN_PREFIX}{run_id}"

    def missing_folder(self, name: str, run_id: int, outputs: tuple[str, ...]) -> tuple[str, str | None] | None:
        """The first folder of run ``run_id`` of ``name`` that is not there, with the output it is the folder of
        (None for the run's own folder); None when the folders of ``outputs`` are all there (or, with none, the
        run's). Asked of every COMPLETE module by ``status``: a path made as a string and ``os.access`` cost
        ``status`` of 1000 modules 1% more instructions, where ``os.path.isdir``, which makes a stat result, cost
        2.4%; the name is one the pipeline has checked. The files in an output's folder are not looked at."""
        run = f"{self._modules}{folder_name(name).replace(':', os.sep)}{os.sep}{RUN_PREFIX}{run_id}"
        for output in outputs:
            if not os.access(f"{run}{os.sep}{output}", os.F_OK):
                return (run, None) if not os.access(run, os.F_OK) else (f"{run}{os.sep}{output}", output)
        return (run, None) if not outputs and not os.access(run, os.F_OK) else None

    def partial_dir(self, name: str, run_id: int) -> Path:
        """The folder run ``run_id`` writes into until it completes."""
        return self.module_dir(name) / f"{RUN_PREFIX}{run_id}{PARTIAL_SUFFIX}"

    def run_log_path(self, name: str, run_id: int) -> str:
        """The file run ``run_id`` writes its log lines to as they come; the state database gets them at the end.

        A string, not a Path: it is made for every module started, most of which log nothing, and a Path costs a
        run of 1000 trivial modules 1% more."""
        return f"{self.module_dir(name)}{os.sep}{RUN_PREFIX}{run_id}{LOG_SUFFIX}"

    def run_log(self, name: str, run_id: int) -> str:
        """What run ``run_id`` has written to its log file so far ("" if none is there): its last RUN_LOG_MOST bytes,
        after a line that says how much is left out, for a log too large to keep in the state database."""
        try:
            with open(self.run_log_path(name, run_id), "rb") as log:
                size = log.seek(0, os.SEEK_END)
                log.seek(max(0, size - RUN_LOG_MOST))
                text = log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""
        return text if size <= RUN_LOG_MOST else _left_out(size - RUN_LOG_MOST, text)

    def remove_run_log(self, name: str, run_id: int) -> None:
        """Delete the log file of run ``run_id``, once its end is recorded with the log."""
        with contextlib.suppress(OSError):
            os.unlink(self.run_log_path(name, run_id))

    def configs(self) -> list[str]:
        """The config files (resolved paths) that have run the pipeline, the last to run it last. Where the store's
        folder has moved since they were noted (a project folder moved or copied whole, its configs with it), each
        is where it would be now, when it is there: the one noted may be gone, or be the original of a copy."""
        return self._noted()[0]

    def knows_its_configs(self) -> bool:
        """Whether :meth:`configs` holds every config file that has run the pipeline: its list was begun with the
        store, or since vouched for (see :meth:`note_config`), not left by a version that kept only the last."""
        return self._noted()[1]

    def _noted(self) -> tuple[list[str], bool]:
        try:
            text = (self.path / CONFIG_MARKER).read_text(encoding="utf-8", errors="surrogateescape")
        except FileNotFoundError:  # (a store made before configs were noted, or none yet: none are known)
            return [], not self.state.path.exists()
        except (OSError, UnicodeDecodeError):
            return [], False
        entries = [entry for entry in text.split("\0") if entry]
        noted_at = entries.pop(0)[len(_STORE_ENTRY) :] if entries[:1] and entries[0].startswith(_STORE_ENTRY) else None
        every = entries[:1] == [_EVERY_CONFIG]
        del entries[:every]
        here = os.path.abspath(self.path)
        if noted_at is None or noted_at == here:
            return entries, every
        return [_moved_with(path, noted_at, here) for path in entries], every

    def note_config(self, config: str, last: bool = True, vouched: bool = False) -> None:
        """Note ``config`` (a resolved path) as a config file that has run the pipeline: the last (``last``, when it
        starts a run; the store is made then), or among them (a run with nothing to do, in a store that is there).
        ``vouched``: the user has said that no other config runs the store (see :meth:`knows_its_configs`). Runs
        from several configs at once each keep theirs: the list is rewritten under a lock on the store's folder.
        Nothing is noted in a store that cannot be written (a run says so when it starts)."""
        configs, every = self._noted()
        if config in configs and (not last or configs[-1] == config) and (every or not vouched):
            return  # (what most runs find: nothing to write)
        with contextlib.suppress(OSError):
            if last:
                self.path.mkdir(parents=True, exist_ok=True)
            folder = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
            try:
                fcntl.flock(folder, fcntl.LOCK_EX)
                configs, every = self._noted()
                configs = [path for path in configs if path != config or not last]
                if config not in configs:
                    configs.append(config)
                marker = self.path / CONFIG_MARKER
                written = marker.with_name(f"{CONFIG_MARKER}.{os.getpid()}")
                # (A path may hold a newline; one whose bytes are not text in the locale's encoding keeps them.)
                header = [f"{_STORE_ENTRY}{os.path.abspath(self.path)}", *[_EVERY_CONFIG] * (every or vouched)]
                entries = [*header, *configs]
                written.write_text("\0".join(entries), encoding="utf-8", errors="surrogateescape")
                os.replace(written, marker)
            finally:
                os.close(folder)  # (and the lock with it)

    def is_linked(self, name: str) -> bool:
        """Whether the folder of ``name``, or one above it up to ``modules/`` itself, is a symbolic link."""
        path = str(self.path)
        for part in ("modules", *map(folder_name, name.split(":"))):
            path = os.path.join(path, part)
            with contextlib.suppress(OSError):
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    return True
        return False

    def module_folders(self) -> list[str]:
        """The module instances that have a folder in the store, by name (``module`` or ``module:stage``), whether
        or not the pipeline has them now: each folder of ``modules/`` but one that holds only stages' folders, and
        each folder in one (a stage's). Links, files and names that pimlico_lite would not give a module or a stage
        are left out: they are not its own."""
        found = []
        for module, name in _named_as_modules(_entries(self.path / "modules")):
            inside = _entries(module.path)
            stages = [stage for _, stage in _named_as_modules(inside) if not stage.startswith(RUN_PREFIX)]
            if not stages or any(is_run_entry(entry.name) for entry in inside):
                found.append(name)  # a plain module's folder (a multistage module's holds only its stages')
            found.extend(f"{name}:{stage}" for stage in stages)
        return found

    def run_bytes(self, name: str) -> int:
        """The size of the files in the run folders and run log files of ``name`` (what :meth:`remove_runs`
        deletes), links not followed."""
        total = 0
        for entry in _entries(self.module_dir(name)):
            if not is_run_entry(entry.name) or entry.is_symlink():
                continue
            if not entry.is_dir():
                with contextlib.suppress(OSError):
                    total += entry.stat().st_size
                continue
            for folder, _, files in os.walk(entry.path):
                for file in files:
                    with contextlib.suppress(OSError):
                        total += os.lstat(os.path.join(folder, file)).st_size
        return total

    def lock(self, name: str) -> ModuleLock:
        """The lock that a process holds while it runs ``name``: on the module instance's folder."""
        return ModuleLock(self.module_dir(name))

    def remove_runs(self, name: str, keep: int | None = None) -> list[Path]:
        """Delete the run folders of ``name`` (all but run ``keep``), including partial ones, and the runs' log
        files; return those that could not be deleted (in whole or in part: permissions, say), which the next run of
        ``name`` tries again."""
        folder = self.checked_module_dir(name)
        if not folder.is_dir():
            return []
        import shutil  # only deleting needs it (with its compression modules, it costs status 5 ms)

        kept = f"{RUN_PREFIX}{keep}" if keep is not None else None
        left = []
        for entry in folder.iterdir():
            if is_run_entry(entry.name) and entry.name != kept:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:  # a run's log file
                    with contextlib.suppress(OSError):
                        entry.unlink()
                if entry.exists() or entry.is_symlink():
                    left.append(entry)
        return left

    def remove_module(self, name: str) -> list[Path]:
        """Delete every output folder of ``name``; return those that could not be deleted."""
        left = self.remove_runs(name)
        folder = self.module_dir(name)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        if ":" in name:  # a stage's module folder too, if no other stage has a folder there (or makes one now)
            with contextlib.suppress(OSError):
                folder.parent.rmdir()
        return left


def log_to_keep(text: str) -> str:
    """A run's log as the state database keeps it: whole, or its last RUN_LOG_MOST bytes after a line that says how
    much is left out (as :meth:`Store.run_log` reads a log file)."""
    if len(text) * 4 <= RUN_LOG_MOST:  # (at most four bytes a character: no need to count them)
        return text
    data = text.encode("utf-8", errors="replace")
    if len(data) <= RUN_LOG_MOST:
        return text
    return _left_out(len(data) - RUN_LOG_MOST, data[-RUN_LOG_MOST:].decode("utf-8", errors="replace"))


def _left_out(size: int, rest: str) -> str:
    """The end of a log whose first ``size`` bytes are left out, ``rest`` from its first whole line on."""
    return f"[the first {size} bytes of this log are left out]\n{rest.partition(chr(10))[2]}"


def is_run_entry(name: str) -> bool:
    """Whether ``name``, in a module instance's folder, is one that a run makes: ``run-<id>``, ``run-<id>.partial``
    or ``run-<id>.log`` (a file of a user's own named ``run-notes.txt`` is not, and is never deleted)."""
    number, dot, suffix = name[len(RUN_PREFIX) :].partition(".")
    ends = (dot + suffix).partition("-")[0]  # (a Dask attempt's partial folder: run-<id>.partial-<hex>)
    return (
        name.startswith(RUN_PREFIX)
        and number.isascii()
        and number.isdigit()
        and ends in ("", PARTIAL_SUFFIX, LOG_SUFFIX)
    )


# How many times a module's folder is made again when a folder above it was deleted meanwhile.
_MKDIR_TRIES = 100
# Descriptors of the locks this process holds. A process forked by a module (multiprocessing, say) would inherit
# them and keep the locks after this process died; it closes its copies instead, which leaves ours held.
_HELD: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


def _moved_with(path: str, before: str, after: str) -> str:
    """Where the file ``path`` is now if it moved with the folder ``before``, now ``after``: there when it is a file
    there, else ``path``."""
    moved = os.path.normpath(os.path.join(after, os.path.relpath(path, before)))
    return moved if os.path.isfile(moved) else path


class ModuleLock:
    """A ``flock`` on a module instance's folder: exclusive while it runs, shared while another module reads it.

    The kernel releases it when its holder dies, so it cannot go stale; and locking the folder the run writes into
    needs no lock file of its own.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        # Whether acquire() made the folder (a module's first run): then it holds no older runs.
        self.created_folder = False

    def acquire(self, blocking: bool = True, shared: bool = False) -> bool:
        """Take the lock (``shared``: alongside other readers); without ``blocking``, return False at once if a
        holder prevents it.

        A shared lock on a folder that does not exist holds nothing and succeeds: there is nothing to read there,
        and a reader creates nothing.
        """
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        while True:
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
            except FileNotFoundError:
                if shared:
                    return True
                self._make_folder()
                self.created_folder = True
                continue
            except NotADirectoryError:
                raise _not_a_folder(self.path) from None
            try:
                fcntl.flock(fd, mode | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                os.close(fd)
                return False
            except BaseException:
                os.close(fd)
                raise
            # A reset may have deleted the folder between open and flock: then lock the new one instead.
            try:
                if os.stat(self.path).st_ino == os.fstat(fd).st_ino:
                    self._fd = fd
                    _HELD.add(fd)
                    return True
            except FileNotFoundError:
                pass
            os.close(fd)

    def _make_folder(self) -> None:
        """Make the module's folder, and those above it; StoreError, saying why, if the store cannot have it."""
        for _ in range(_MKDIR_TRIES):
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                return
            except FileNotFoundError:  # a folder above it deleted meanwhile (a reset of another stage): again
                continue
            except (FileExistsError, NotADirectoryError):
                raise _not_a_folder(self.path) from None
            except OSError as error:  # a read-only or full file system
                message = f"cannot use the store: cannot make the folder {self.path}: {error.strerror or error}"
                raise StoreError(message) from None
        message = f"cannot use the store: cannot make the folder {self.path}: the folders above it keep disappearing"
        raise StoreError(message)

    def release(self) -> None:
        """Give the lock up."""
        if self._fd is not None:
            _HELD.discard(self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def is_held_elsewhere(self) -> bool:
        """Whether some holder (another process, or another lock object) runs the module now (readers aside)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
        except (FileNotFoundError, NotADirectoryError):  # (a file where its folder should be holds no lock)
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing the descriptor also releases a lock taken through it
        return False

    def __enter__(self) -> ModuleLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()


def _entries(path: str | Path) -> list[os.DirEntry[str]]:
    """What the folder ``path`` holds, in order of name (nothing if it cannot be listed)."""
    try:
        return sorted(os.scandir(path), key=lambda entry: entry.name)
    except OSError:
        return []


def _named_as_modules(entries: list[os.DirEntry[str]]) -> list[tuple[os.DirEntry[str], str]]:
    """The folders among ``entries`` that are not links, with names pimlico_lite could give a module or a stage, each
    with that name."""
    named = []
    for entry in entries:
        name = name_of_folder(entry.name)
        if name is not None and not check_name(name) and entry.is_dir(follow_symlinks=False):
            named.append((entry, name))
    return named


def what_blocks(path: Path) -> str | None:
    """Why no folder can be at ``path``: the first path on the way to it that is a file, or a symbolic link that leads
    nowhere (``mkdir`` says "File exists" of both); None if there is neither."""
    for above in [*reversed(path.parents), path]:
        if os.path.isdir(above):
            continue
        if os.path.islink(above):
            return f"{above} is a symbolic link to {os.readlink(above)}, which is not there"
        if os.path.lexists(above):
            return f"{above} is a file, not a folder"
        return None
    return None


def _not_a_folder(path: Path) -> StoreError:
    """The error for a file found in the store where a module's folder (or a folder above it) should be."""
    return StoreError(f"cannot use the store: a file stands where the folder {path} (or one above it) should be")
