"""The declaration side of a module type: ``class ModuleInfo(BaseModuleInfo)`` in its ``info.py``."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, ClassVar

from pimlico_lite.core.executor import BaseModuleExecutor
from pimlico_lite.core.options import (
    OptionSpec,
    convert_value,
    declared_converter,
    option_specs,
    str_to_bool,
    type_name,
)
from pimlico_lite.datatypes import Datatype, MultipleInputs
from pimlico_lite.errors import ModuleTypeError, did_you_mean

DeclaredInput = Datatype | MultipleInputs


class BaseModuleInfo:
    """Declare a module type's inputs, outputs and options; subclass it as ``ModuleInfo`` in ``info.py``.

    Everything here is a class attribute: the pipeline loader, ``status``, ``modules`` and the generated docs all
    read the same declaration. The executor lives in ``execute.py`` beside ``info.py`` and is imported only when
    the module runs.

    A module type with ``module_executable = False`` has no executor: its outputs are data that already exist
    outside the store, in the folders :meth:`external_output_dirs` names. It is COMPLETE when that data is there.
    """

    module_type_name: ClassVar[str] = ""
    module_readable_name: ClassVar[str | None] = None
    module_inputs: ClassVar[list[tuple[str, DeclaredInput]]] = []
    module_optional_inputs: ClassVar[list[tuple[str, DeclaredInput]]] = []
    module_outputs: ClassVar[list[tuple[str, Datatype]]] = []
    module_options: ClassVar[dict[str, dict[str, Any]]] = {}
    # Options whose names are known only when the module runs (the hyperparameters of a wrapped class): None makes
    # any undeclared option an error; a declaration {"help": ..., "type": converter} accepts every undeclared option,
    # converted with ``type``, and leaves checking the names to the executor.
    module_dynamic_options: ClassVar[dict[str, Any] | None] = None
    module_executable: ClassVar[bool] = True
    # Options whose values name files the module reads from outside the store (relative to the config file's
    # folder): a change to such a file since the module read it (its size or modification time) makes the module
    # OUTDATED. A folder counts as changed when a file is added to it, removed or renamed, not when one is edited.
    module_source_files: ClassVar[tuple[str, ...]] = ()
    is_multistage: ClassVar[bool] = False

    @classmethod
    def type_label(cls) -> str:
        """The module type's dotted path, or its declared name when it is not in a package."""
        module = cls.__module__
        return module.removesuffix(".info") if module.endswith(".info") else cls.module_type_name or module

    @classmethod
    def option_specs(cls) -> dict[str, OptionSpec]:
        """The declared options, checked and normalised."""
        cached: dict[str, OptionSpec] | None = cls.__dict__.get("_option_specs")
        if cached is None:
            cached = option_specs(cls.type_label(), cls.module_options)
            cls._option_specs = cached  # type: ignore[attr-defined]
        return cached

    @classmethod
    def dynamic_option_spec(cls, name: str) -> OptionSpec | None:
        """The spec for an undeclared option ``name``, or None when the module type does not accept it."""
        if cls.module_dynamic_options is None:
            return None
        return option_specs(cls.type_label(), {name: cls.module_dynamic_options})[name]

    @classmethod
    def dynamic_options(cls, options: dict[str, Any]) -> dict[str, Any]:
        """The undeclared (dynamic) options among converted ``options``, in the order given."""
        declared = cls.option_specs()
        return {name: value for name, value in options.items() if name not in declared}

    @classmethod
    def input_declarations(cls) -> dict[str, tuple[DeclaredInput, bool]]:
        """Every input, required ones first: name -> (declared datatype, is_required). Do not modify it."""
        cached: dict[str, tuple[DeclaredInput, bool]] | None = cls.__dict__.get("_input_declarations")
        if cached is None:
            cached = {name: (datatype, True) for name, datatype in cls.module_inputs}
            cached.update({name: (datatype, False) for name, datatype in cls.module_optional_inputs})
            cls._input_declarations = cached  # type: ignore[attr-defined]
        return cached

    @classmethod
    def output_datatypes(cls) -> dict[str, Datatype]:
        """Every output in declaration order; the first is the default output. Do not modify it."""
        cached: dict[str, Datatype] | None = cls.__dict__.get("_output_datatypes")
        if cached is None:
            cached = dict(cls.module_outputs)
            cls._output_datatypes = cached  # type: ignore[attr-defined]
        return cached

    @classmethod
    def output_names(cls) -> tuple[str, ...]:
        """The outputs' names in declaration order, made once per module type."""
        cached: tuple[str, ...] | None = cls.__dict__.get("_output_names")
        if cached is None:
            cached = tuple(cls.output_datatypes())
            cls._output_names = cached  # type: ignore[attr-defined]
        return cached

    @classmethod
    def output_type_names(cls) -> dict[str, str]:
        """Each output's datatype, by class name, in declaration order: part of a module instance's fingerprint,
        made once per module type. Do not modify it."""
        cached: dict[str, str] | None = cls.__dict__.get("_output_type_names")
        if cached is None:
            cached = {name: type(datatype).__name__ for name, datatype in cls.output_datatypes().items()}
            cls._output_type_names = cached  # type: ignore[attr-defined]
        return cached

    @classmethod
    def default_output(cls) -> str | None:
        """The name of the default (first) output, if the module type has outputs."""
        return cls.module_outputs[0][0] if cls.module_outputs else None

    @classmethod
    def external_output_dirs(cls, options: dict[str, Any], config_dir: Path) -> dict[str, Path]:
        """Where a non-executable module type's outputs already are (required when ``module_executable`` is False)."""
        message = f"module type {cls.type_label()} is not executable but does not say where its outputs are"
        raise ModuleTypeError(message)

    @classmethod
    def load_executor(cls) -> type[BaseModuleExecutor]:
        """Import ``execute.py`` from the module type's package and return its ``ModuleExecutor``."""
        package = cls.__module__.rpartition(".")[0]
        name = f"{package}.execute" if package else "execute"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            message = f"module type {cls.type_label()} has no execute.py ({name} not found)"
            raise ModuleTypeError(message) from None
        executor = getattr(module, "ModuleExecutor", None)
        if executor is None:
            message = f"{name} defines no class ModuleExecutor"
            raise ModuleTypeError(message)
        if not (isinstance(executor, type) and issubclass(executor, BaseModuleExecutor)):
            message = (
                f"{name}: ModuleExecutor must be a subclass of BaseModuleExecutor"
                f" (from pimlico_lite import BaseModuleExecutor), got {executor!r}"
            )
            raise ModuleTypeError(message)
        return executor


