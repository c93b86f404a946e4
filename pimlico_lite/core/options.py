"""Module options: their declarations, and converters from config strings (click's ``ParamType.convert`` idea).

A module type declares ``module_options = {name: {"help", "type", "default", "required"}}``. ``type`` is any
callable that takes the config string and returns the value or raises ``ValueError`` (``bool`` means
:func:`str_to_bool`); the converters here carry a ``type_name`` for messages and docs.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from pimlico_lite.errors import ModuleTypeError, did_you_mean

Converter = Callable[[str], Any]

_TRUE = ("true", "yes", "on", "1", "t", "y")
_FALSE = ("false", "no", "off", "0", "f", "n")
_BUILTIN_NAMES = {int: "integer", float: "number", str: "string"}


def type_name(converter: Converter) -> str:
    """Name what ``converter`` accepts, for messages and docs."""
    if converter in _BUILTIN_NAMES:
        return _BUILTIN_NAMES[converter]
    return str(getattr(converter, "type_name", getattr(converter, "__name__", repr(converter))))


def str_to_bool(value: str) -> bool:
    """Convert ``true/false``, ``yes/no``, ``on/off`` or ``1/0`` (any case) to a bool."""
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    message = f"expected true or false, got '{value}'"
    raise ValueError(message)


str_to_bool.type_name = "boolean"  # type: ignore[attr-defined]


def declared_converter(converter: Converter) -> Converter:
    """The converter meant by a declared option type: Python's ``bool`` is ``str_to_bool`` (as in click), since
    ``bool("false")`` is True."""
    return str_to_bool if converter is bool else converter


def choose_from_list(choices: Sequence[str]) -> Converter:
    """Return a converter that accepts exactly one of ``choices``."""

    def convert(value: str) -> str:
        if value in choices:
            return value
        message = f"expected one of {', '.join(choices)}, got '{value}'{did_you_mean(value, choices)}"
        raise ValueError(message)

    convert.type_name = f"one of {', '.join(choices)}"  # type: ignore[attr-defined]
    return convert


def integer_at_least(least: int) -> Converter:
    """Return a converter that accepts an integer no smaller than ``least``."""

    def convert(value: str) -> int:
        number: int = convert_value(int, value)
        if number < least:
            message = f"expected an integer of at least {least}, got {number}"
            raise ValueError(message)
        return number

    convert.type_name = f"integer of at least {least}"  # type: ignore[attr-defined]
    return convert


def random_seed(value: str) -> int:
    """Accept a random seed as NumPy and scikit-learn take one: a whole number from 0 to 2**32 - 1."""
    number: int = convert_value(int, value)
    if not 0 <= number < 2**32:
        message = f"expected a seed from 0 to {2**32 - 1}, got {number}"
        raise ValueError(message)
    return number


random_seed.type_name = "seed"  # type: ignore[attr-defined]


def rows_or_fraction(zero: str | None = None) -> Converter:
    """Return a converter that accepts a number of rows (a whole number, 1 or more) or a fraction of them (between
    0 and 1, as scikit-learn's ``train_test_split`` takes sizes); and 0 too when ``zero`` says what it means."""

    def convert(value: str) -> float:
        number: float = convert_value(float, value)
        if number == 0 and zero is not None:
            return number
        if not (0 < number < 1 or (number >= 1 and number.is_integer())):  # (neither nan nor inf is either)
            also = f", or 0 ({zero})" if zero is not None else ""
            message = f"expected a number of rows (1 or more, whole) or a fraction between 0 and 1{also}, got {value}"
            raise ValueError(message)
        return number

    convert.type_name = "rows or fraction"  # type: ignore[attr-defined]
    return convert


def text_encoding(value: str) -> str:
    """Accept the name of a text encoding Python knows (``utf-8``, ``latin-1``, ``cp1252``)."""
    import codecs
    from encodings.aliases import aliases

    def is_text(name: str) -> bool:
        try:
            return bool(codecs.lookup(name)._is_text_encoding)  # (base64, zlib, rot13: codecs, not text encodings)
        except LookupError:
            return False

    if not is_text(value):
        names = sorted(name for name in {*aliases, *aliases.values()} if is_text(name))
        message = f"expected a text encoding such as utf-8 or latin-1, got '{value}'{did_you_mean(value, names)}"
        raise ValueError(message)
    return value


text_encoding.type_name = "text encoding"  # type: ignore[attr-defined]


def comma_separated_list(item_type: Converter = str) -> Converter:
    """Return a converter of ``a, b, c`` to a list, converting each item with ``item_type``."""
    item_type = declared_converter(item_type)

    def convert(value: str) -> list[Any]:
        items = [item.strip() for item in value.split(",") if item.strip()]
        return [convert_value(item_type, item) for item in items]

    convert.type_name = f"comma-separated list of {type_name(item_type)}"  # type: ignore[attr-defined]
    return convert


comma_separated_strings = comma_separated_list(str)


def expand_user(value: str | Path) -> Path:
    """``value`` as a path with a leading ``~`` or ``~user`` expanded; ValueError when that user has no home folder."""
    try:
        return Path(value).expanduser()
    except RuntimeError:  # pathlib's way of saying that ~user has no home folder
        home = str(value).split("/", 1)[0]
        message = f"cannot expand '{home}' in '{value}': no such user, or no home folder known for it"
        raise ValueError(message) from None


def follow_links(path: Path) -> Path:
    """``path`` made absolute with its symbolic links resolved, as ``Path.resolve`` does (a path that is not there is
    resolved as far as it goes); ValueError when its links lead round in a loop, which Python 3.13's ``resolve`` no
    longer reports."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except OSError as error:
        if error.errno != errno.ELOOP:  # not there (or not readable): resolved as far as it goes
            with contextlib.suppress(RuntimeError):  # (Python 3.11 and 3.12 report a loop further on so)
                return path.resolve()
        message = "its symbolic links lead round in a loop"
        raise ValueError(message) from None


def convert_value(converter: Converter, value: str) -> Any:
    """Convert ``value`` with ``converter``; on failure raise ``ValueError`` with a message for users."""
    try:
        return converter(value)
    except (ValueError, TypeError) as error:
        if converter in _BUILTIN_NAMES:
            article = "an" if type_name(converter)[0] in "aeiou" else "a"
            message = f"expected {article} {type_name(converter)}, got '{value}'"
            raise ValueError(message) from None
        raise ValueError(str(error) or f"expected {type_name(converter)}, got '{value}'") from None
    except Exception as error:  # a converter's own mistake (a KeyError, a ZeroDivisionError): said as the value's
        message = f"cannot convert '{value}' to {type_name(converter)}: {type(error).__name__}: {error}"
        raise ValueError(message) from None


class OptionSpec(NamedTuple):
    """One declared option of a module type."""

    name: str
    help: str = ""
    type: Converter = str
    default: Any = None
    required: bool = False

    @property
    def type_name(self) -> str:
        """What the option accepts, in words."""
        return type_name(self.type)


_SPEC_KEYS = ("help", "type", "default", "required")


def unsettable_option(name: object) -> str | None:
    """Why an option called ``name`` could never be set in a config, or None when it can (a config's keys are read
    by :mod:`pimlico_lite.config.reader`)."""
    if not isinstance(name, str):
        return "the name of an option is a string"
    if name in ("type", "input") or name.startswith("input_"):
        return "'type', 'input' and 'input_<name>' are the config's own keys"
    if not name or name != name.strip() or "=" in name or not name.isprintable() or name.startswith(("#", "[", "%%")):
        return (
            "a key in a config is not empty, has no space at either end and no '=' or control character, and does"
            " not start with '#', '[' or '%%'"
        )
    return None


def option_specs(module_type: str, options: Mapping[str, Mapping[str, Any]]) -> dict[str, OptionSpec]:
    """Turn a ``module_options`` declaration into option specs, checking its keys."""
    specs = {}
    for name, declaration in options.items():
        problem = unsettable_option(name)
        if problem:
            message = (
                f"module type {module_type}: option {name!r} could never be set, because {problem};"
                " give the option another name"
            )
            raise ModuleTypeError(message)
        unknown = [key for key in declaration if key not in _SPEC_KEYS]
        if unknown:
            hint = did_you_mean(unknown[0], _SPEC_KEYS)
            message = (
                f"module type {module_type}: option '{name}' declares unknown key '{unknown[0]}'{hint};"
                f" known: {', '.join(_SPEC_KEYS)}"
            )
            raise ModuleTypeError(message)
        spec = OptionSpec(name, **declaration)
        specs[name] = spec._replace(type=declared_converter(spec.type))
    return specs
