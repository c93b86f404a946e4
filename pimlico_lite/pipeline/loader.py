"""Turn raw config sections and module types into a checked :class:`Pipeline`.

Every problem in the file is collected and reported at once: unknown names (with "did you mean"), options that
do not convert, connections to later or unknown modules, datatype mismatches. Multistage modules are expanded
here into one module instance per stage, ``name:stage``.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

from pimlico_lite._gc import gc_paused
from pimlico_lite.config import RawSection, RawValue, Sources, read_config
from pimlico_lite.config.reader import display_path, misnamed_section
from pimlico_lite.core.info import BaseModuleInfo, DeclaredInput
from pimlico_lite.core.multistage import MultistageModuleInfo
from pimlico_lite.core.names import RESERVED_NAMES, Address, check_name, folder_name
from pimlico_lite.core.options import convert_value, expand_user, follow_links
from pimlico_lite.datatypes import Datatype, MultipleInputs, input_datatype
from pimlico_lite.errors import (
    ConfigError,
    Location,
    ModuleTypeError,
    PimlicoLiteError,
    Problem,
    closest,
    did_you_mean,
    failure_in_user_code,
    name_list,
)
from pimlico_lite.pipeline.model import Connection, ModuleInstance, MultistageGroup, Pipeline, SourceFile
from pimlico_lite.pipeline.module_types import import_module_type
from pimlico_lite.pipeline.paths import STORE_ENVIRONMENT_VARIABLE, extend_import_path

PIPELINE_KEYS = ("name", "release", "python_path", "store")
DEFAULT_STORE_FOLDER = "store"


@gc_paused
def load_pipeline(path: str | Path, sources: Sources | None = None) -> Pipeline:
    """Read, check and expand the pipeline config at ``path``; raise ConfigError listing every problem.

    ``sources``, when given, gets the files read and the paths followed (see :class:`~pimlico_lite.config.Sources`).
    """
    config_path = Path(path).absolute()
    sources = Sources() if sources is None else sources
    sections = read_config(config_path, sources)
    problems: list[Problem] = []
    settings = _pipeline_settings(config_path, sections, problems)
    python_path = _extend_python_path(config_path, settings.get("python_path"), sources, problems)
    builder = _Builder(config_path, sections, problems)
    for section in sections:
        if section.name not in RESERVED_NAMES:
            builder.add(section)
    if problems:
        _missing_python_path(config_path, settings.get("python_path"), problems)
        raise ConfigError(problems)
    name = settings["name"].value
    return Pipeline(
        name=name,
        config_path=config_path,
        store_path=_store_path(config_path, settings.get("store")) / folder_name(name),
        release=settings["release"].value if "release" in settings else None,
        instances=builder.instances,
        groups=builder.groups,
        python_path=python_path,
    )


def _pipeline_settings(config_path: Path, sections: list[RawSection], problems: list[Problem]) -> dict[str, RawValue]:
    section = next((s for s in sections if s.name == "pipeline"), None)
    if section is None:
        hint = misnamed_section("pipeline", sections)
        message = f"no [pipeline] section: it must give the pipeline a name{hint}"
        problems.append(Problem(message, Location(display_path(config_path))))
        raise ConfigError(problems)
    for key in section.values:
        if key not in PIPELINE_KEYS:
            message = f"unknown setting{did_you_mean(key, PIPELINE_KEYS)}; known: {', '.join(PIPELINE_KEYS)}"
            problems.append(Problem(message, section.values[key].location, "pipeline", key))
    if "name" not in section.values:
        problems.append(Problem("missing required setting 'name'", section.location, "pipeline"))
        raise ConfigError(problems)
    name = section.values["name"]
    problem = check_name(name.value, "pipeline")
    if problem:
        problems.append(Problem(problem, name.location, "pipeline", "name"))
    return section.values


def _extend_python_path(
    config_path: Path, python_path: RawValue | None, sources: Sources, problems: list[Problem]
) -> tuple[str, ...]:
    """Put the ``python_path`` folders (relative to the config's folder) on the import path; return them."""
    if python_path is None:
        return ()
    folders = []
    for entry in _entries(python_path):
        written = config_path.parent / entry
        try:
            folders.append(str(follow_links(written)))
        except ValueError as error:
            message = f"cannot follow folder '{entry}': {error}"
            problems.append(Problem(message, python_path.location, "pipeline", "python_path"))
            continue
        sources.links[str(written)] = folders[-1]
    extend_import_path(folders)
    return tuple(folders)


def _entries(python_path: RawValue) -> list[str]:
    """The folders that ``python_path`` names, as written (``a:b``, spaces at their ends left out)."""
    return [entry.strip() for entry in python_path.value.split(":") if entry.strip()]


def _missing_python_path(config_path: Path, python_path: RawValue | None, problems: list[Problem]) -> None:
    """When a module type was not found, say so of each ``python_path`` folder that is not there, at its line, with
    the closest folder beside it, or that this user may not read. (One that is not there is no mistake in itself: it
    may be made later, as a folder on ``PYTHONPATH`` may.)"""
    if python_path is None or not any(p.message.startswith("unknown module type") for p in problems):
        return
    for entry in _entries(python_path):
        folder = config_path.parent / entry
        if os.path.lexists(folder):
            if os.path.isdir(folder) and not os.access(folder, os.R_OK | os.X_OK):  # (another user's, say)
                message = f"folder '{entry}' cannot be read: no module type can be found in it"
                problems.insert(0, Problem(message, python_path.location, "pipeline", "python_path"))
            continue
        try:
            siblings = [found.name for found in os.scandir(folder.parent) if found.is_dir()]
        except OSError:
            siblings = []
        near = closest(folder.name, siblings)
        hint = f" (did you mean '{os.path.join(os.path.dirname(entry), near)}'?)" if near else ""
        message = f"folder '{entry}' does not exist{hint}: no module type can be found in it"
        # First: the likely cause of every "unknown module type" after it (and listed, however many those are).
        problems.insert(0, Problem(message, python_path.location, "pipeline", "python_path"))


def _store_path(config_path: Path, setting: RawValue | None) -> Path:
    """The store root: $PIMLICO_LITE_STORE, else ``[pipeline] store``, else ``store/`` beside the config."""
    from_environment = os.environ.get(STORE_ENVIRONMENT_VARIABLE)
    if from_environment:
        return Path(from_environment).absolute()
    if setting is not None and setting.value.strip():
        try:
            return (config_path.parent / expand_user(setting.value.strip())).absolute()
        except ValueError as error:
            raise ConfigError([Problem(str(error), setting.location, "pipeline", "store")]) from None
    return config_path.parent / DEFAULT_STORE_FOLDER


class _Output(NamedTuple):
    """An output that later modules can connect to: which instance produces it, and its datatype."""

    producer: str
    name: str
    datatype: Datatype


class _Builder:
    """Add module sections one by one, keeping what earlier sections offer for later ones to connect to."""

    def __init__(self, config_path: Path, sections: list[RawSection], problems: list[Problem]) -> None:
        self.config_dir = config_path.parent
        self.problems = problems
        self.positions = {s.name: index for index, s in enumerate(sections) if s.name not in RESERVED_NAMES}
        self.lines = {s.name: s.location for s in sections if s.name not in RESERVED_NAMES}
        self.instances: dict[str, ModuleInstance] = {}
        self.groups: dict[str, MultistageGroup] = {}
        # module or module:stage -> output name -> output; the first output is the default one
        self.outputs: dict[str, dict[str, _Output]] = {}
        self.previous: str | None = None
        self.folded_names: dict[str, str] = {}

    def problem(self, message: str, section: RawSection, key: str | None = None) -> None:
        location = section.values[key].location if key in section.values else section.location
        self.problems.append(Problem(message, location, section.name, key))

    def add(self, section: RawSection) -> None:
        """Add the module instances of one section, or report its problems.

        Either way the section is the next one's default input: a default input from a section that failed is not
        reported again, nor connected to the module before it instead.
        """
        self.add_module(section)
        self.previous = section.name

    def add_module(self, section: RawSection) -> None:
        name_problem = check_name(section.name)
        if name_problem:
            self.problem(name_problem, section)
            return
        folded = unicodedata.normalize("NFC", section.name).casefold()
        if folded in self.folded_names:
            other = self.folded_names[folded]
            message = f"'{section.name}' and '{other}' differ only in case: on some file systems they share a folder"
            self.problem(message, section)
            return
        self.folded_names[folded] = section.name
        info = self.module_type(section)
        if info is None:
            return
        inputs = self.connect_inputs(section, info)
        options = self.convert_options(section, info)
        if info.is_multistage:
            assert issubclass(info, MultistageModuleInfo)
            # Listed (status m) stage by stage, as the module type declares them, then the undeclared ones.
            specs = info.option_specs()
            options = {name: options[name] for name in specs} | {k: v for k, v in options.items() if k not in specs}
            self.add_multistage(section, info, inputs, options)
        else:
            self.add_instance(section, info, inputs, options)

    def module_type(self, section: RawSection) -> type[BaseModuleInfo] | None:
        if "type" not in section.values:
            near = closest("type", section.values)
            hint = f" ('{near}' at {section.values[near].location}: did you mean 'type'?)" if near else ""
            self.problem(f"missing 'type': the dotted path of a module type package{hint}", section)
            return None
        try:
            info = import_module_type(section.values["type"].value)
            info.option_specs()  # checks the module type's option declarations
            return info
        except PimlicoLiteError as error:
            self.problem(str(error), section, "type")
            return None

    def connect_inputs(self, section: RawSection, info: type[BaseModuleInfo]) -> dict[str, list[Connection]]:
        declared = info.input_declarations()
        specs = self.input_keys(section, info, declared)
        connections: dict[str, list[Connection]] = {}
        default_input = next(iter(declared), None)
        for name, (declared_input, is_required) in declared.items():
            if specs is not None and name in specs:
                key, text = specs[name]
                connections[name] = self.resolve(section, key, name, text, declared_input, info)
            elif specs is None:
                continue  # (an input key refused: what it meant to connect is not known, so no more guesses)
            elif is_required and name == default_input:
                connections[name] = self.connect_previous(section, name, declared_input, info)
            elif is_required:
                self.problem(f"required input '{name}' is not connected: add input_{name}=MODULE", section)
        return connections

    def input_keys(
        self, section: RawSection, info: type[BaseModuleInfo], declared: dict[str, tuple[DeclaredInput, bool]]
    ) -> dict[str, tuple[str, str]] | None:
        """Each input of ``declared`` (``info``'s) that the section's ``input`` and ``input_<name>`` keys connect, with
        its key and value; None when one of those keys is refused."""
        specs: dict[str, tuple[str, str]] = {}
        problems = len(self.problems)
        for key, raw in section.values.items():
            if (key == "input" or key.startswith("input_")) and not declared:
                self.problem(f"{info.type_label()} takes no inputs", section, key)
                continue
            if key == "input":
                if len(declared) != 1:
                    inputs = name_list(declared)
                    message = f"'input=' needs a module type with exactly one input; use input_<name> for {inputs}"
                    self.problem(message, section, key)
                    continue
                only = next(iter(declared))
                if f"input_{only}" in section.values:
                    self.problem(f"give the input once: 'input' and 'input_{only}' both connect it", section, key)
                    continue
                specs[only] = (key, raw.value)
            elif key.startswith("input_"):
                name = key.removeprefix("input_")
                if name not in declared:
                    hint = did_you_mean(name, declared)
                    self.problem(f"unknown input '{name}'{hint}; inputs: {name_list(declared)}", section, key)
                    continue
                specs[name] = (key, raw.value)
        return specs if len(self.problems) == problems else None

    def resolve(
        self,
        section: RawSection,
        key: str | None,
        name: str,
        text: str,
        declared: Datatype | MultipleInputs,
        info: type[BaseModuleInfo],
    ) -> list[Connection]:
        specs = [spec.strip() for spec in text.split(",") if spec.strip()]
        if not specs:
            self.problem("expected a module name (or module.output)", section, key)
            return []
        if len(specs) > 1 and not isinstance(declared, MultipleInputs):
            self.problem(f"input '{name}' takes one connection, got {len(specs)}: {text}", section, key)
            return []
        connections = []
        for spec in specs:
            output = self.find_output(section, key, Address.parse(spec))
            if output is not None and self.check_datatype(section, key, name, output, info):
                connections.append(Connection(name, output.producer, output.name))
        return connections

    def find_output(self, section: RawSection, key: str | None, address: Address) -> _Output | None:
        module = address.instance
        if module not in self.outputs:
            position = self.positions.get(address.module)
            if position is not None and position > self.positions[section.name]:
                where = self.lines[address.module]
                # (the module, not the stage named: the stages of one defined later are not known here)
                message = (
                    f"module '{address.module}' is defined later ({where}); inputs can only come from modules above"
                )
            elif address.module == section.name:
                message = f"module '{module}' cannot take input from itself"
            elif address.stage is not None and address.module in self.outputs and address.module not in self.groups:
                message = f"module '{address.module}' is not a multistage module, so it has no stage '{address.stage}'"
            elif position is None or address.stage is not None:
                hint = did_you_mean(module, self.outputs)
                message = f"unknown module '{module}'{hint}; earlier modules: {name_list(self.outputs)}"
            else:
                return None  # an earlier module that failed to load: its own problem is reported already
            self.problem(message, section, key)
            return None
        outputs = self.outputs[module]
        if address.output is None:
            if not outputs:
                self.problem(f"module '{module}' has no outputs", section, key)
                return None
            return next(iter(outputs.values()))
        if address.output not in outputs:
            hint = did_you_mean(address.output, outputs)
            self.problem(
                f"module '{module}' has no output '{address.output}'{hint}; outputs: {name_list(outputs)}",
                section,
                key,
            )
            return None
        return outputs[address.output]

    def connect_previous(
        self, section: RawSection, name: str, declared: Datatype | MultipleInputs, info: type[BaseModuleInfo]
    ) -> list[Connection]:
        if self.previous is not None and self.previous not in self.outputs:
            return []  # the section above has a problem, reported already
        if self.previous is None or not self.outputs[self.previous]:
            why = "there is no module above" if self.previous is None else f"'{self.previous}' has no outputs"
            self.problem(f"required input '{name}' is not connected and {why}: add input_{name}=MODULE", section)
            return []
        return self.resolve(section, None, name, self.previous, declared, info)

    def check_datatype(
        self, section: RawSection, key: str | None, name: str, output: _Output, info: type[BaseModuleInfo]
    ) -> bool:
        for expected in _expected_datatypes(info, name):
            try:
                accepted = expected.accepts(output.datatype)
            except Exception as error:
                what = f"{type(expected).__name__}.accepts({type(output.datatype).__name__}()), for input '{name}',"
                self.problem(str(failure_in_user_code(what, error)), section, key)
                return False
            if not accepted:
                message = (
                    f"input '{name}' of '{section.name}' expects {type(expected).__name__}, but output"
                    f" '{output.name}' of '{output.producer}' is {type(output.datatype).__name__}"
                )
                self.problem(message, section, key)
                return False
        return True

    def convert_options(self, section: RawSection, info: type[BaseModuleInfo]) -> dict[str, Any]:
        specs = info.option_specs()
        options: dict[str, Any] = {}
        for key, raw in section.values.items():
            if key in ("type", "input") or key.startswith("input_"):
                continue
            spec = specs.get(key) or info.dynamic_option_spec(key)
            if spec is None:
                from pimlico_lite.pipeline.hints import unknown_option_hint  # (only for a mistake)

                # An option's name, or else the config's own keys misspelt (inputs = a, inptu_numbers = a).
                own = ["type", "input", *(f"input_{name}" for name in info.input_declarations())]
                hint = unknown_option_hint(key, info, specs) or did_you_mean(key, own)
                self.problem(f"unknown option{hint}; options of {info.type_label()}: {name_list(specs)}", section, key)
                continue
            if spec.required and not raw.value.strip():  # `dir =` leaves a required option as unset as no line does
                self.problem(f"required option '{key}' ({spec.type_name}) is empty", section, key)
                options[key] = spec.default
                continue
            try:
                options[key] = convert_value(spec.type, raw.value)
            except ValueError as error:
                self.problem(str(error), section, key)
                options[key] = spec.default  # so that the rest of the section is checked too (never run: a problem)
        for name, spec in specs.items():
            if name not in options and name not in section.values:
                if spec.required:
                    self.missing(section, name, spec.type_name, [key for key in options if key not in specs])
                options[name] = spec.default
        return options

    def missing(self, section: RawSection, name: str, type_name: str, dynamic: list[str]) -> None:
        """Report required option ``name`` missing: at the line of a key taken as a dynamic option (a
        hyperparameter, ``train_primitve``) that is the name misspelt, if there is one."""
        message = f"missing required option '{name}' ({type_name})"
        near = closest(name, dynamic)
        if near is None:
            self.problem(message, section)
        else:
            self.problem(f"{message}; '{near}' is taken as an option of its own: did you mean '{name}'?", section, near)

    def add_instance(
        self,
        section: RawSection,
        info: type[BaseModuleInfo],
        inputs: dict[str, list[Connection]],
        options: dict[str, Any],
    ) -> None:
        type_path = section.values["type"].value.strip()
        external = None
        required = [name for name, spec in info.option_specs().items() if spec.required]
        if not info.module_executable and all(options.get(name) is not None for name in required):
            try:
                external = _checked_output_dirs(info, info.external_output_dirs(options, self.config_dir))
            except (PimlicoLiteError, ValueError) as error:
                self.problem(str(error), section, "type")
            except Exception as error:
                what = f"module type {info.type_label()}: external_output_dirs()"
                self.problem(str(failure_in_user_code(what, error)), section, "type")
        self.instances[section.name] = ModuleInstance(
            section.name,
            type_path,
            info,
            options,
            inputs,
            len(self.instances),
            section.description,
            section.location,
            external_outputs=external,
            source_files=self.source_files(section, info, options),
        )
        self.outputs[section.name] = {
            name: _Output(section.name, name, datatype) for name, datatype in info.module_outputs
        }

    def source_files(
        self, section: RawSection, info: type[BaseModuleInfo], options: dict[str, Any]
    ) -> tuple[SourceFile, ...]:
        """The files that ``info`` declares it reads, as ``options`` name them (an option may hold a list of them)."""
        if not info.module_source_files:
            return ()
        paths = []
        for name in info.module_source_files:
            value = options.get(name)
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if item is not None and not isinstance(item, (str, os.PathLike)):
                    message = (
                        f"module type {info.type_label()}: module_source_files names option '{name}', whose value"
                        f" {item!r} is not a file's name (options that hold file names, such as 'path', belong there)"
                    )
                    self.problem(message, section, "type")
                elif item:
                    written = os.fspath(item)
                    with contextlib.suppress(ValueError):  # (~user with no home folder: the module's run says so)
                        path = os.path.abspath(self.config_dir / expand_user(written))
                        paths.append(SourceFile(f"file {written}", path))
        return tuple(paths)

    def add_multistage(
        self,
        section: RawSection,
        info: type[MultistageModuleInfo],
        inputs: dict[str, list[Connection]],
        options: dict[str, Any],
    ) -> None:
        type_path = section.values["type"].value.strip()
        stage_names = []
        for stage in info.stages:
            name = f"{section.name}:{stage.name}"
            stage_inputs = {}
            for stage_input, source in info.stage_inputs[stage.name].items():
                if source.stage is not None:
                    stage_inputs[stage_input] = [Connection(stage_input, f"{section.name}:{source.stage}", source.name)]
                elif source.name in inputs:
                    stage_inputs[stage_input] = [
                        Connection(stage_input, c.producer, c.output) for c in inputs[source.name]
                    ]
            stage_options = {option: options[main] for option, main in info.stage_options[stage.name].items()}
            for main, value in info.dynamic_options(options).items():
                route = info.route_dynamic_option(main)
                if route is not None and route[0] == stage.name:
                    stage_options[route[1]] = value
            prefix = next((prefix for prefix, owner in info.dynamic_option_stages.items() if owner == stage.name), "")
            self.instances[name] = ModuleInstance(
                name,
                f"{type_path}:{stage.name}",
                stage.info,
                stage_options,
                stage_inputs,
                len(self.instances),
                section.description,
                section.location,
                section.name,
                stage.name,
                option_keys=dict(info.stage_options[stage.name]),
                dynamic_prefix=prefix,
                input_names={
                    name: source.name for name, source in info.stage_inputs[stage.name].items() if source.stage is None
                },
                source_files=self.source_files(section, stage.info, stage_options),
            )
            self.outputs[name] = {o: _Output(name, o, datatype) for o, datatype in stage.info.module_outputs}
            stage_names.append(name)
        outputs = {main: (f"{section.name}:{stage}", output) for main, (stage, output) in info.main_outputs.items()}
        self.groups[section.name] = MultistageGroup(
            section.name,
            type_path,
            info,
            stage_names,
            outputs,
            options,
            len(self.groups),
            section.description,
            section.location,
        )
        self.outputs[section.name] = {
            main: _Output(producer, output, self.outputs[producer][output].datatype)
            for main, (producer, output) in outputs.items()
        }


_EXPECTED: dict[tuple[type[BaseModuleInfo], str], list[Datatype]] = {}


def _checked_output_dirs(info: type[BaseModuleInfo], folders: Any) -> dict[str, Path]:
    """What a non-executable module type's ``external_output_dirs()`` returned, checked: a folder for each of its
    outputs, by name."""
    names = [name for name, _ in info.module_outputs]
    if (
        not isinstance(folders, dict)
        or set(folders) != set(names)
        or not all(isinstance(folder, (str, os.PathLike)) for folder in folders.values())
    ):
        message = (
            f"module type {info.type_label()}: external_output_dirs() must return a dict of the folder (a Path) of"
            f" each of its outputs by name ({', '.join(names) or 'none declared'}), got {folders!r}"
        )
        raise ModuleTypeError(message)
    return {name: Path(folder) for name, folder in folders.items()}


def _expected_datatypes(info: type[BaseModuleInfo], name: str) -> list[Datatype]:
    """The datatypes an output must satisfy to feed input ``name`` (every stage input it feeds, if multistage)."""
    key = (info, name)
    if key not in _EXPECTED:
        _EXPECTED[key] = _find_expected_datatypes(info, name)
    return _EXPECTED[key]


def _find_expected_datatypes(info: type[BaseModuleInfo], name: str) -> list[Datatype]:
    if issubclass(info, MultistageModuleInfo):
        return [
            input_datatype(stage.info.input_declarations()[stage_input][0])
            for stage_name, stage_input in info.main_input_targets[name]
            for stage in info.stages
            if stage.name == stage_name
        ]
    return [input_datatype(info.input_declarations()[name][0])]
