"""Declare the function module type."""

from pimlico_lite.modules.ml.primitives import DYNAMIC_HYPERPARAMETERS

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Dataset


class ModuleInfo(BaseModuleInfo):
    """Apply a function primitive, such as ``numpy.log1p``, to the features; there is nothing to fit.

    Every option other than ``function`` is a keyword argument of the function, checked against its signature
    when the module runs. Sparse features keep their zeros under a function that works value by value (a NumPy
    ufunc, ``numpy.clip``; found by trying it on a small matrix): it is applied to the stored values only, so it
    must map 0 to 0 (``numpy.log1p``, ``numpy.sqrt``, ``numpy.abs`` do). Any other function is given the sparse
    matrix itself, as it is given dense features (``sklearn.preprocessing.maxabs_scale`` scales each column, and
    keeps the matrix sparse).
    """

    module_type_name = "function"
    module_readable_name = "Function primitive"
    module_inputs = [("data", Dataset())]
    module_outputs = [("data", Dataset())]
    module_options = {
        "function": {"help": "The function, by dotted path (numpy.log1p)", "required": True},
    }
    module_dynamic_options = DYNAMIC_HYPERPARAMETERS