def check_declarations(info: type[BaseModuleInfo]) -> None:
    """Raise ModuleTypeError, saying which declaration of ``info`` is malformed and how it should look, so that a
    mistake in an ``info.py`` is an error at its section's ``type`` line, not a traceback somewhere later."""
    label = info.type_label()
    _check_attribute_names(label, info)
    seen: dict[str, set[str]] = {"inputs": set(), "outputs": set()}  # inputs and optional inputs share their names
    for attribute in ("module_inputs", "module_optional_inputs", "module_outputs"):
        names = seen["outputs" if attribute == "module_outputs" else "inputs"]
        for name, datatype in _pairs(label, attribute, getattr(info, attribute)):
            where = f"module type {label}: {attribute}: '{name}'"
            if isinstance(datatype, type) and issubclass(datatype, Datatype):
                problem = f"is declared with the class {datatype.__name__}: give an instance, {datatype.__name__}()"
            elif not isinstance(datatype, Datatype if attribute == "module_outputs" else (Datatype, MultipleInputs)):
                problem = f"must be declared with a datatype, such as Dataset(), got {datatype!r}"
            elif not name.isidentifier() or (attribute == "module_outputs" and not name.isascii()):
                problem = (
                    "is not a plain name (letters, digits and _, not starting with a digit"
                    f"{'; ASCII ones, as it names a folder' if attribute == 'module_outputs' else ''})"
                )
            elif name in names:
                problem = "is declared twice"
            else:
                names.add(name)
                continue
            message = f"{where} {problem}"
            raise ModuleTypeError(message)
    _check_option_declarations(label, info)


