"""Execute the python_docstrings module type."""

import importlib
import inspect
from collections.abc import Iterator

from pimlico_lite import BaseModuleExecutor


def docstrings(module_name: str) -> Iterator[str]:
    """Yield the docstrings of a module and of the classes and functions it defines, in source order."""
    module = importlib.import_module(module_name)
    yield inspect.getdoc(module) or ""
    for _, member in inspect.getmembers(module, lambda m: inspect.isclass(m) or inspect.isfunction(m)):
        if getattr(member, "__module__", None) == module_name:
            yield inspect.getdoc(member) or ""


class ModuleExecutor(BaseModuleExecutor):
    """Write one document per module: all its docstrings joined."""

    def execute(self) -> None:
        """Collect and write the corpus."""
        packages = self.options["packages"]
        documents = ((name, "\n\n".join(filter(None, docstrings(name)))) for name in self.progress(packages))
        self.write_output("corpus", documents)
        self.log.info("collected the docstrings of %d modules", len(packages))
