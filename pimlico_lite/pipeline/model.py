"""A loaded pipeline: module instances (stages expanded), their connections, and the graph they form."""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pimlico_lite._compat import cached_property
from pimlico_lite.core.info import BaseModuleInfo
from pimlico_lite.core.multistage import MultistageModuleInfo, stage_option_key
from pimlico_lite.errors import Location

if TYPE_CHECKING:
    from hashlib import sha1 as sha1  # (for the other modules of pimlico_lite too)
else:
    try:  # hashlib loads OpenSSL first (5 ms of every command); CPython's own module will do, as random.py does
        from _sha1 import sha1
    except ImportError:  # another Python
        from hashlib import sha1


def stable_repr(value: Any) -> str:
    """``repr(value)`` as every process writes it, so that an unchanged option value keeps the fingerprint it had: a
    set's items sorted (their order moves with each process's string hashing), a dict's too (``{0: 1, 1: 2}`` is
    ``{1: 2, 0: 1}``), and a function or class defined at
    the top of a module by its dotted name (not its address). Plain values are their repr, so that fingerprints stay
    as they were. Anything else is its repr: an object whose repr is its address (a closure, a lambda) then differs
    in every process that loads the config, and its module is OUTDATED after every run, rather than COMPLETE after a
    change. (A closure cannot be pickled, so such a pipeline is never kept by pimlico_lite.pipeline.cache; another
    object of that kind keeps the fingerprint it had while the kept copy lasts: until the config or its code
    changes.)"""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return repr(value)
    if kind in (set, frozenset):
        items = ", ".join(sorted(map(stable_repr, value)))
        if not items:
            return f"{kind.__name__}()"
        return f"{{{items}}}" if kind is set else f"frozenset({{{items}}})"
    if kind is list:
        return f"[{', '.join(map(stable_repr, value))}]"
    if kind is tuple:
        return f"({', '.join(map(stable_repr, value))}{',' if len(value) == 1 else ''})"
    if kind is dict:  # (in order of the keys: two dicts are equal whatever the order of their keys)
        return "{" + ", ".join(sorted(f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items())) + "}"
    if _is_named(value):
        return f"<{kind.__name__} {value.__module__}.{value.__qualname__}>"
    if kind is functools.partial:
        given = [*map(stable_repr, value.args), *(f"{k}={stable_repr(v)}" for k, v in value.keywords.items())]
        return f"functools.partial({', '.join([stable_repr(value.func), *given])})"
    return repr(value)


def _is_named(value: Any) -> bool:
    """Whether ``value`` is a function or a class that its dotted name identifies: defined at the top of a module
    (not a closure or a lambda, whose names do not say what they hold), and not a method bound to an object."""
    if isinstance(value, (types.FunctionType, type)) or (
        isinstance(value, types.BuiltinFunctionType) and isinstance(value.__self__, types.ModuleType)
    ):
        return "<" not in value.__qualname__ and isinstance(getattr(value, "__module__", None), str)
    return False


class Connection(NamedTuple):
    """One input connection: this module's ``input`` takes ``output`` of module instance ``producer``."""

    input: str
    producer: str
    output: str

    def __str__(self) -> str:
        return f"{self.producer}.{self.output}"


class SourceFile(NamedTuple):
    """A file outside the store that a module reads, named by an option its type declares in module_source_files."""

    # The key of its signature in the record's upstream versions: ``file `` and the name as the config writes it
    # (relative to the config's folder, or with ``~``), so that a project moved or copied whole, or reached by
    # another path, still has its files' edits noticed. No module's name has a space.
    key: str
    # Its absolute path, here and now.
    path: str


