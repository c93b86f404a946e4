"""What state each module instance is in: the database's record, checked against the pipeline as it is now.

A COMPLETE record is OUTDATED when the module's type, options or input connections have changed since it ran,
or when an upstream module is not complete and up to date, or has completed again since this module read it.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from pimlico_lite._gc import gc_paused
from pimlico_lite.errors import failure_in_user_code
from pimlico_lite.pipeline.model import ModuleInstance, Pipeline, sha1, stable_repr
from pimlico_lite.store import FAILED, RUNNING, ModuleRecord, Store
from pimlico_lite.store.state import STALE_RUN_ERROR


class State(str, enum.Enum):
    """The state of a module instance."""

    UNEXECUTED = "UNEXECUTED"
    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"
    OUTDATED = "OUTDATED"

    def __str__(self) -> str:
        return self.value


class ModuleStatus(NamedTuple):
    """A module instance's state, why it is in it (for OUTDATED and stale RUNNING), and its record."""

    name: str
    state: State
    reasons: tuple[str, ...] = ()
    record: ModuleRecord | None = None
    # Which version of its outputs a COMPLETE instance offers: the run that wrote them, or for data outside the
    # store a signature of the files. A consumer records it, and is OUTDATED when it changes.
    version: int | str | None = None

    @property
    def is_ready_as_input(self) -> bool:
        """Whether modules that take input from this one may run: COMPLETE, and not OUTDATED."""
        return self.state is State.COMPLETE


@gc_paused
def compute_statuses(pipeline: Pipeline, store: Store) -> dict[str, ModuleStatus]:
    """The status of every module instance, in config order."""
    records = store.state.records()
    statuses: dict[str, ModuleStatus] = {}
    for name, instance in pipeline.instances.items():
        statuses[name] = module_status(instance, records.get(name), statuses, store)
    return statuses


def module_status(
    instance: ModuleInstance,
    record: ModuleRecord | None,
    statuses: Mapping[str, ModuleStatus],
    store: Store,
) -> ModuleStatus:
    """The status of one instance, given its record and the statuses of the instances it takes input from."""
    name = instance.name
    if instance.external_outputs is not None:
        return _external_status(instance, instance.external_outputs)
    if record is None:
        return ModuleStatus(name, State.UNEXECUTED)
    if record.state == RUNNING:
        if store.lock(name).is_held_elsewhere():
            return ModuleStatus(name, State.RUNNING, (), record)
        # Its run may have ended, and let its lock go, since the records were read: what it recorded counts.
        record = store.state.record(name)
        if record is None:
            return ModuleStatus(name, State.UNEXECUTED)
        if record.state == RUNNING:
            return ModuleStatus(name, State.FAILED, (STALE_RUN_ERROR,), record)
    if record.state == FAILED:
        return ModuleStatus(name, State.FAILED, (), record)
    # Another fingerprint is a change only if a part of it changed: a record made by an earlier version may hash the
    # same parts another way, lack the outputs or lack an option declared since (see changes).
    # (The recorded parts are read only when the fingerprint differs: parsing them for every module cost status 6%.)
    changed = [] if record.fingerprint == instance.fingerprint else _changed_parts(record, instance)
    # (the outputs of a changed module type may have other names: only its run's folder is looked for; a record that
    # names no outputs has each output the type declares now looked for, since one may have been renamed)
    named = () if changed else instance.info.output_names()
    reasons = _outputs_gone(instance, record, store, named) + changed
    reasons += _upstream_reasons(instance, record, statuses)
    for key, path in instance.source_files:
        # (recorded by its absolute path before 23 November; None: before the file was signed, or named since)
        read = record.upstream.get(key) or record.upstream.get(path)
        if read is not None and not same_file_signature(str(read), now := file_signature(path)):
            reasons.append(f"file {path} {'is gone' if now == MISSING else 'changed'} since the module read it")
    state = State.OUTDATED if reasons else State.COMPLETE
    return ModuleStatus(name, state, tuple(reasons), record, record.complete_run_id)


