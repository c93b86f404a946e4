"""Multistage modules: several module types chained into one module instance that runs stage by stage.

``ModuleInfo = multistage_module("name", [ModuleStage(...), ...])`` builds the module-info class. This module
works out, once, at import time, where every stage input comes from (an earlier stage or an input of the
multistage module), which stage outputs the multistage module offers, and which multistage option feeds which
stage option. The pipeline loader then expands an instance into one module instance per stage, ``name:stage``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from pimlico_lite.core.info import BaseModuleInfo, DeclaredInput, check_declarations
from pimlico_lite.core.names import check_name
from pimlico_lite.core.options import OptionSpec, declared_converter, type_name, unsettable_option
from pimlico_lite.datatypes import Datatype, MultipleInputs, input_datatype
from pimlico_lite.errors import ModuleTypeError, did_you_mean, name_list


class InternalModuleConnection(NamedTuple):
    """Connect a stage's ``input`` to ``output`` (default: the default output) of ``stage`` (default: previous)."""

    input: str
    output: str | None = None
    stage: str | None = None


class ModuleInputConnection(NamedTuple):
    """Connect a stage's ``stage_input`` to an input of the multistage module (default: the same name)."""

    stage_input: str
    main_input: str | None = None


class ModuleOutputConnection(NamedTuple):
    """Offer a stage's ``stage_output`` as an output of the multistage module (default: the same name)."""

    stage_output: str
    main_output: str | None = None


InputConnection = InternalModuleConnection | ModuleInputConnection
_CONNECTION_KINDS = (InternalModuleConnection, ModuleInputConnection, ModuleOutputConnection)
_Connection = InternalModuleConnection | ModuleInputConnection | ModuleOutputConnection


class ModuleStage(NamedTuple):
    """One stage of a multistage module: a name, a module-info class, and how it is connected."""

    name: str
    info: type[BaseModuleInfo]
    connections: Sequence[InputConnection] = ()
    output_connections: Sequence[ModuleOutputConnection] = ()
    option_connections: Mapping[str, str] = MappingProxyType({})
    use_stage_option_names: bool = False


# ModuleStage's arguments that list connections: the kinds each takes, and where the others go.
_CONNECTIONS = (
    ("connections", (InternalModuleConnection, ModuleInputConnection), "output connections go in output_connections="),
    ("output_connections", (ModuleOutputConnection,), "input connections go in connections="),
)


class StageSource(NamedTuple):
    """Where a stage input comes from: an earlier stage's output, or (``stage`` None) a multistage input."""

    stage: str | None
    name: str


class MultistageModuleInfo(BaseModuleInfo):
    """The module-info of a multistage module; built by :func:`multistage_module`, never subclassed by hand."""

    is_multistage: ClassVar[bool] = True
    module_executable: ClassVar[bool] = False
    stages: ClassVar[list[ModuleStage]] = []
    # stage -> stage input -> where it comes from
    stage_inputs: ClassVar[dict[str, dict[str, StageSource]]] = {}
    # multistage input -> the (stage, stage input) pairs it feeds
    main_input_targets: ClassVar[dict[str, list[tuple[str, str]]]] = {}
    # multistage output -> (stage, stage output)
    main_outputs: ClassVar[dict[str, tuple[str, str]]] = {}
    # stage -> stage option -> multistage option
    stage_options: ClassVar[dict[str, dict[str, str]]] = {}
    # option-name prefix -> the stage that takes undeclared options with that prefix ("" for unprefixed ones)
    dynamic_option_stages: ClassVar[dict[str, str]] = {}

    @classmethod
    def stage_names(cls) -> list[str]:
        """The stage names, in order."""
        return [stage.name for stage in cls.stages]

    @classmethod
    def route_dynamic_option(cls, name: str) -> tuple[str, str] | None:
        """The (stage, stage option) an undeclared multistage option goes to, or None if no stage takes it."""
        for prefix, stage in sorted(cls.dynamic_option_stages.items(), key=lambda item: -len(item[0])):
            if name.startswith(prefix) and len(name) > len(prefix):
                return stage, name[len(prefix) :]
        return None

    @classmethod
    def dynamic_option_spec(cls, name: str) -> OptionSpec | None:
        """The spec of the stage that takes undeclared option ``name``, or None if none does."""
        route = cls.route_dynamic_option(name)
        if route is None:
            return None
        stage = next(stage for stage in cls.stages if stage.name == route[0])
        return stage.info.dynamic_option_spec(route[1])


