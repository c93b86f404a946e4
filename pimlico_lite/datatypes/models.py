"""Fitted models, evaluation metrics, and folders of files (reports)."""

from __future__ import annotations

import json
import pickle
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pimlico_lite.datatypes.base import Datatype, JSONData


@dataclass(frozen=True)
class FittedEstimator:
    """A fitted scikit-learn-style object, the dotted path of what it is, the hyperparameters it was built with, and
    the names of the columns and classes of the data it was fitted on (so that other data can be checked against
    them: a test set read from another file may order its columns or number its classes differently)."""

    estimator: Any
    primitive: str
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    feature_names: tuple[str, ...] = ()
    target_names: tuple[str, ...] | None = None


class FittedModel(Datatype):
    """A fitted model (a :class:`FittedEstimator`), so that later stages and modules reuse it without refitting."""

    datatype_name = "fitted_model"
    format_description = (
        "model.pickle (the fitted object, for the same library versions) and model.json (what it is, its"
        " hyperparameters, the versions of Python, of its library and of NumPy), readable by people"
    )
    marker_file = "model.pickle"

    def write(self, directory: Path, value: FittedEstimator) -> None:
        """Pickle the fitted object and describe it in JSON."""
        if not isinstance(value, FittedEstimator):
            message = f"a FittedModel output takes a FittedEstimator, got {type(value).__name__}"
            raise TypeError(message)
        with (directory / "model.pickle").open("wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        library = value.primitive.partition(".")[0]
        description = {
            "primitive": value.primitive,
            "hyperparameters": value.hyperparameters,
            "python": platform.python_version(),
            # the versions the pickle needs to load as it was: the primitive's library's, and NumPy's
            "versions": {
                name: getattr(sys.modules[name], "__version__", None)
                for name in dict.fromkeys((library, "numpy"))
                if name in sys.modules
            },
        }
        text = json.dumps(description, indent=2, sort_keys=True, default=repr)
        (directory / "model.json").write_text(text, encoding="utf-8")

    def read(self, directory: Path) -> FittedEstimator:
        """Unpickle the fitted object."""
        with (directory / "model.pickle").open("rb") as file:
            value: FittedEstimator = pickle.load(file)
        return value


class Metrics(JSONData):
    """Evaluation results: ``{"task", "rows", "metrics": {name: value}, ...}``, and for classification the labels
    and the confusion matrix."""

    datatype_name = "metrics"
    format_description = "one JSON file, data.json: task, rows, metrics by name, labels and confusion matrix"


class Trials(JSONData):
    """The candidates a hyperparameter search tried: ``{"primitive", "scoring", "folds", "seed", "best",
    "best_written", "best_score", "trials": [...]}``,
    each trial with its hyperparameters, its mean score and standard deviation over the folds, its mean fit time,
    and its rank (1 is the best; equal scores share a rank); score, deviation and rank are null for a candidate that
    a scorer gave NaN. ``best`` holds values as JSON does (a tuple as a list, a dict's keys as text);
    ``best_written`` holds each as a config writes it (``(64, 32)``, ``{0: 1, 1: 3}``), to copy into one."""

    datatype_name = "trials"
    format_description = (
        "one JSON file, data.json: the primitive, the scoring, the folds, the seed, the best hyperparameters (also as"
        " a config writes them) and their score, and each"
        " candidate's hyperparameters, mean score, standard deviation, mean fit time in seconds and rank"
    )


class Files(Datatype):
    """A folder of named files (a report, pictures): write a ``{name: bytes or text}`` dict, read ``{name: path}``."""

    datatype_name = "files"
    format_description = "the files themselves, and files.json listing their names and sizes"
    marker_file = "files.json"

    def write(self, directory: Path, value: dict[str, bytes | str]) -> None:
        """Write each file, then the listing."""
        sizes = {}
        for name, content in value.items():
            if Path(name).name != name or name == self.marker_file:
                message = f"a file name of a Files output must be a plain name, not '{name}'"
                raise ValueError(message)
            path = directory / name
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                path.write_bytes(content)
            sizes[name] = path.stat().st_size
        (directory / self.marker_file).write_text(json.dumps(sizes, indent=2), encoding="utf-8")

    def read(self, directory: Path) -> dict[str, Path]:
        """The path of each file, by name."""
        names = json.loads((directory / self.marker_file).read_text(encoding="utf-8"))
        return {name: directory / name for name in names}
