"""Raw sections + module types -> module instances, stage expansion, type checks, the graph."""

from pimlico_lite.pipeline.loader import STORE_ENVIRONMENT_VARIABLE, load_pipeline
from pimlico_lite.pipeline.model import Connection, ModuleInstance, MultistageGroup, Pipeline

__all__ = [
    "STORE_ENVIRONMENT_VARIABLE",
    "Connection",
    "ModuleInstance",
    "MultistageGroup",
    "Pipeline",
    "load_pipeline",
]
