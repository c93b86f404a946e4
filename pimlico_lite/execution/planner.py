"""Choose what a ``run`` executes: expand names (``m``, ``m:stage``, ``m:all``) and check inputs are ready."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pimlico_lite.core.names import Address
from pimlico_lite.errors import NotReadyError, UsageError, did_you_mean, name_list
from pimlico_lite.execution.status import ModuleStatus, State
from pimlico_lite.pipeline.model import MultistageGroup, Pipeline

ALL_STAGES = ("all", "*")
LIST_STAGES = "?"


@dataclass
class Plan:
    """The module instances to run, in dependency order, and notes for the user about what was chosen."""

    targets: list[str]
    notes: list[str] = field(default_factory=list)


def plan_run(
    pipeline: Pipeline,
    statuses: Mapping[str, ModuleStatus],
    names: Sequence[str],
    run_all: bool = False,
    force: bool = False,
) -> Plan:
    """Expand the names given to ``run`` into instances to run; raise if a name is unknown or an input not ready."""
    if run_all:
        targets = [n for n, s in statuses.items() if force or s.state is not State.COMPLETE]
        return Plan(targets)
    explicit: list[str] = []
    next_of: list[MultistageGroup] = []
    for text in names:
        group, instances = resolve_name(pipeline, text)
        if group is not None and not instances:
            next_of.append(group)
        explicit.extend(instances)
    plan = Plan(list(dict.fromkeys(explicit)))
    # A group's next stage may read what another group's next stage makes: choose, in passes, until every group
    # has its stage or none of those left can have one (then say what the first of them waits for).
    pending = next_of
    while pending:
        waiting = [group for group in pending if not _choose_next_stage(pipeline, statuses, group, plan)]
        if len(waiting) == len(pending):
            next_ready_stage(pipeline, statuses, waiting[0], set(plan.targets))  # raises NotReadyError
        pending = waiting
    order = {name: index for index, name in enumerate(pipeline.instances)}
    plan.targets = sorted(dict.fromkeys(plan.targets), key=order.__getitem__)
    check_ready(pipeline, statuses, plan.targets)
    return plan


def resolve_name(pipeline: Pipeline, text: str) -> tuple[MultistageGroup | None, list[str]]:
    """Resolve one name given to ``run``: (its multistage group if any, the instances it names explicitly)."""
    address = Address.parse(text)
    if address.output is not None:
        message = f"'{text}': give a module name, not an output (drop '.{address.output}')"
        raise UsageError(message)
    group = pipeline.groups.get(address.module)
    if group is None:
        if address.module not in pipeline.instances:
            hint = did_you_mean(address.module, pipeline.module_names())
            message = f"unknown module '{address.module}'{hint}; modules: {name_list(pipeline.module_names())}"
            raise UsageError(message)
        if address.stage is not None:
            message = f"'{text}': {address.module} is not a multistage module, so it has no stages"
            raise UsageError(message)
        return None, [address.module]
    if address.stage is None:
        return group, []
    if address.stage in ALL_STAGES:
        return group, list(group.stages)
    if address.instance not in group.stages:
        stages = group.info.stage_names()
        hint = did_you_mean(address.stage, stages)
        message = f"multistage module {group.name} has no stage '{address.stage}'{hint}; stages: {name_list(stages)}"
        raise UsageError(message)
    return group, [address.instance]


def _choose_next_stage(
    pipeline: Pipeline, statuses: Mapping[str, ModuleStatus], group: MultistageGroup, plan: Plan
) -> bool:
    """Add ``group``'s next ready stage to ``plan`` (or a note that there is none to run); False if none is ready."""
    try:
        stage = next_ready_stage(pipeline, statuses, group, set(plan.targets))
    except NotReadyError:
        return False
    if stage is not None:
        plan.targets.append(stage)
    elif all(statuses[each].state is State.COMPLETE for each in group.stages):
        plan.notes.append(f"every stage of {group.name} is complete: nothing to run")
    else:
        busy = [each for each in group.stages if statuses[each].state is not State.COMPLETE]
        plan.notes.append(f"no other stage of {group.name} is left to run ({', '.join(busy)}: named or running)")
    return True


def next_ready_stage(
    pipeline: Pipeline, statuses: Mapping[str, ModuleStatus], group: MultistageGroup, going_to_run: set[str]
) -> str | None:
    """The first stage, in order, still to be run and whose inputs are ready; None if no stage is still to be run.

    A stage is still to be run unless it is COMPLETE, RUNNING in another process, or in ``going_to_run`` (named in
    the same command). Raises NotReadyError, saying what each such stage waits for, when none of them is ready.
    """
    waiting = []
    for stage in group.stages:
        if stage in going_to_run or statuses[stage].state in (State.COMPLETE, State.RUNNING):
            continue
        missing = _unready_inputs(pipeline, statuses, stage, going_to_run)
        if not missing:
            return stage
        waiting.append(f"{stage} waits for {', '.join(missing)}")
    if not waiting:
        return None
    message = f"no stage of {group.name} is ready to run:\n  " + "\n  ".join(waiting)
    raise NotReadyError(message)


def check_ready(pipeline: Pipeline, statuses: Mapping[str, ModuleStatus], targets: Sequence[str]) -> None:
    """Raise NotReadyError naming every input of ``targets`` whose producer neither is ready nor will run first."""
    going_to_run: set[str] = set()
    problems = []
    for target in targets:
        for missing in _unready_inputs(pipeline, statuses, target, going_to_run):
            problems.append(f"cannot run {target}: {missing} must complete first")
        going_to_run.add(target)
    if problems:
        raise NotReadyError("\n".join(problems))


def _unready_inputs(
    pipeline: Pipeline, statuses: Mapping[str, ModuleStatus], name: str, going_to_run: set[str]
) -> list[str]:
    """Describe each input of ``name`` that is not ready, e.g. ``input 'corpus' from tokenize (UNEXECUTED)``."""
    missing = []
    for input_name, connections in pipeline.instances[name].inputs.items():
        for connection in connections:
            producer = connection.producer
            if producer in going_to_run or statuses[producer].is_ready_as_input:
                continue
            missing.append(f"input '{input_name}' from {producer} ({statuses[producer].state})")
    return missing