def _type_of(declaration: Mapping[str, Any]) -> str:
    """What an option declaration's type accepts, in words (``integer of at least 1``)."""
    return type_name(declared_converter(declaration.get("type", str)))


def stage_option_key(option_keys: Mapping[str, str] | None, dynamic_prefix: str, name: str) -> str:
    """The config key that sets a module's option ``name``: for a stage, the multistage module's option it is fed by
    (``option_keys``: ``threshold`` for stage1's ``threshold``, say; ``train_C`` for an undeclared ``C`` of a stage
    whose ``dynamic_prefix`` is ``train_``); for any other module (``option_keys`` None), ``name`` itself."""
    if option_keys is None:
        return name
    return option_keys.get(name, dynamic_prefix + name)


def multistage_module(
    module_name: str, stages: Sequence[ModuleStage], use_stage_option_names: bool = False
) -> type[MultistageModuleInfo]:
    """Build the module-info class of a multistage module from its stages (see docs/multistage.md)."""
    if isinstance(stages, ModuleStage) or not all(isinstance(stage, ModuleStage) for stage in stages):
        message = f"multistage module {module_name}: the stages must be a list of ModuleStage(...), got {stages!r}"
        raise ModuleTypeError(message)
    if not stages:
        message = f"multistage module {module_name}: needs at least one stage"
        raise ModuleTypeError(message)
    if not isinstance(use_stage_option_names, bool):
        message = (
            f"multistage module {module_name}: use_stage_option_names is True or False, not {use_stage_option_names!r}"
        )
        raise ModuleTypeError(message)
    builder = _Builder(module_name, [stage.name for stage in stages])
    for index, stage in enumerate(stages):
        builder.add_stage(index, stage, use_stage_option_names)
    builder.check_undeclared_option_prefixes()
    builder.add_outputs(stages)
    attributes: dict[str, Any] = {
        "module_type_name": module_name,
        "stages": list(stages),
        "stage_inputs": builder.stage_inputs,
        "main_input_targets": builder.main_input_targets,
        "main_outputs": builder.main_outputs,
        "stage_options": builder.stage_options,
        "dynamic_option_stages": builder.dynamic_option_stages,
        "module_inputs": [(name, declared) for name, (declared, required) in builder.inputs.items() if required],
        "module_optional_inputs": [
            (name, declared) for name, (declared, required) in builder.inputs.items() if not required
        ],
        "module_outputs": builder.outputs,
        "module_options": builder.options,
        # Report the module type as the package that called us (as namedtuple does), not this module.
        "__module__": sys._getframe(1).f_globals.get("__name__", __name__),
    }
    return type("ModuleInfo", (MultistageModuleInfo,), attributes)


