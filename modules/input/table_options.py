"""Options shared by the module types that read a table from a file (csv, jsonl)."""

from typing import Any

from pimlico_lite.core import choose_from_list, comma_separated_strings, text_encoding

TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "path": {"help": "The file, relative to the config file's folder", "required": True},
    "target": {"help": "The column to predict; leave it out for data without a target", "default": None},
    "columns": {
        "help": "The feature columns, in order (default: every column but the target)",
        "type": comma_separated_strings,
        "default": [],
    },
    "task": {
        "help": "What the target is: auto (labels or whole numbers are classes, other numbers regression)",
        "type": choose_from_list(["auto", "classification", "regression"]),
        "default": "auto",
    },
    "encoding": {"help": "The file's text encoding", "type": text_encoding, "default": "utf-8"},
}
