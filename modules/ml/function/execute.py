"""Execute the function module type."""

from typing import Any

from pimlico_lite.modules.ml.primitives import check_hyperparameters, import_primitive

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.errors import OptionError


class ModuleExecutor(BaseModuleExecutor):
    """Apply the function to the features."""

    def execute(self) -> None:
        """Apply."""
        import numpy as np

        path = self.options["function"]
        function = import_primitive(path, self.option_key("function"))
        if isinstance(function, type):
            message = (
                f"'{path}' is a class (use ml.primitive, or ml.model_train's preprocess, for estimators and transforms)"
            )
            raise OptionError(self.option_key("function"), message)
        if not callable(function):
            raise OptionError(self.option_key("function"), f"'{path}' is not callable")
        first = _first_parameter(function)
        given = self.info.dynamic_options(self.options)
        arguments = check_hyperparameters(path, function, given, skip=first, key=self.option_key)
        data = self.read_input("data")
        if data.is_sparse and _value_by_value(function, arguments):  # (then the stored values alone)
            if np.asarray(function(np.zeros(1), **arguments))[0] != 0:
                message = f"{path} does not map 0 to 0, so it cannot keep sparse features sparse"
                raise ValueError(message)
            features = data.features.copy()
            features.data = function(features.data, **arguments)
        elif data.is_sparse:  # (maxabs_scale scales each column: given the stored values, it would scale them as one)
            from scipy import sparse

            features = function(data.features, **arguments)
            features = features if sparse.issparse(features) else np.asarray(features)
        else:
            features = np.asarray(function(data.features, **arguments))
        if features.shape != data.features.shape:
            message = f"{path} changed the features' shape from {data.features.shape} to {features.shape}"
            raise ValueError(message)
        self.write_output("data", data.replace(features=features))
        self.log.info("applied %s to %d rows", path, data.n_rows)


def _first_parameter(function: object) -> tuple[str, ...]:
    """The name of the argument that takes the data (the first), which is not a hyperparameter."""
    import inspect

    try:
        parameters = list(inspect.signature(function).parameters)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ()
    return tuple(parameters[:1])


# A small matrix of values that are not 0, to see whether a function works value by value.
_PROBE = ((0.5, 2.0, 3.0), (7.0, 0.25, 11.0))


def _value_by_value(function: Any, arguments: dict[str, Any]) -> bool:
    """Whether ``function`` works value by value, as a NumPy ufunc or ``numpy.clip`` does, so that applying it to
    the stored values of sparse features alone is applying it to the whole: it gives each value of a small matrix
    what it gives that value alone (``maxabs_scale`` scales by each column's largest value, ``numpy.sort`` moves
    values: neither does)."""
    import numpy as np

    if isinstance(function, np.ufunc):
        return True
    probe = np.array(_PROBE)
    try:
        whole = np.asarray(function(probe, **arguments), dtype=float)
        alone = [
            [np.asarray(function(np.array([value]), **arguments), dtype=float).ravel()[0] for value in row]
            for row in probe
        ]
    except Exception:  # (one that takes no 1-value array, or gives no number: not value by value)
        return False
    return whole.shape == probe.shape and bool(np.allclose(whole, np.array(alone), equal_nan=True))
