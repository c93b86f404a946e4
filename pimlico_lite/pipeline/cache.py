"""A loaded pipeline kept on disk, so that a command on a config that has not changed skips reading and checking it.

Loading a config (reading it, importing and checking its module types, building the module instances and their
fingerprints) is most of what ``status`` and a run with nothing to do cost beyond Python's start and click: with the
copy they execute three quarters of the instructions, for 1000 modules. The commands load through
:func:`load_cached_pipeline`, which keeps the result of a load that found no problem, pickled, in
``$PIMLICO_LITE_CACHE`` (else ``$XDG_CACHE_HOME/pimlico-lite``, else ``~/.cache/pimlico-lite``;
``PIMLICO_LITE_CACHE=off`` keeps nothing), one file per config path. The kept copy is used only when everything that
loading read is as it was:

- the text of the config file and of every file it includes, compared whole (not by modification time, which a
  quick edit of the same length can leave as it was);
- where each include and each ``python_path`` folder leads, its symbolic links resolved;
- every Python file imported by then (module types, what they import, pimlico_lite itself) and, there or not, the
  bytecode Python ran for it, the folder of each, every folder of each package and of the import path (a module
  added there would be imported first): size, inode, modification time and change time (which a copy made with its
  old times still changes);
- the working folder (messages name files relative to it), the Python (version and executable, and its encoding of
  file names), the import path, ``$HOME`` (for ``~``) and ``$PIMLICO_LITE_STORE``.

Nothing is kept when one of those files or folders changed less than two seconds before this process imported
pimlico_lite (or before loading started, if earlier), or since: it may have been read before the change and signed
after it, as git's "racy" files. The folders where non-executable module instances' data already is are found
again at each read, by their types' ``external_output_dirs()``: a type may find them by an environment variable, or
as the newest of several exports, and a kept copy of them would point a run at other data than the config means.
Anything else that a module type's ``info.py`` might consult while a config loads (the clock, a data file, another
file of code that it runs rather than imports) is not seen: a module type's declarations must follow from its
imported code alone, as fingerprints already assume. A pipeline that cannot be pickled (a module type made by the
datatype form, ``type = <datatype>``; an option value that is a closure), or whose code came from a zip file (no
time of its own), is not kept, and loads every time.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pimlico_lite
from pimlico_lite.pipeline.model import Pipeline, sha1  # (CPython's own: hashlib loads OpenSSL)
from pimlico_lite.pipeline.paths import STORE_ENVIRONMENT_VARIABLE, extend_import_path

if TYPE_CHECKING:
    from pimlico_lite.config import Sources

CACHE_ENVIRONMENT_VARIABLE = "PIMLICO_LITE_CACHE"
# Part of every key: a kept copy written by another version of this module's format is never read back.
_FORMAT = 3
# A file changed this long before the code was read, or later, may have changed after Python read it: a file's time
# comes from a clock that can lag the one read here by a tick, or by seconds (a file server's clock).
_RACY_NANOSECONDS = 2_000_000_000
# A kept copy's name, and that of one being written (see _keep).
_KEPT_NAME = r"\.?[0-9a-f]{24}\.pickle(\.[0-9]+-[0-9]+)?"


def load_cached_pipeline(path: str | Path) -> Pipeline:
    """:func:`~pimlico_lite.pipeline.load_pipeline`, from the copy kept on disk when nothing it read has changed."""
    config_path = Path(path).absolute()
    kept = cache_file(config_path)
    pipeline = None if kept is None else _read(kept, config_path)
    if pipeline is None:
        from pimlico_lite.config import Sources  # (the reader and the loader: only when there is no copy to use)
        from pimlico_lite.pipeline.loader import load_pipeline

        sources = Sources()
        import_path = tuple(sys.path)
        started = time.time_ns()
        pipeline = load_pipeline(config_path, sources)
        if kept is not None:
            _keep(kept, _key(config_path, import_path, pipeline.python_path), sources, pipeline, started)
    return pipeline


def cache_file(config_path: Path) -> Path | None:
    """Where the loaded pipeline of the config at ``config_path`` (absolute) is kept; None when nothing is kept."""
    folder = os.path.expanduser(os.environ.get(CACHE_ENVIRONMENT_VARIABLE, ""))
    if folder == "off":
        return None
    if not folder:
        # The XDG base directory specification: a relative $XDG_CACHE_HOME is to be ignored.
        home = os.environ.get("XDG_CACHE_HOME", "")
        home = home if os.path.isabs(home) else os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(home, "pimlico-lite")
        if not os.path.isabs(folder):  # no home folder to be found: "~" stays as it is
            return None
    name = sha1(os.fsencode(config_path), usedforsecurity=False).hexdigest()[:24]
    return Path(os.path.abspath(folder), "pipelines", f"{name}.pickle")  # (as $PIMLICO_LITE_STORE: from here)


def _key(config_path: Path, import_path: tuple[str, ...], python_path: tuple[str, ...]) -> tuple[Any, ...]:
    """What loading ``config_path`` depends on besides the files it reads, as this process has it: ``import_path``
    is the import path loading started from, without the config's own ``python_path`` folders (which a load in
    the same process put there before)."""
    return (
        _FORMAT,
        sys.version,
        sys.executable,
        sys.getfilesystemencoding(),  # (paths made of names: see pimlico_lite.core.names.folder_name)
        str(config_path),
        os.getcwd(),
        tuple(folder for folder in import_path if folder not in python_path),
        os.environ.get("HOME"),
        os.environ.get(STORE_ENVIRONMENT_VARIABLE),
    )


def _read(kept: Path, config_path: Path) -> Pipeline | None:
    """The pipeline kept in ``kept`` for ``config_path``, if nothing it was loaded from has changed."""
    if TYPE_CHECKING:
        from pickle import load
    else:
        try:  # CPython's own: importing the pickle module around it costs 1.4% of `status` of 1000 modules
            from _pickle import load
        except ImportError:  # another Python
            from pickle import load

    try:
        with kept.open("rb") as file:
            if os.fstat(file.fileno()).st_uid != os.getuid():  # a pickle runs code: only one the user wrote
                return None
            header = load(file)
            python_path = header["python_path"]
            if header["key"] != _key(config_path, tuple(sys.path), python_path) or not _unchanged(header):
                return None
            extend_import_path(python_path)
            pipeline = load(file)
            if not isinstance(pipeline, Pipeline) or not _same_external(pipeline, header["external"]):
                return None
    except Exception:  # (none kept, or one that cannot be read back for whatever reason: it is made again)
        return None
    return pipeline


def _same_external(pipeline: Pipeline, names: Iterable[str]) -> bool:
    """Whether the external_output_dirs() of the non-executable module instances ``names`` give the folders kept."""
    for name in names:
        instance = pipeline.instances[name]
        found = instance.info.external_output_dirs(instance.options, pipeline.config_path.parent)
        # (A mistake in what it gives, an exception or another type, is for the load that follows to report.)
        if {output: Path(folder) for output, folder in found.items()} != instance.external_outputs:
            return False
    return True


def _unchanged(header: dict[str, Any]) -> bool:
    """Whether the files and links that ``header`` recorded are as they were."""
    for path, text in header["texts"].items():
        try:
            with open(path, encoding="utf-8-sig") as file:
                if file.read() != text:
                    return False
        except (OSError, UnicodeDecodeError):
            return False
    if any(os.path.realpath(written) != target for written, target in header["links"].items()):
        return False
    code: dict[str, Any] = header["code"]
    return _signatures(code) == code


def _signatures(paths: Iterable[str]) -> dict[str, tuple[int, int, int, int] | None]:
    """The size, inode, modification time and change time of each file or folder of ``paths`` (None for one that is
    not there). The change time is the system's: a file copied with its old modification time (``cp -p``,
    ``rsync -a``, ``tar x``) has a new one."""
    signatures: dict[str, tuple[int, int, int, int] | None] = {}
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            signatures[path] = None
            continue
        signatures[path] = (status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
    return signatures


def _code_paths() -> tuple[list[str], list[str]]:
    """Where the code imported so far came from, and where other code could come from instead: the file of every
    imported module that has one; then, there or not, the bytecode Python ran for each (deleting it is how a stale one
    is mended), the folder of each, every folder of each package (a namespace package has several) and each folder of
    the import path. A file added to a folder (a module or a package that would now be imported first) changes the
    folder's time."""
    modules = list(sys.modules.values())
    files = {file for module in modules if isinstance(file := getattr(module, "__file__", None), str)}
    others = {os.path.dirname(file) for file in files} | {os.path.abspath(folder) for folder in sys.path}
    others |= {cached for module in modules if isinstance(cached := getattr(module, "__cached__", None), str)}
    for module in modules:
        with contextlib.suppress(Exception):  # (a module may make of __path__ what it likes)
            others.update(path for path in getattr(module, "__path__", ()) if isinstance(path, str))
    return sorted(files), sorted(others - files)