def _outputs_gone(instance: ModuleInstance, record: ModuleRecord, store: Store, outputs: tuple[str, ...]) -> list[str]:
    """Why a COMPLETE instance's outputs cannot be read: its run's folder, or the folder of one of ``outputs``,
    deleted by hand."""
    if record.complete_run_id is None:
        return []
    missing = store.missing_folder(instance.name, record.complete_run_id, outputs)
    if missing is None:
        return []
    folder, output = missing
    return [
        f"its output {output} is gone: {folder} was deleted"
        if output
        else f"its outputs are gone: {folder} was deleted"
    ]


def _upstream_reasons(
    instance: ModuleInstance, record: ModuleRecord, statuses: Mapping[str, ModuleStatus]
) -> list[str]:
    """Why what a COMPLETE instance read is no longer valid: an upstream instance not COMPLETE, or run again."""
    reasons = []
    for producer in instance.producers:
        upstream = statuses[producer]
        if upstream.state is State.OUTDATED:
            reasons.append(f"upstream module {producer} is OUTDATED")
        elif upstream.state is not State.COMPLETE:
            reasons.append(f"upstream module {producer} is {upstream.state}")
        elif producer in record.upstream and record.upstream[producer] != upstream.version:
            # (a new connection is reported as an input change above)
            if upstream.record is not None:
                reasons.append(f"upstream module {producer} has run again since (run {upstream.version})")
            else:
                reasons.append(f"upstream module {producer} has new data")
    return reasons


def _external_status(instance: ModuleInstance, folders: Mapping[str, Path]) -> ModuleStatus:
    """A non-executable instance is COMPLETE when its data is where it says, versioned by the files' signature."""
    outputs = instance.info.output_datatypes()
    missing = []
    for name, folder in folders.items():
        datatype = outputs[name]
        try:
            present = datatype.is_present(folder)
        except Exception as error:
            what = f"{type(datatype).__name__}.is_present({folder})"
            raise failure_in_user_code(what, error) from error
        if not present:
            missing.append(f"no {type(datatype).__name__} data at {folder}")
    if missing:
        return ModuleStatus(instance.name, State.UNEXECUTED, tuple(missing))
    return ModuleStatus(instance.name, State.COMPLETE, (), None, data_signature(folders.values()))


MISSING = "missing"


def file_signature(path: str) -> str:
    """The size and modification time of the file (or folder) ``path``, or ``missing``."""
    try:
        stat = os.stat(path)
    except OSError:
        return MISSING
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def same_file_signature(read: str, now: str) -> bool:
    """Whether a file signed ``now`` is the one signed ``read`` when a module read it: the same size, and the same
    modification time, or one that has lost the fraction of a second it had in a copy (``tar`` keeps whole seconds,
    ``zip`` two) and is less than two seconds from it. (Where every time is whole, on a file system that keeps no
    fractions, an edit a second later is a change.)"""
    if read == now:
        return True
    read_size, _, read_time = read.partition(":")
    now_size, _, now_time = now.partition(":")
    if read_size != now_size or not read_time.isdigit() or not now_time.isdigit():
        return False
    read_ns, now_ns = int(read_time), int(now_time)
    return read_ns % _SECOND != 0 and now_ns % _SECOND == 0 and abs(read_ns - now_ns) < 2 * _SECOND


_SECOND = 1_000_000_000
_CODE_SIGNATURES: dict[type, str | None] = {}
# What status says of a module that ran with code that has changed since (see ran_with_other_code).
CODE_CHANGED_NOTE = (
    "the code of its module type (the Python files beside its info.py) has changed since it ran: its outputs are"
    " those of the older code; `run -f {name}` makes them anew"
)


def code_signature(info: type) -> str | None:
    """A short hash of the Python files of the package that defines the module type ``info`` (its ``info.py``,
    ``execute.py`` and whatever else is beside them), by content; None for a type without one (made at run time, or
    not executable). A completed run records it, and ``status`` says when a module ran with code that has changed
    since: a note, not OUTDATED (docs/decisions.md, "A module type's code")."""
    if info in _CODE_SIGNATURES:
        return _CODE_SIGNATURES[info]
    signature = None
    path = getattr(sys.modules.get(info.__module__), "__file__", None)
    if getattr(info, "module_executable", False) and path:
        folder = os.path.dirname(path)
        digest = sha1(usedforsecurity=False)
        try:
            for name in sorted(os.listdir(folder)):
                if name.endswith(".py"):
                    digest.update(name.encode() + b"\0" + _content(os.path.join(folder, name)) + b"\0")
            signature = digest.hexdigest()[:12]
        except OSError:
            signature = None
    _CODE_SIGNATURES[info] = signature
    return signature


