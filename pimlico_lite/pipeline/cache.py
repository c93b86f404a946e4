"""A loaded pipeline kept on disk, so that a command on a config that has not changed skips reading and checking it.

Loading a config (reading it, importing and checking its module types, building the module instances and their
fingerprints) is most of what ``status`` and a run with nothing to do cost beyond Python's start: a fifth of their
instructions for 1000 modules. The commands load through :func:`load_cached_pipeline`, which keeps the result of a
load that found no problem, pickled, in ``$PIMLICO_LITE_CACHE`` (else ``$XDG_CACHE_HOME/pimlico-lite``, else
``~/.cache/pimlico-lite``; ``PIMLICO_LITE_CACHE=off`` keeps nothing), one file per config file. The kept copy is used
only when everything that loading read is as it was:

- the text of the config file and of every file it includes, compared whole (not by modification time, which a
  quick edit of the same length can leave as it was);
- where each include and each ``python_path`` folder leads, its symbolic links resolved;
- every Python file imported by then (module types, what they import, pimlico_lite itself): its size, modification
  time and inode, as Python's own bytecode cache judges a source file, only more finely;
- the working folder (messages name files relative to it), the Python (version and executable), the import path,
  ``$HOME`` (for ``~``) and ``$PIMLICO_LITE_STORE``.

Anything else that a module type's ``info.py`` might consult while a config loads (the clock, other files, whether a
library is installed) is not seen: a module type's declarations must follow from its code alone, as fingerprints
already assume. A pipeline that cannot be pickled (a module type made by the datatype form, ``type = <datatype>``;
an option value that is a closure) is not kept, and loads every time.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pimlico_lite.pipeline.model import STORE_ENVIRONMENT_VARIABLE, Pipeline, extend_import_path

if TYPE_CHECKING:
    from hashlib import sha1

    from pimlico_lite.config import Sources
else:
    try:  # as in pimlico_lite.pipeline.model: hashlib loads OpenSSL
        from _sha1 import sha1
    except ImportError:  # another Python
        from hashlib import sha1

CACHE_ENVIRONMENT_VARIABLE = "PIMLICO_LITE_CACHE"
# Part of every key: a kept copy written by another version of this module's format is never read back.
_FORMAT = 1


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
        pipeline = load_pipeline(config_path, sources)
        if kept is not None:
            _keep(kept, _key(config_path, import_path, pipeline.python_path), sources, pipeline)
    return pipeline


def cache_file(config_path: Path) -> Path | None:
    """Where the loaded pipeline of the config at ``config_path`` (absolute) is kept; None when nothing is kept."""
    folder = os.environ.get(CACHE_ENVIRONMENT_VARIABLE, "")
    if folder == "off":
        return None
    if not folder:
        # The XDG base directory specification: a relative $XDG_CACHE_HOME is to be ignored.
        home = os.environ.get("XDG_CACHE_HOME", "")
        home = home if os.path.isabs(home) else os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(home, "pimlico-lite")
    if not os.path.isabs(folder):  # no home folder to be found: "~" stays as it is
        return None
    name = sha1(str(config_path).encode(), usedforsecurity=False).hexdigest()[:24]
    return Path(folder, "pipelines", f"{name}.pickle")


def _key(config_path: Path, import_path: tuple[str, ...], python_path: tuple[str, ...]) -> tuple[Any, ...]:
    """What loading ``config_path`` depends on besides the files it reads, as this process has it: ``import_path``
    is the import path loading started from, without the config's own ``python_path`` folders (which a load in
    the same process put there before)."""
    return (
        _FORMAT,
        sys.version,
        sys.executable,
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
    except FileNotFoundError:
        return None
    except Exception:  # (a copy that cannot be read back, for whatever reason, is made again)
        return None
    return pipeline if isinstance(pipeline, Pipeline) else None


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
    modules: dict[str, Any] = header["modules"]
    return _module_files(modules) == modules


def _module_files(paths: Any) -> dict[str, tuple[int, int, int] | None]:
    """The size, modification time and inode of each file of ``paths`` (None for one that is gone)."""
    signatures: dict[str, tuple[int, int, int] | None] = {}
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            signatures[path] = None
            continue
        signatures[path] = (status.st_size, status.st_mtime_ns, status.st_ino)
    return signatures


def _imported_files() -> list[str]:
    """The file of every module imported so far that has one."""
    files = (getattr(module, "__file__", None) for module in list(sys.modules.values()))
    return sorted({file for file in files if isinstance(file, str)})


def _keep(kept: Path, key: tuple[Any, ...], sources: Sources, pipeline: Pipeline) -> None:
    """Write ``pipeline``, loaded under ``key`` from ``sources``, to ``kept``; or nothing, if it cannot be pickled."""
    import pickle

    try:
        for instance in pipeline.instances.values():  # made once, and kept with the rest
            _ = instance.fingerprint, instance.producers
        modules = _module_files(_imported_files())
        if None in modules.values():  # (imported from a zip file, say): a change to it could not be seen
            return
        header = {
            "key": key,
            "texts": sources.texts,
            "links": sources.links,
            "modules": modules,
            "python_path": pipeline.python_path,
        }
        data = pickle.dumps(header, pickle.HIGHEST_PROTOCOL) + pickle.dumps(pipeline, pickle.HIGHEST_PROTOCOL)
    except Exception:  # (a class made at run time, a closure, anything else pickle refuses)
        return
    # Written beside it under a name of this process's, then renamed: a reader sees the old copy or the new one, whole.
    # (Not with tempfile, which imports random and hashlib: a fifth of the time of loading 1000 modules.)
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
