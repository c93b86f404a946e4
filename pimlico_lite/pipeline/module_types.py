"""Find and import module types by their dotted package path."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
from functools import cache
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from pimlico_lite.core.info import BaseModuleInfo, check_declarations
from pimlico_lite.core.options import expand_user
from pimlico_lite.datatypes import Datatype
from pimlico_lite.errors import ModuleTypeError, PimlicoLiteError, did_you_mean, failure_in_user_code, where_raised

BUNDLED_PACKAGE = "pimlico_lite.modules"


def import_module_type(type_path: str) -> type[BaseModuleInfo]:
    """Import ``<type_path>.info`` and return its ``ModuleInfo`` class, or raise ModuleTypeError saying why."""
    return _import_module_type(type_path.strip())


@cache
def _import_module_type(type_path: str) -> type[BaseModuleInfo]:
    if not all(part.isidentifier() for part in type_path.split(".")):
        what = "an empty type" if not type_path else f"'{type_path}'"
        message = f"{what} is not the dotted path of a module type package (such as pimlico_lite.modules.text.tokenize)"
        raise ModuleTypeError(message)
    plain = _plain_module(type_path)
    if plain is not None:  # a Python file, not a package: importing it would run it (a user's training script, say)
        as_datatype = plain.name == type_path.rpartition(".")[0]  # (module.Class: a datatype, if it is one)
        datatype = _import_datatype(type_path) if as_datatype else None
        if datatype is not None:
            return datatype_input_module(datatype)
        imported = f"it has no datatype {type_path.rpartition('.')[2]}" if as_datatype else "it was not imported"
        where = f"{plain.name} is a Python file ({plain.origin}), not a package with an info.py"
        message = f"'{type_path}' is not a module type{_type_hint(type_path)}: {where} ({imported})"
        raise ModuleTypeError(_part_of_a_type(type_path) or message)
    info_name = f"{type_path}.info"
    try:
        module = importlib.import_module(info_name)
    except ModuleNotFoundError as error:
        if error.name is not None and (info_name == error.name or info_name.startswith(error.name + ".")):
            datatype = _import_datatype(type_path)
            if datatype is not None:
                return datatype_input_module(datatype)
            part = _part_of_a_type(type_path)
            if part is not None:
                raise ModuleTypeError(part) from None
            package = sys.modules.get(type_path) if error.name == info_name else None
            if package is not None and _looks_like_a_type(package):
                where = ", ".join(package.__path__)
                message = f"module type '{type_path}': its package ({where}) has no info.py"
                raise ModuleTypeError(message) from None
            hint = _type_hint(type_path)
            message = f"unknown module type '{type_path}'{hint}: no package with an info.py of that name"
            raise ModuleTypeError(message) from None
        message = f"module type '{type_path}' failed to import: {error}"
        raise ModuleTypeError(message) from None
    except PimlicoLiteError as error:
        raise ModuleTypeError(str(error)) from None
    except (Exception, SystemExit) as error:  # (an info.py's sys.exit() ended the command without a word)
        said = f": {error}" if str(error) else ""
        message = f"module type '{type_path}' failed to import: {type(error).__name__}{said}{_failure_hint(error)}"
        raise ModuleTypeError(message + where_raised(error)) from error
    info = getattr(module, "ModuleInfo", None)
    if not (isinstance(info, type) and issubclass(info, BaseModuleInfo)):
        message = f"{info_name} must define class ModuleInfo, a subclass of BaseModuleInfo"
        raise ModuleTypeError(message)
    check_declarations(info)
    return info


def _failure_hint(error: BaseException) -> str:
    """A did-you-mean for an argument of pimlico_lite's connection and stage tuples misspelt (``ModuleStage(...,
    output_connection=...)``), or nothing."""
    import re

    import pimlico_lite

    match = re.fullmatch(r"(\w+)\.__new__\(\) got an unexpected keyword argument '(\w+)'", str(error))
    fields = getattr(getattr(pimlico_lite, match[1], None), "_fields", None) if match else None
    return did_you_mean(match[2], fields) if match and isinstance(fields, tuple) else ""


def _looks_like_a_type(package: ModuleType) -> bool:
    """Whether ``package``, which has no ``info.py``, has what a module type has besides: an ``execute.py``, or an
    info file named otherwise (``Info.py``); not a folder that holds module types, or any other package."""
    for folder in getattr(package, "__path__", ()):
        with contextlib.suppress(OSError):
            if any(name.casefold() in ("info.py", "execute.py") for name in os.listdir(folder)):
                return True
    return False


def _part_of_a_type(type_path: str) -> str | None:
    """What to say when ``type_path`` names a module type's ``info`` module or its class; None when it does not."""
    package = type_path.removesuffix(".ModuleInfo").removesuffix(".info")
    if package != type_path and _has_info(package):
        return f"'{type_path}' names a part of a module type: a type is its package, '{package}'"
    return None