@dataclass
class ModuleInstance:
    """One runnable module instance: a plain module, or one stage (``name:stage``) of a multistage module."""

    name: str
    type_path: str
    info: type[BaseModuleInfo]
    options: dict[str, Any]
    inputs: dict[str, list[Connection]]
    index: int
    description: str = ""
    location: Location | None = None
    group: str | None = None
    stage: str | None = None
    # For a non-executable module type: where its outputs already are (outside the store).
    external_outputs: dict[str, Path] | None = None
    # The files outside the store it reads, named by the options its type declares in module_source_files.
    source_files: tuple[SourceFile, ...] = ()
    # For a stage, for messages: the config key of each declared option (threshold -> stage1_threshold), and the
    # prefix of the keys of undeclared ones (train_ for C: train_C). See BaseModuleExecutor.option_key.
    option_keys: dict[str, str] | None = None
    dynamic_prefix: str = ""
    # For a stage, for messages: the multistage module's input that feeds each stage input fed by one (raw_data ->
    # second_data, set in the config by input_second_data).
    input_names: dict[str, str] | None = None

    def option_key(self, name: str) -> str:
        """The config key that sets option ``name``: ``train_C`` for a stage's ``C``, say."""
        return stage_option_key(self.option_keys, self.dynamic_prefix, name)

    def input_name(self, name: str) -> str:
        """The name by which the config connects input ``name``: the multistage module's input, for a stage."""
        return self.input_names.get(name, name) if self.input_names else name

    @property
    def is_executable(self) -> bool:
        """Whether the instance runs an executor (False for data that already exists outside the store)."""
        return self.external_outputs is None

    @cached_property
    def producers(self) -> list[str]:
        """The module instances this one takes input from, each once, in input order."""
        return list(dict.fromkeys(c.producer for connections in self.inputs.values() for c in connections))

    @cached_property
    def fingerprint_parts(self) -> dict[str, Any]:
        """What decides whether earlier outputs are still valid: type, options, where inputs come from, and the
        outputs the module type declares (renamed or retyped, the recorded folders are not what it now gives)."""
        return {
            "type": self.type_path,
            "options": {name: stable_repr(value) for name, value in sorted(self.options.items())},
            "inputs": {name: [str(c) for c in connections] for name, connections in sorted(self.inputs.items())},
            "outputs": self.info.output_type_names(),
        }

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of what :attr:`fingerprint_parts` holds, cheap enough to compute for every instance."""
        options = (f"{name}={stable_repr(value)}" for name, value in sorted(self.options.items()))
        inputs = (f"{name}<{','.join(map(str, connections))}" for name, connections in sorted(self.inputs.items()))
        text = "\x1f".join((self.type_path, *options, *inputs)) + _output_text(self.info)
        return sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]


def _output_text(info: type[BaseModuleInfo]) -> str:
    """The outputs' part of the text a fingerprint hashes, made once per module type."""
    text: str | None = info.__dict__.get("_fingerprint_outputs")
    if text is None:
        text = "".join(f"\x1f{name}>{datatype}" for name, datatype in info.output_type_names().items())
        info._fingerprint_outputs = text  # type: ignore[attr-defined]
    return text


@dataclass
class MultistageGroup:
    """A multistage module instance as written in the config; its stages are the runnable instances."""

    name: str
    type_path: str
    info: type[MultistageModuleInfo]
    stages: list[str]
    outputs: dict[str, tuple[str, str]]
    options: dict[str, Any]
    index: int
    description: str = ""
    location: Location | None = None


@dataclass
class Pipeline:
    """A loaded pipeline config: its settings and its module instances in config order."""

    name: str
    config_path: Path
    store_path: Path
    release: str | None
    instances: dict[str, ModuleInstance]
    groups: dict[str, MultistageGroup] = field(default_factory=dict)
    python_path: tuple[str, ...] = ()

    def module_names(self) -> list[str]:
        """The names written in the config (multistage modules once, not per stage), in config order."""
        names: dict[str, None] = {}
        for instance in self.instances.values():
            names[instance.group or instance.name] = None
        return list(names)

    @cached_property
    def consumers(self) -> dict[str, list[str]]:
        """For each module instance, the instances that take input from it directly."""
        consumers: dict[str, list[str]] = {name: [] for name in self.instances}
        for instance in self.instances.values():
            for producer in instance.producers:
                consumers[producer].append(instance.name)
        return consumers

    def downstream(self, names: Iterable[str]) -> list[str]:
        """``names`` and every module instance that depends on them, in config order."""
        seen = set(names)
        stack = list(seen)
        while stack:
            for consumer in self.consumers[stack.pop()]:
                if consumer not in seen:
                    seen.add(consumer)
                    stack.append(consumer)
        return sorted(seen, key=self.positions.__getitem__)

    def upstream(self, names: Iterable[str]) -> list[str]:
        """``names`` and every module instance they depend on, in config order."""
        seen = set(names)
        stack = list(seen)
        while stack:
            for producer in self.instances[stack.pop()].producers:
                if producer not in seen:
                    seen.add(producer)
                    stack.append(producer)
        return sorted(seen, key=self.positions.__getitem__)

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each module instance's place in config order."""
        return {name: position for position, name in enumerate(self.instances)}
