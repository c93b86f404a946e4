"""Execute the python_docstrings module type."""

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Iterator
from types import ModuleType

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.errors import OptionError, did_you_mean


def members(module: ModuleType) -> Iterator[tuple[str, str]]:
    """Yield ``(name, docstring)`` for each class and function that ``module`` defines, in name order.

    A class's document is its docstring followed by those of the methods it defines.
    """
    for name, member in inspect.getmembers(module, lambda m: inspect.isclass(m) or inspect.isfunction(m)):
        if getattr(member, "__module__", None) != module.__name__:
            continue
        parts = [inspect.getdoc(member) or ""]
        if inspect.isclass(member):
            parts += [inspect.getdoc(method) or "" for _, method in sorted(vars(member).items()) if callable(method)]
        yield name, "\n\n".join(filter(None, parts))


def docstrings(module_name: str) -> Iterator[str]:
    """Yield the docstrings of a module and of the classes and functions it defines, in name order."""
    module = importlib.import_module(module_name)
    yield inspect.getdoc(module) or ""
    for _, text in members(module):
        yield text


def is_public(name: str) -> bool:
    """Whether no part of a dotted module name is private (``_x``), a ``__main__`` or a test package."""
    return not any(part.startswith("_") or part in ("test", "tests") for part in name.split("."))


class ModuleExecutor(BaseModuleExecutor):
    """Write one document per module, or per class and function."""

    def execute(self) -> None:
        """Collect and write the corpus."""
        modules = [(package, name) for package in self.options["packages"] for name in self.module_names(package)]
        self.write_output("corpus", self.documents(modules))
        self.log.info("collected the docstrings of %d modules", len(modules))

    def module_names(self, package: str) -> list[str]:
        """``package``, then (with ``submodules``) its public submodules that import, in name order."""
        try:
            module = importlib.import_module(package)
        except ModuleNotFoundError as error:
            if error.name != package:
                raise
            hint = did_you_mean(package, sorted(sys.stdlib_module_names))
            raise OptionError(self.option_key("packages"), f"no module '{package}' to import{hint}") from None
        if not self.options["submodules"] or not hasattr(module, "__path__"):
            return [package]
        found = [package]
        for info in pkgutil.walk_packages(module.__path__, f"{package}.", onerror=lambda name: None):
            if not is_public(info.name):
                continue
            try:
                importlib.import_module(info.name)
            except Exception as error:  # a module for another platform, or an optional dependency
                self.log.info("skipped %s: %s: %s", info.name, type(error).__name__, error)
                continue
            found.append(info.name)
        return sorted(found)

    def documents(self, modules: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """The corpus, one module at a time."""
        shortest = self.options["min_length"]
        for package, name in self.progress(modules):
            if self.options["per"] == "module":
                text = "\n\n".join(filter(None, docstrings(name)))
                if len(text) >= shortest:
                    yield name, text
                continue
            for member, text in members(importlib.import_module(name)):
                if len(text) >= shortest:
                    yield f"{package}/{name}.{member}", text