def _plain_module(type_path: str) -> ModuleSpec | None:
    """The first module on ``type_path`` that is a Python file, not a package, found without importing it (the
    packages above it are imported); None if there is none, or a part is not there (importing says which)."""
    parts = type_path.split(".")
    for end in range(1, len(parts) + 1):
        try:
            spec = importlib.util.find_spec(".".join(parts[:end]))
        except (ImportError, ValueError):
            return None
        if spec is None:
            return None
        if spec.submodule_search_locations is None:
            return spec
    return None


def _type_hint(type_path: str) -> str:
    """A did-you-mean for a module type that is not there: a bundled type whose path ends with it (``text.tokenize``
    for ``pimlico_lite.modules.text.tokenize``), else the closest name of a bundled type, or of a type or a datatype
    beside the path's package."""
    bundled = bundled_module_types()
    ending = [name for name in bundled if name.endswith(f".{type_path}")]
    if ending:
        return f" (did you mean {' or '.join(repr(name) for name in ending)}?)"
    return did_you_mean(type_path, [*bundled, *sibling_module_types(type_path), *sibling_datatypes(type_path)])


def _import_datatype(path: str) -> type[Datatype] | None:
    """The Datatype subclass that ``package.module.Class`` names, or None."""
    module_name, _, class_name = path.rpartition(".")
    try:
        module = _imported(module_name)
    except Exception as error:
        what = f"importing {module_name} (for its datatype {class_name})"
        raise failure_in_user_code(what, error) from error
    # getattr, not the module's namespace: pimlico_lite.datatypes imports its classes when they are first asked for.
    value = getattr(module, class_name, None) if module is not None else None
    return value if isinstance(value, type) and issubclass(value, Datatype) else None


def sibling_datatypes(path: str) -> list[str]:
    """The datatype classes of the module that ``package.module.Class`` names (for "did you mean" when ``Class`` is
    misspelt: ``pimlico_lite.datatypes.Datset``)."""
    module_name = path.rpartition(".")[0]
    module = _imported(module_name)
    if module is None:
        return []
    # Those it exports or defines: not a datatype that an info.py imports to declare its outputs.
    exported = getattr(module, "__all__", None)
    names = exported or [
        name for name, value in vars(module).items() if getattr(value, "__module__", "") == module_name
    ]
    return [
        f"{module_name}.{name}"
        for name in names
        if isinstance(value := getattr(module, name, None), type) and issubclass(value, Datatype)
    ]


def _has_info(package: str) -> bool:
    """Whether ``package`` is a module type package (it has an info.py)."""
    try:
        return importlib.util.find_spec(f"{package}.info") is not None
    except (ImportError, ValueError):
        return False


def _imported(module_name: str) -> ModuleType | None:
    """The module ``module_name``, imported; None if there is none of that name. An error it raises as it imports
    (what it imports not found, included) is raised."""
    if not module_name:
        return None
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is None or f"{module_name}.".startswith(f"{error.name}."):
            return None
        raise


def datatype_input_module(datatype: type[Datatype]) -> type[BaseModuleInfo]:
    """A non-executable module type whose one output, ``data``, is data of ``datatype`` already in a folder.

    This is the ``type=<datatype class>`` plus ``dir=<folder>`` form of a module section, for data produced
    elsewhere.
    """

    try:
        made = datatype()
    except Exception as error:
        what = f"{datatype.__name__}(), the datatype of data made elsewhere (which must need no arguments),"
        raise failure_in_user_code(what, error) from error

    class ModuleInfo(BaseModuleInfo):
        module_type_name = f"input:{datatype.__name__}"
        module_readable_name = f"{datatype.__name__} data in a folder"
        module_outputs: ClassVar[list[tuple[str, Datatype]]] = [("data", made)]
        module_options: ClassVar[dict[str, dict[str, Any]]] = {
            "dir": {"help": "The folder holding the data, relative to the config file's folder", "required": True},
        }
        module_executable = False

        @classmethod
        def type_label(cls) -> str:
            return f"{datatype.__module__}.{datatype.__qualname__}"

        @classmethod
        def external_output_dirs(cls, options: dict[str, Any], config_dir: Path) -> dict[str, Path]:
            return {"data": config_dir / expand_user(options["dir"])}

    return ModuleInfo


@cache
def bundled_module_types() -> list[str]:
    """The dotted paths of the module types that ship with pimlico_lite (found on disk, nothing imported)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return []
    names = []
    for location in spec.submodule_search_locations:
        root = Path(location)
        for info in sorted(root.rglob("info.py")):
            relative = info.parent.relative_to(root)
            names.append(".".join((BUNDLED_PACKAGE, *relative.parts)))
    return names


def sibling_module_types(type_path: str) -> list[str]:
    """Module types in the deepest importable package above ``type_path`` (for "did you mean")."""
    parent = type_path.rpartition(".")[0]
    while parent:
        try:
            spec = importlib.util.find_spec(parent)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            return [
                f"{parent}.{folder.name}"
                for location in spec.submodule_search_locations
                for folder in sorted(Path(location).iterdir())
                if (folder / "info.py").is_file()
            ]
        parent = parent.rpartition(".")[0]
    return []