def _content(path: str) -> bytes:
    """The bytes of the file ``path``, read without the layers of ``open()`` (a command of ``status`` reads a few)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        pieces = []
        while piece := os.read(descriptor, 1 << 20):
            pieces.append(piece)
        return b"".join(pieces)
    finally:
        os.close(descriptor)


def ran_with_other_code(instance: ModuleInstance, status: ModuleStatus) -> bool:
    """Whether the outputs of a COMPLETE or OUTDATED ``instance`` were made by code of its module type that has
    changed since (a record made before runs recorded their code does not say: False)."""
    record = status.record
    if record is None or status.state not in _MADE_OUTPUTS:
        return False
    # (The code is the last of the parts recorded, so its JSON ends the text: no need to parse it, for every module.)
    recorded = record.fingerprint_json
    if not recorded or '"code": "' not in recorded[-30:]:
        return False
    ending = _CODE_ENDINGS.get(instance.info, "")
    if ending == "":
        signature = code_signature(instance.info)
        ending = _CODE_ENDINGS[instance.info] = None if signature is None else f'"code": "{signature}"}}'
    return ending is not None and not recorded.endswith(ending)


# The states of a module whose outputs are there to read; how the recorded parts of one end, by module type.
_MADE_OUTPUTS = (State.COMPLETE, State.OUTDATED)
_CODE_ENDINGS: dict[type, str | None] = {}


def data_signature(folders: Iterable[Path]) -> str:
    """A short hash of the names, sizes and modification times of every file in ``folders``."""
    import hashlib  # only data made outside the store needs it

    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return "data-" + digest.hexdigest()[:12]


def _changed_parts(record: ModuleRecord, instance: ModuleInstance) -> list[str]:
    """How the parts of a module's fingerprint changed since its record was made, in words; for a record that holds
    too few parts to tell (none, or a damaged one), that the fingerprint changed."""
    if not record.fingerprint_parts.keys() >= {"type", "options", "inputs"}:
        return ["its fingerprint changed"]
    return changes(record.fingerprint_parts, instance)


def _new_at_their_defaults(instance: ModuleInstance, recorded: Mapping[str, Any]) -> list[str]:
    """The options of ``instance`` that the ``recorded`` options lack (its module type declared them since) and that
    are at their declared defaults: no change to what it does, nor to say."""
    specs = instance.info.option_specs()
    written = instance.fingerprint_parts["options"]  # (compared as written, as a fingerprint holds them: an array's
    # == is no answer)
    return [
        name
        for name in instance.options
        if name not in recorded and name in specs and written[name] == stable_repr(specs[name].default)
    ]


def changes(recorded: Mapping[str, Any], instance: ModuleInstance) -> list[str]:
    """Say, in words, how a module's fingerprint parts differ from those recorded when it completed; an option by
    the config key that sets it (a stage's ``C`` by ``train_C``), an input by the name the config connects it by
    (a stage's ``raw_data`` by its multistage module's ``second_data``)."""
    current = instance.fingerprint_parts
    new_at_defaults = _new_at_their_defaults(instance, recorded.get("options") or {})
    found = []
    if recorded.get("type") != current.get("type"):
        found.append(f"module type changed: {recorded.get('type')} -> {current.get('type')}")
    parts: list[tuple[str, str, Callable[[str], str]]] = [
        ("options", "option", instance.option_key),
        ("inputs", "input", instance.input_name),
    ]
    if "outputs" in recorded:  # (not in a record made before the fingerprint covered them)
        parts.append(("outputs", "output", str))
    for part, what, named in parts:
        before, now = recorded.get(part, {}), current.get(part, {})
        if part == "options":  # (an option declared since, at its default, changes nothing the module did)
            now = {key: value for key, value in now.items() if key not in new_at_defaults}
        for key in sorted(set(before) | set(now)):
            if before.get(key) != now.get(key):
                found.append(f"{what} {named(key)} changed: {_show(before.get(key))} -> {_show(now.get(key))}")
    return found


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(value) or "(none)"
    return str(value)