class _Builder:
    """Collect a multistage module's wiring stage by stage, failing with a clear ModuleTypeError."""

    def __init__(self, module_name: str, stage_names: list[str]) -> None:
        self.module_name = module_name
        self.stage_names = stage_names  # every stage's, in order (``stages`` holds those added so far)
        self.stages: dict[str, type[BaseModuleInfo]] = {}
        self.stage_inputs: dict[str, dict[str, StageSource]] = {}
        self.inputs: dict[str, tuple[DeclaredInput, bool]] = {}
        self.main_input_targets: dict[str, list[tuple[str, str]]] = {}
        self.main_outputs: dict[str, tuple[str, str]] = {}
        self.outputs: list[tuple[str, Datatype]] = []
        self.options: dict[str, dict[str, Any]] = {}
        # multistage option -> the stage, and its option, that the stage-name prefix named it for (see add_options)
        self.prefixed_options: dict[str, tuple[str, str]] = {}
        self.stage_options: dict[str, dict[str, str]] = {}
        self.dynamic_option_stages: dict[str, str] = {}

    def fail(self, stage: str | None, message: str) -> ModuleTypeError:
        where = f"multistage module {self.module_name}" + (f", stage {stage}" if stage else "")
        return ModuleTypeError(f"{where}: {message}")

    def add_stage(self, index: int, stage: ModuleStage, use_stage_option_names: bool) -> None:
        self.check_shape(stage)
        problem = check_name(stage.name, "stage")
        if problem:
            raise self.fail(stage.name, problem)
        same = [name for name in self.stages if name.casefold() == stage.name.casefold()]
        if same:
            case = f" (as '{same[0]}' but for case: on some file systems they would share a folder)"
            raise self.fail(stage.name, "two stages have this name" + ("" if same[0] == stage.name else case))
        self.check_stage_type(stage)
        check_declarations(stage.info)
        declared = stage.info.input_declarations()
        sources: dict[str, StageSource] = {}
        for connection in stage.connections:
            if isinstance(connection, InternalModuleConnection):
                self.check_unconnected(stage, connection.input, sources)
                sources[connection.input] = self.internal_source(stage, connection, declared)
            else:  # (check_shape let only the two kinds through)
                self.check_unconnected(stage, connection.stage_input, sources)
                self.check_input(stage, connection.stage_input, declared)
                main = connection.main_input or connection.stage_input
                sources[connection.stage_input] = self.main_source(stage.name, connection.stage_input, main, declared)
        if not stage.connections and index > 0 and declared:
            default_input = next(iter(declared))
            previous = list(self.stages)[-1]
            sources[default_input] = self.internal_source(
                stage, InternalModuleConnection(default_input, None, previous), declared
            )
        # Left-over required inputs become multistage inputs of the same name; optional ones only for a first
        # stage given no connections, whose inputs all become the multistage module's inputs.
        takes_all = index == 0 and not stage.connections
        for name, (_, required) in declared.items():
            if name not in sources and (required or takes_all):
                sources[name] = self.main_source(stage.name, name, name, declared)
        self.stages[stage.name] = stage.info
        self.stage_inputs[stage.name] = sources
        self.add_options(stage, use_stage_option_names)

    def check_shape(self, stage: ModuleStage) -> None:
        """Each argument of ``ModuleStage`` is of the kind it takes (the other checks look at what they name)."""
        if not isinstance(stage.name, str):
            raise self.fail(None, f"a stage's name is a string, not {stage.name!r}")
        for argument, kinds, elsewhere in _CONNECTIONS:
            self.check_connections(stage, argument, kinds, elsewhere)
        self.check_option_connections(stage)
        if not isinstance(stage.use_stage_option_names, bool):
            message = f"use_stage_option_names is True or False, not {stage.use_stage_option_names!r}"
            raise self.fail(stage.name, message)

    def check_connections(
        self, stage: ModuleStage, argument: str, kinds: tuple[type[_Connection], ...], elsewhere: str
    ) -> None:
        """``argument`` of ``stage`` is a list of connections of ``kinds``, each naming things by strings."""
        connections = getattr(stage, argument)
        wanted = f"{argument} is a list of {' or '.join(kind.__name__ for kind in kinds)}"
        if not isinstance(connections, list) and type(connections) is not tuple:
            raise self.fail(stage.name, f"{wanted}, not {connections!r}")
        for connection in connections:
            if not isinstance(connection, kinds):
                hint = f" ({elsewhere})" if isinstance(connection, _CONNECTION_KINDS) else ""
                raise self.fail(stage.name, f"{wanted}, got {connection!r}{hint}")
            first, *optional = connection._fields
            for field, value in connection._asdict().items():
                if not isinstance(value, str) and (value is not None or field == first):
                    kind = "a name (a string)" + (" or None" if field in optional else "")
                    raise self.fail(stage.name, f"{type(connection).__name__}'s {field} is {kind}, not {value!r}")

    def check_option_connections(self, stage: ModuleStage) -> None:
        """``option_connections`` maps the stage's option names to names that a config can set."""
        if not isinstance(stage.option_connections, Mapping):
            message = (
                "option_connections must map the stage's option names to the multistage module's,"
                f" such as {{'threshold': 'shared_threshold'}}; got {stage.option_connections!r}"
            )
            raise self.fail(stage.name, message)
        for option, main in stage.option_connections.items():
            if not isinstance(option, str):
                message = f"option_connections maps the stage's option names (strings) to names, got {option!r}"
                raise self.fail(stage.name, message)
            problem = unsettable_option(main)
            if problem:
                message = (
                    f"option_connections names the stage's option '{option}' {main!r}, which could never be set,"
                    f" because {problem}"
                )
                raise self.fail(stage.name, message)

    def check_stage_type(self, stage: ModuleStage) -> None:
        """A stage is an executable, single-stage module type."""
        info = stage.info
        if not (isinstance(info, type) and issubclass(info, BaseModuleInfo)):
            message = f"info must be a module type's ModuleInfo class (from its info.py), got {info!r}"
            raise self.fail(stage.name, message)
        if info.is_multistage:
            message = f"{info.type_label()} is a multistage module: use its stages as stages of this one instead"
            raise self.fail(stage.name, message)
        if not info.module_executable:
            message = (
                f"{info.type_label()} runs nothing (its data is made outside the pipeline), so it cannot be a stage"
            )
            raise self.fail(stage.name, message)

    def check_unconnected(self, stage: ModuleStage, name: str, sources: dict[str, StageSource]) -> None:
        if name in sources:
            raise self.fail(stage.name, f"input '{name}' is connected twice")

    def check_input(self, stage: ModuleStage, name: str, declared: dict[str, Any]) -> None:
        if name not in declared:
            hint = did_you_mean(name, declared)
            raise self.fail(stage.name, f"has no input '{name}'{hint}; its inputs: {name_list(declared)}")

    def internal_source(
        self, stage: ModuleStage, connection: InternalModuleConnection, declared: dict[str, Any]
    ) -> StageSource:
        self.check_input(stage, connection.input, declared)
        source = connection.stage or (list(self.stages)[-1] if self.stages else None)
        if source is None:
            raise self.fail(stage.name, "the first stage cannot take input from a previous stage")
        if source not in self.stages:
            if source == stage.name:
                message = f"a stage cannot take input from itself; earlier stages: {name_list(self.stages)}"
            elif source in self.stage_names:
                message = (
                    f"stage '{source}' comes after this one: a stage takes input only from earlier stages;"
                    f" earlier stages: {name_list(self.stages)}"
                )
            else:
                hint = did_you_mean(source, self.stages)
                message = f"stage '{source}' is not an earlier stage{hint}; earlier stages: {name_list(self.stages)}"
            raise self.fail(stage.name, message)
        outputs = self.stages[source].output_datatypes()
        output = connection.output or self.stages[source].default_output()
        if output is None:
            raise self.fail(stage.name, f"stage '{source}' has no outputs to feed input '{connection.input}'")
        if output not in outputs:
            hint = did_you_mean(output, outputs)
            message = f"stage '{source}' has no output '{output}'{hint}; its outputs: {name_list(outputs)}"
            raise self.fail(stage.name, message)
        expected = input_datatype(declared[connection.input][0])
        if not expected.accepts(outputs[output]):
            message = (
                f"input '{connection.input}' ({type(expected).__name__}) cannot take output '{output}' of stage"
                f" '{source}' ({type(outputs[output]).__name__})"
            )
            raise self.fail(stage.name, message)
        return StageSource(source, output)

    def main_source(
        self, stage: str, stage_input: str, main: str, declared: dict[str, tuple[DeclaredInput, bool]]
    ) -> StageSource:
        datatype, required = declared[stage_input]
        if main in self.inputs:
            existing, was_required = self.inputs[main]
            if isinstance(existing, MultipleInputs) != isinstance(datatype, MultipleInputs):
                raise self.fail(stage, f"input '{main}' is shared by a multiple and a single input")
            self.inputs[main] = (existing, was_required or required)
        else:
            self.inputs[main] = (datatype, required)
        self.main_input_targets.setdefault(main, []).append((stage, stage_input))
        return StageSource(None, main)

    def add_options(self, stage: ModuleStage, use_stage_option_names: bool) -> None:
        declared = stage.info.module_options
        for option in stage.option_connections:
            if option not in declared:
                hint = did_you_mean(option, declared)
                message = f"option_connections names unknown option '{option}'{hint}; options: {name_list(declared)}"
                raise self.fail(stage.name, message)
        mapping = {}
        for option, declaration in declared.items():
            prefixed = False
            if option in stage.option_connections:
                main = stage.option_connections[option]
            elif stage.use_stage_option_names or use_stage_option_names:
                main = option
            else:
                main, prefixed = f"{stage.name}_{option}", True
            # The first stage to use a multistage option name defines it. Stages share an option when one of them
            # chose its name (option_connections, use_stage_option_names); two names made by the stage-name prefix
            # that come out alike (stage a's option b_c and stage a_b's c are both a_b_c) are an accident, not a tie.
            if prefixed and main in self.prefixed_options:
                other, other_option = self.prefixed_options[main]
                message = (
                    f"its option '{option}' and stage {other}'s option '{other_option}' would both be the option"
                    f" '{main}' of the multistage module; give one another name with option_connections (or, to share"
                    f" one value, map this one to '{main}' with option_connections)"
                )
                raise self.fail(stage.name, message)
            first = self.options.setdefault(main, dict(declaration))
            if _type_of(first) != _type_of(declaration):
                # The value is converted once, with the first definition: a stage declaring another type would get
                # a value that its own type never checked (an integer of at least 1 given 0, or a boolean).
                message = (
                    f"its option '{option}' is the multistage option '{main}', which an earlier stage declares as"
                    f" {_type_of(first)}, where this stage declares {_type_of(declaration)}: stages sharing an option"
                    " must declare the same type"
                )
                raise self.fail(stage.name, message)
            if prefixed:
                self.prefixed_options[main] = (stage.name, option)
            mapping[option] = main
        self.stage_options[stage.name] = mapping
        if stage.info.module_dynamic_options is not None:
            prefix = "" if stage.use_stage_option_names or use_stage_option_names else f"{stage.name}_"
            if prefix == "input_":
                message = "its undeclared options would be named input_<name>, which the config keeps for inputs"
                raise self.fail(stage.name, message)
            if prefix in self.dynamic_option_stages:
                other = self.dynamic_option_stages[prefix]
                message = f"stage '{other}' already takes the undeclared options without a prefix"
                raise self.fail(stage.name, message)
            self.dynamic_option_stages[prefix] = stage.name

    def check_undeclared_option_prefixes(self) -> None:
        """No option name may read as two stages' options: stage a's undeclared ``a_<name>`` against stage a_b's
        ``a_b_<name>``, or against its declared ``a_b_<option>`` (the longer prefix, or the declared option, took
        it, and the other stage could never be given that option)."""
        for prefix, stage in self.dynamic_option_stages.items():
            if not prefix:
                continue  # declared options go to their stages; the rest to the stage without a prefix (as designed)
            for other_prefix, other in self.dynamic_option_stages.items():
                if other != stage and other_prefix.startswith(prefix):
                    message = (
                        f"its undeclared options are named {prefix}<name>, and stage {other}'s {other_prefix}<name>:"
                        f" an option {other_prefix}<name> would be either's; rename a stage"
                    )
                    raise self.fail(stage, message)
            for main, (other, option) in self.prefixed_options.items():
                if other != stage and main.startswith(prefix):
                    message = (
                        f"its undeclared options are named {prefix}<name>, and stage {other}'s option '{option}' is"
                        f" the option '{main}' of the multistage module, which would be either's; rename a stage"
                    )
                    raise self.fail(stage, message)

    def add_outputs(self, stages: Sequence[ModuleStage]) -> None:
        connections = [(stage, connection) for stage in stages for connection in stage.output_connections]
        if not connections:
            last = stages[-1]
            default = last.info.default_output()
            if default is not None:
                connections = [(last, ModuleOutputConnection(default))]
        for stage, connection in connections:
            outputs = stage.info.output_datatypes()
            if connection.stage_output not in outputs:
                hint = did_you_mean(connection.stage_output, outputs)
                message = (
                    f"output_connections names unknown output '{connection.stage_output}'{hint};"
                    f" its outputs: {name_list(outputs)}"
                )
                raise self.fail(stage.name, message)
            main = connection.main_output or connection.stage_output
            if main in self.main_outputs:
                raise self.fail(stage.name, f"two output connections are both called '{main}'")
            self.main_outputs[main] = (stage.name, connection.stage_output)
            self.outputs.append((main, outputs[connection.stage_output]))
