"""Datatypes: what flows along a connection, and how it is kept on disk.

A module type declares each input and output with a datatype *instance*. An output can feed an input when the
output's datatype is an instance of the input's datatype class, so a subclass can go wherever its parent is
expected. Each datatype chooses its own on-disk format inside the folder the store gives it, and declares it in
``format_description``. No datatype imports NumPy or another heavy library until it reads or writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pimlico_lite._lazy import lazy_names
from pimlico_lite.datatypes.base import Datatype, JSONData, MultipleInputs, input_datatype

if TYPE_CHECKING:
    from pimlico_lite.datatypes.arrays import Dataset, DatasetValue
    from pimlico_lite.datatypes.corpus import CorpusReader, TextCorpus, TokenizedCorpus, Vocabulary
    from pimlico_lite.datatypes.models import Files, FittedEstimator, FittedModel, Metrics, Trials

# Loaded when first named, so that a pipeline loads only the datatypes its module types use.
_LAZY = {
    "CorpusReader": ".corpus",
    "Dataset": ".arrays",
    "DatasetValue": ".arrays",
    "Files": ".models",
    "FittedEstimator": ".models",
    "FittedModel": ".models",
    "Metrics": ".models",
    "TextCorpus": ".corpus",
    "TokenizedCorpus": ".corpus",
    "Trials": ".models",
    "Vocabulary": ".corpus",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "CorpusReader",
    "Dataset",
    "DatasetValue",
    "Datatype",
    "Files",
    "FittedEstimator",
    "FittedModel",
    "JSONData",
    "Metrics",
    "MultipleInputs",
    "TextCorpus",
    "TokenizedCorpus",
    "Trials",
    "Vocabulary",
    "input_datatype",
]
