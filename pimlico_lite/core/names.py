"""Names of module instances and stages, and addresses that refer to them (``module:stage.output``)."""

from __future__ import annotations

import os
import re
from typing import NamedTuple

FORBIDDEN_CHARACTERS = ": . / \\ [ ] , whitespace and control characters"
_VALID_NAME = re.compile(r"^[^:./\[\],\s\\\x00-\x1f\x7f]+$")
RESERVED_NAMES = ("pipeline", "vars")
MAX_NAME_BYTES = 100
ALL_STAGES = ("all", "*")  # NAME:all runs every stage of a multistage module
LIST_STAGES = "?"  # NAME:? lists them


def folder_name(name: str) -> str:
    """The name of the folder of a pipeline, module or stage called ``name``: made of its UTF-8 bytes whatever the
    locale's encoding of file names (in a Latin-1 locale, ``café`` was another folder than in a UTF-8 one, and every
    module whose name is not ASCII looked OUTDATED after each change of locale)."""
    return name if name.isascii() else os.fsdecode(name.encode("utf-8"))


def name_of_folder(folder: str) -> str | None:
    """The name whose folder is ``folder`` (see :func:`folder_name`); None when its bytes are not UTF-8, a name
    pimlico_lite never gives."""
    if folder.isascii():
        return folder
    try:
        return os.fsencode(folder).decode("utf-8")
    except UnicodeError:
        return None


def check_name(name: str, what: str = "module") -> str | None:
    """Return why ``name`` cannot name a module instance or stage, or None when it can."""
    if not name:
        return f"a {what} name cannot be empty"
    if len(name.encode()) > MAX_NAME_BYTES:
        return f"{what} name '{name[:20]}...' is too long (at most {MAX_NAME_BYTES} bytes: it names a folder)"
    if not _VALID_NAME.match(name):
        shown = name if name.isprintable() else repr(name)[1:-1]  # a control character shown, not obeyed
        return f"{what} name '{shown}' may not contain {FORBIDDEN_CHARACTERS}"
    if name.startswith("-") or name in (*ALL_STAGES, LIST_STAGES) or name.startswith("."):
        return f"'{name}' cannot be used as a {what} name"
    if what == "stage" and name.casefold() in ALL_STAGES:
        return f"'{name}' cannot be used as a stage name: NAME:{ALL_STAGES[0]} runs every stage"
    if what == "stage" and name.casefold().startswith("run-"):  # (see pimlico_lite.store.layout)
        return f"'{name}' cannot be used as a stage name: its folder would look like a run's (run-<id>)"
    return None


class Address(NamedTuple):
    """A reference to a module instance, a stage of one, and optionally one of its outputs."""

    module: str
    stage: str | None = None
    output: str | None = None

    @classmethod
    def parse(cls, text: str) -> Address:
        """Parse ``module``, ``module.output``, ``module:stage`` or ``module:stage.output``."""
        text = text.strip()
        module_part, dot, output = text.partition(".")
        module, colon, stage = module_part.partition(":")
        return cls(module, stage if colon else None, output if dot else None)

    @property
    def instance(self) -> str:
        """The module instance this address names: ``module`` or ``module:stage``."""
        return f"{self.module}:{self.stage}" if self.stage is not None else self.module

    def __str__(self) -> str:
        return self.instance + (f".{self.output}" if self.output is not None else "")
