"""Choose what a ``run`` executes: expand names (``m``, ``m:stage``, ``m:all``) and check inputs are ready."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pimlico_lite.core.names import ALL_STAGES, LIST_STAGES, Address
from pimlico_lite.errors import NotReadyError, UsageError, did_you_mean, name_list
from pimlico_lite.execution.status import ModuleStatus, State
from pimlico_lite.pipeline.model import MultistageGroup, Pipeline


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
    next_of: dict[str, MultistageGroup] = {}  # a group named twice still means one stage
    for text in names:
        group, instances = resolve_name(pipeline, text)
        if group is not None and not instances:
            next_of[group.name] = group
        explicit.extend(instances)
    plan = Plan(list(dict.fromkeys(explicit)))
    groups = sorted(next_of.values(), key=lambda group: group.index)
    _choose_next_stages(pipeline, statuses, groups, plan, force)
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
        if address.stage == LIST_STAGES:  # (run lists them before it resolves a name)
            message = (
                f"'{text}': only run lists stages ('run {group.name}:{LIST_STAGES}'); here give a stage, or"
                f" {group.name}:{ALL_STAGES[0]}: {name_list(stages)}"
            )
            raise UsageError(message)
        hint = did_you_mean(address.stage, [*stages, ALL_STAGES[0]])
        message = f"multistage module {group.name} has no stage '{address.stage}'{hint}; stages: {name_list(stages)}"
        raise UsageError(message)
    return group, [address.instance]


def _choose_next_stages(
    pipeline: Pipeline, statuses: Mapping[str, ModuleStatus], groups: list[MultistageGroup], plan: Plan, force: bool
) -> None:
    """Add the next ready stage of each of ``groups`` (in config order) to ``plan``, or a note that it has none.

    A group's next stage may read what another group's next stage makes, so the choice does not depend on the order
    of the names: while some group's first stage still to be run is ready, counting the stages chosen so far as
    going to run, that stage is chosen; when none is, the first group (in config order) takes its first ready
    stage, which is later than its first stage still to be run; and so on. NotReadyError when a group has none.
    """
    pending = list(groups)
    while pending:
        chosen = True
        while chosen:
            chosen = False
            for group in list(pending):
                remaining = _still_to_run(statuses, group, set(plan.targets))
                if not remaining:
                    note = _nothing_left(statuses, group, plan.targets, force)
                    if note:
                        plan.notes.append(note)
                elif _unready_inputs(pipeline, statuses, remaining[0], set(plan.targets)):
                    continue
                else:
                    plan.targets.append(remaining[0])
                pending.remove(group)
                chosen = True
        if pending:
            stage = next_ready_stage(pipeline, statuses, pending.pop(0), set(plan.targets))
            assert stage is not None  # it had a stage still to be run
            plan.targets.append(stage)


def _still_to_run(statuses: Mapping[str, ModuleStatus], group: MultistageGroup, going_to_run: set[str]) -> list[str]:
    """The stages of ``group`` in order, less those COMPLETE, RUNNING in another process, or in ``going_to_run``."""
    return [
        stage
        for stage in group.stages
        if stage not in going_to_run and statuses[stage].state not in (State.COMPLETE, State.RUNNING)
    ]


def _nothing_left(
    statuses: Mapping[str, ModuleStatus], group: MultistageGroup, targets: list[str], force: bool
) -> str | None:
    """The note for a group with no stage still to be run; None when stages of it are named, and none is running
    elsewhere (the command runs what it names). ``-f`` does not choose a stage to run again: it says how to name
    one."""
    running = [stage for stage in group.stages if statuses[stage].state is State.RUNNING]
    if running:
        return f"no stage of {group.name} is left to run: {', '.join(running)} running in another process"
    if any(stage in targets for stage in group.stages):
        return None
    forced = f" (-f runs again only the stages named: {group.name}:STAGE, or {group.name}:all)" if force else ""
    return f"every stage of {group.name} is complete: nothing to run{forced}"


def next_ready_stage(
    pipeline: Pipeline, statuses: Mapping[str, ModuleStatus], group: MultistageGroup, going_to_run: set[str]
) -> str | None:
    """The first stage, in order, still to be run and whose inputs are ready; None if no stage is still to be run.

    A stage is still to be run unless it is COMPLETE, RUNNING in another process, or in ``going_to_run`` (named in
    the same command). Raises NotReadyError, saying what each such stage waits for, when none of them is ready.
    """
    waiting = []
    for stage in _still_to_run(statuses, group, going_to_run):
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