def _keep(kept: Path, key: tuple[Any, ...], sources: Sources, pipeline: Pipeline, started: int) -> None:
    """Write ``pipeline``, loaded under ``key`` from ``sources`` from the time ``started`` on (``time.time_ns()``),
    to ``kept``; or nothing, if it cannot be pickled or its code may have changed while it loaded."""
    import pickle

    try:
        for instance in pipeline.instances.values():  # made once, and kept with the rest
            _ = instance.fingerprint, instance.producers
        files, others = _code_paths()
        code = _signatures(files)
        if None in code.values():  # a file imported from a zip file has no time of its own to compare
            return
        code |= _signatures(others)  # (one that is not there is compared as such: made later, it could be imported)
        # A file changed after this process imported pimlico_lite may have been read before the change (git's "racy"
        # files): its signature would stand for code that is not what ran.
        since = min(started, pimlico_lite._IMPORTED_NS) - _RACY_NANOSECONDS
        if any(signature and max(signature[2:]) >= since for signature in code.values()):
            return
        header = {
            "key": key,
            "texts": sources.texts,
            "links": sources.links,
            "code": code,
            "python_path": pipeline.python_path,
            "external": [name for name, module in pipeline.instances.items() if module.external_outputs is not None],
        }
        data = pickle.dumps(header, pickle.HIGHEST_PROTOCOL) + pickle.dumps(pipeline, pickle.HIGHEST_PROTOCOL)
    except Exception:  # (a class made at run time, a closure, anything else pickle refuses)
        return
    # Written beside it under a name of this process's, then renamed: a reader sees the old copy or the new one, whole.
    # (Not with tempfile, which imports random and hashlib: about as long as loading 1000 modules takes.)
    temporary = kept.with_name(f".{kept.name}.{os.getpid()}-{time.monotonic_ns()}")
    with contextlib.suppress(OSError):  # a folder that cannot be written keeps nothing
        kept.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, kept)
        except OSError:
            os.unlink(temporary)
            raise
        _forget_unused(kept.parent)


def _forget_unused(folder: Path) -> None:
    """Delete the copies in ``folder`` that nothing has read or written for a month (their configs moved, or gone),
    and what writes that were cut short left there: files of this module's names only, whatever else is there."""
    unused = time.time() - 30 * 24 * 3600
    for entry in os.scandir(folder):
        if re.fullmatch(_KEPT_NAME, entry.name) is None:
            continue
        with contextlib.suppress(OSError):  # (gone already: another command forgot it first)
            status = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(status.st_mode) and max(status.st_atime, status.st_mtime) < unused:
                os.unlink(entry.path)
