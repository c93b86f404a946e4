"""Names of a package that are imported on first use (PEP 562 module ``__getattr__``), so importing the package
costs only what is used."""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # (see pimlico_lite/__init__.py)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any


def lazy_names(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A ``__getattr__`` for ``package`` that imports each name of ``where`` from its module (absolute, or relative
    to ``package``) the first time it is asked for, and keeps it in the package so that later look-ups are plain."""

    def look_up(name: str) -> Any:
        if name not in where:
            message = f"module '{package}' has no attribute '{name}'"
            raise AttributeError(message)
        value = getattr(importlib.import_module(where[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    return look_up