def _check_option_declarations(label: str, info: type[BaseModuleInfo]) -> None:
    """The options part of :func:`check_declarations`."""
    declarations = {"module_options": info.module_options}
    if info.module_dynamic_options is not None:
        declarations["module_dynamic_options"] = {"(any other)": info.module_dynamic_options}
    for attribute, options in declarations.items():
        if not isinstance(options, dict) or not all(isinstance(value, dict) for value in options.values()):
            message = (
                f"module type {label}: {attribute} must be a dict of option declarations, such as"
                f' {{"size": {{"help": "...", "type": int, "default": 10}}}}, got {options!r}'
            )
            raise ModuleTypeError(message)
        for name, declaration in options.items():
            converter = declaration.get("type", str)
            if not callable(converter):
                message = (
                    f"module type {label}: {attribute}: option '{name}' has the type {converter!r}, which converts"
                    " nothing: give int, float, str, bool or a function (not its name in quotes)"
                )
                raise ModuleTypeError(message)
            problem = _default_problem(converter, declaration.get("default"))
            if problem is not None:
                message = f"module type {label}: {attribute}: option '{name}' {problem}"
                raise ModuleTypeError(message)
    sources = info.module_source_files
    if not isinstance(sources, (tuple, list)) or not all(name in info.module_options for name in sources):
        message = (
            f"module type {label}: module_source_files must name declared options (whose values are files the module"
            f" reads), such as ('path',); got {sources!r}; options: {', '.join(info.module_options) or '(none)'}"
        )
        raise ModuleTypeError(message)


def _check_attribute_names(label: str, info: type[BaseModuleInfo]) -> None:
    """Refuse a ``module_...`` attribute that pimlico_lite does not read (``module_output``, ``module_option``): the
    declaration meant would be missing, and the mistake found only later, elsewhere (an output never written)."""
    own = [klass for klass in info.__mro__ if not klass.__module__.startswith("pimlico_lite.core.")]
    known = [name for klass in info.__mro__ if klass not in own for name in vars(klass) if name.startswith("module_")]
    for klass in own:
        for name in vars(klass):
            if name.startswith("module_") and name not in known:
                message = (
                    f"module type {label}: {name} is not a declaration of a module type{did_you_mean(name, known)};"
                    f" declarations: {', '.join(sorted(set(known)))}"
                )
                raise ModuleTypeError(message)


def _default_problem(converter: Any, default: Any) -> str | None:
    """What is wrong with an option's default, which is used as it is (not converted): text where the type makes
    something else of text (``"false"`` for a boolean, which is true), or a value of another type; None if nothing."""
    if default is None:
        return None
    converter = declared_converter(converter)
    if isinstance(default, str) and converter is not str:
        try:
            value = convert_value(converter, default)
        except ValueError as error:
            return f"has the default {default!r}, which its type refuses: {error}"
        return None if value == default else f"has the default {default!r}, text: give the value itself, {value!r}"
    expected = {int: (int,), float: (int, float), str_to_bool: (bool,), str: (str,)}.get(converter)
    if expected is None and isinstance(default, (int, float)) and not isinstance(default, bool):
        try:  # a number, as the config would write it (integer_at_least(2)'s default of 1, say)
            convert_value(converter, str(default))
        except ValueError as error:
            return f"has the default {default!r}, which its type refuses: {error}"
        return None
    if expected is None or (isinstance(default, expected) and (bool in expected or not isinstance(default, bool))):
        return None
    return f"has the default {default!r}, where its type is {type_name(converter)}: give a value of that type"


def _pairs(label: str, attribute: str, declared: Any) -> list[tuple[str, Any]]:
    """The ``(name, datatype)`` pairs of an input or output declaration; ModuleTypeError if it is not a list of them."""
    pairs = isinstance(declared, (list, tuple)) and all(
        isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str) for entry in declared
    )
    if not pairs:
        message = (
            f'module type {label}: {attribute} must be a list of (name, datatype) pairs, such as [("data",'
            f" Dataset())], got {declared!r}"
        )
        raise ModuleTypeError(message)
    return list(declared)
