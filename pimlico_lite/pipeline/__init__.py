"""Raw sections + module types -> module instances, stage expansion, type checks, the graph.

The names are imported on first use, so that a command that finds its pipeline kept on disk
(:mod:`pimlico_lite.pipeline.cache`) does not import the loader and the config reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pimlico_lite._lazy import lazy_names

if TYPE_CHECKING:
    from pimlico_lite.pipeline.cache import load_cached_pipeline
    from pimlico_lite.pipeline.loader import load_pipeline
    from pimlico_lite.pipeline.model import Connection, ModuleInstance, MultistageGroup, Pipeline
    from pimlico_lite.pipeline.paths import STORE_ENVIRONMENT_VARIABLE

_LAZY = {
    "STORE_ENVIRONMENT_VARIABLE": "pimlico_lite.pipeline.paths",
    "Connection": "pimlico_lite.pipeline.model",
    "ModuleInstance": "pimlico_lite.pipeline.model",
    "MultistageGroup": "pimlico_lite.pipeline.model",
    "Pipeline": "pimlico_lite.pipeline.model",
    "load_cached_pipeline": "pimlico_lite.pipeline.cache",
    "load_pipeline": "pimlico_lite.pipeline.loader",
}

__getattr__ = lazy_names(__name__, _LAZY)

__all__ = [
    "STORE_ENVIRONMENT_VARIABLE",
    "Connection",
    "ModuleInstance",
    "MultistageGroup",
    "Pipeline",
    "load_cached_pipeline",
    "load_pipeline",
]
