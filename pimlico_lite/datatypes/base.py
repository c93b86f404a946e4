"""The base datatype (any picklable value), JSON data, and the wrapper for inputs that take several outputs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, ClassVar


class Datatype:
    """Any picklable Python value, kept as one pickle file."""

    datatype_name: ClassVar[str] = "any"
    format_description: ClassVar[str] = "one pickle file, data.pickle"
    # The file whose presence shows that a folder holds data of this type.
    marker_file: ClassVar[str] = "data.pickle"

    def is_present(self, directory: Path) -> bool:
        """Whether ``directory`` holds data written in this datatype's format."""
        return (directory / self.marker_file).is_file()

    def write(self, directory: Path, value: Any) -> None:
        """Write ``value`` into ``directory`` (which exists and is empty)."""
        import pickle

        # os.path.join rather than ``directory / name``: Python 3.11's pathlib takes 24 thousand instructions to join
        # and open, 2% of a trivial module's whole cost in a run (counted with python -m bench.instructions).
        with open(os.path.join(directory, "data.pickle"), "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)

    def read(self, directory: Path) -> Any:
        """Read back what :meth:`write` wrote into ``directory``."""
        import pickle

        with open(os.path.join(directory, "data.pickle"), "rb") as file:
            return pickle.load(file)

    def accepts(self, produced: Datatype) -> bool:
        """Say whether an output of datatype ``produced`` can feed an input declared with this datatype."""
        return isinstance(produced, type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class JSONData(Datatype):
    """A JSON-serialisable value (dicts, lists, strings, numbers), kept as readable JSON."""

    datatype_name = "json"
    format_description = "one JSON file, data.json"
    marker_file = "data.json"

    def write(self, directory: Path, value: Any) -> None:
        """Write ``value`` as indented JSON."""
        (directory / "data.json").write_text(json.dumps(value, indent=2, sort_keys=True), encoding="utf-8")

    def read(self, directory: Path) -> Any:
        """Read the JSON value back."""
        return json.loads((directory / "data.json").read_text(encoding="utf-8"))


class MultipleInputs:
    """Declare an input that takes a comma-separated list of outputs, each of ``datatype``."""

    def __init__(self, datatype: Datatype) -> None:
        self.datatype = datatype

    def __repr__(self) -> str:
        return f"MultipleInputs({self.datatype!r})"


def input_datatype(declared: Datatype | MultipleInputs) -> Datatype:
    """Return the datatype each connection of a declared input must satisfy."""
    return declared.datatype if isinstance(declared, MultipleInputs) else declared
