"""Reading what modules wrote, from a notebook or a script: the folder of an output, or its value.

    from pimlico_lite import read_output
    model = read_output("pipelines/digits.conf", "model_train:train", "model")

Outputs are named as a config names them for an input: ``module``, ``module.output``, ``module:stage``,
``module:stage.output``, and a multistage module by itself offers the outputs its definition makes its own. The
folder is that of the module's last complete run, which changes when the module runs again: look it up each time
rather than keeping the path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pimlico_lite.core.names import Address
from pimlico_lite.errors import UsageError, did_you_mean, name_list
from pimlico_lite.execution.status import ModuleStatus, State, compute_statuses
from pimlico_lite.pipeline.loader import load_pipeline
from pimlico_lite.pipeline.model import ModuleInstance, Pipeline
from pimlico_lite.store import Store


def output_dir(
    pipeline: Pipeline | str | Path, name: str, output: str | None = None, *, allow_outdated: bool = False
) -> Path:
    """The folder of output ``output`` (default: the default output) of module ``name``, as its last complete run
    wrote it.

    ``pipeline`` is a loaded pipeline or the path of its config. UsageError if the name or the output is unknown,
    if the module has never completed, or if it is not COMPLETE now (OUTDATED, FAILED, RUNNING) unless
    ``allow_outdated`` asks for the outputs of its last complete run all the same.
    """
    loaded = pipeline if isinstance(pipeline, Pipeline) else load_pipeline(pipeline)
    return _locate(loaded, name, output, allow_outdated)[2]


def read_output(
    pipeline: Pipeline | str | Path, name: str, output: str | None = None, *, allow_outdated: bool = False
) -> Any:
    """The value of an output, read by its datatype (a data set, a fitted model, ...); see :func:`output_dir`."""
    loaded = pipeline if isinstance(pipeline, Pipeline) else load_pipeline(pipeline)
    instance_name, output_name, folder = _locate(loaded, name, output, allow_outdated)
    return loaded.instances[instance_name].info.output_datatypes()[output_name].read(folder)


def _locate(pipeline: Pipeline, name: str, output: str | None, allow_outdated: bool) -> tuple[str, str, Path]:
    """The module instance, the output and the folder that ``name`` and ``output`` lead to."""
    instance_name, output_name = _resolve(pipeline, name, output)
    store = Store(pipeline.store_path)
    status = compute_statuses(pipeline, store)[instance_name]
    folders = output_folders(pipeline.instances[instance_name], status, store)
    if status.state is not State.COMPLETE and (folders is None or not allow_outdated):
        why = f" ({'; '.join(status.reasons)})" if status.reasons else ""
        if status.state is State.RUNNING:
            advice = "wait for it to end" + (", or pass allow_outdated=True" if folders is not None else "")
        elif pipeline.instances[instance_name].external_outputs is not None:
            advice = "its data is made outside the pipeline, and is not there"
        elif status.record is None and not os.path.isdir(store.path):
            advice = f"run it first (there is no store at {store.path})"
        else:
            advice = "run it first" if folders is None else "run it again, or pass allow_outdated=True"
        message = f"{instance_name} is {status.state}{why}: {advice}"
        raise UsageError(message)
    assert folders is not None  # a COMPLETE module has its outputs
    folder = folders[output_name]
    if not folder.is_dir():  # (an output added or renamed since its run, or deleted: OUTDATED says why)
        reasons = [reason for reason in status.reasons if str(folder) not in reason]  # (not "... was deleted" again)
        why = f" ({'; '.join(reasons)})" if reasons else ""
        message = f"{instance_name} has no output '{output_name}' at {folder}{why}: run it again"
        raise UsageError(message)
    return instance_name, output_name, folder


def output_folders(instance: ModuleInstance, status: ModuleStatus, store: Store) -> dict[str, Path] | None:
    """Where each output of ``instance`` is: the folders of its last complete run (or, for data made outside the
    pipeline, the folders the config gives); None if it has never completed."""
    if instance.external_outputs is not None:
        return dict(instance.external_outputs) if status.state is State.COMPLETE else None
    complete_run = status.record.complete_run_id if status.record is not None else None
    if complete_run is None:
        return None
    folder = store.run_dir(instance.name, complete_run)
    return {output: folder / output for output in instance.info.output_datatypes()}


def _resolve(pipeline: Pipeline, name: str, output: str | None) -> tuple[str, str]:
    """The module instance and the output of that instance that ``name`` and ``output`` mean."""
    address = Address.parse(name)
    if address.output is not None and output is not None:
        message = f"'{name}' names an output already: leave out output='{output}'"
        raise UsageError(message)
    wanted = address.output if address.output is not None else output
    group = pipeline.groups.get(address.module) if address.stage is None else None
    if group is not None:
        offered = group.outputs
        if wanted is None:
            wanted = next(iter(offered), None)
        if wanted not in offered:
            stage = f"{address.module}:{wanted}"
            if stage in group.stages:  # (`ms.first` for the stage `ms:first`)
                message = f"module '{address.module}' has no output '{wanted}': its stage is '{stage}'"
                raise UsageError(message)
            raise _unknown_output(address.module, wanted, offered)
        return offered[wanted]
    if address.instance not in pipeline.instances:
        names = [*pipeline.module_names(), *(stage for group in pipeline.groups.values() for stage in group.stages)]
        hint = did_you_mean(address.instance, names)
        message = f"unknown module '{address.instance}'{hint}; modules: {name_list(pipeline.module_names())}"
        raise UsageError(message)
    outputs = pipeline.instances[address.instance].info.output_datatypes()
    if wanted is None:
        wanted = next(iter(outputs), None)
    if wanted not in outputs:
        raise _unknown_output(address.instance, wanted, outputs)
    return address.instance, wanted


def _unknown_output(module: str, output: str | None, outputs: dict[str, Any]) -> UsageError:
    if output is None:
        return UsageError(f"module '{module}' has no outputs")
    hint = did_you_mean(output, outputs)
    return UsageError(f"module '{module}' has no output '{output}'{hint}; outputs: {name_list(outputs)}")
