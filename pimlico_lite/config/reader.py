"""Read a pipeline config file into located raw sections.

The config language is INI as configobj reads it, plus Pimlico's preprocessing:

* ``%% include other.conf`` splices another file in (relative to the including file, nested);
* ``%% copy section [key ...]`` inside a section copies an earlier section's keys, except those listed;
* ``[vars]`` values are substituted for ``%(name)s`` in every value; ``%%`` is a literal ``%``;
* the comment lines just above a section header are that section's description.

configobj keeps no line numbers for keys, so this module keeps its own index of where every section and key
was written, in which file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from configobj import ConfigObj, ConfigObjError

from pimlico_lite.errors import ConfigError, Location, Problem, did_you_mean

DIRECTIVES = ("include", "copy")
VARS_SECTION = "vars"

_HEADER = re.compile(r"^\s*(\[+)\s*([^\]]*?)\s*\]+\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([^=#\[\s][^=]*?)\s*=")
_VARIABLE = re.compile(r"%\((\w+)\)s|%%")


@dataclass(frozen=True)
class RawValue:
    """One ``key = value`` as written, after preprocessing, with where it was written."""

    value: str
    location: Location


@dataclass
class RawSection:
    """One ``[section]`` of a config: its keys in file order, where it starts, and its description."""

    name: str
    location: Location
    values: dict[str, RawValue] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class _Line:
    text: str
    location: Location


@dataclass(frozen=True)
class _Copy:
    section: str
    source: str
    excluded: tuple[str, ...]
    location: Location


@dataclass
class _Reading:
    """What preprocessing collects while it reads a file and its includes."""

    lines: list[_Line] = field(default_factory=list)
    copies: list[_Copy] = field(default_factory=list)
    # The section the next line belongs to: as in configobj, an included file's last section goes on after it.
    section: str | None = None
    problems: list[Problem] = field(default_factory=list)


def read_config(path: str | Path) -> list[RawSection]:
    """Read ``path`` with its includes; return its sections in order, or raise ConfigError with every problem."""
    path = Path(path)
    if not path.is_file():
        message = f"{path}: no such pipeline config file"
        raise ConfigError(message)
    reading = _Reading()
    _read_lines(path, reading, including=())
    sections = _parse(reading)
    _apply_copies(sections, reading)
    _substitute_vars(sections, reading.problems)
    if reading.problems:
        raise ConfigError(reading.problems)
    return sections


def _read_lines(path: Path, reading: _Reading, including: tuple[Path, ...]) -> None:
    """Append the lines of ``path`` to ``reading``, splicing includes in and taking copy directives out."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reading.problems.append(Problem(f"cannot read the config file: {error}", Location(display_path(path))))
        return
    shown = display_path(path)
    for number, line in enumerate(text.splitlines(), start=1):
        location = Location(shown, number)
        stripped = line.strip()
        header = _HEADER.match(line)
        if header:
            reading.section = header.group(2)
        if not stripped.startswith("%%"):
            reading.lines.append(_Line(line, location))
            continue
        # Keep the line count so configobj's line numbers still map onto ours.
        reading.lines.append(_Line("", location))
        words = stripped[2:].split()
        directive = words[0] if words else ""
        if directive == "include" and len(words) == 2:
            _include(path, words[1], location, reading, including)
        elif directive == "copy" and len(words) >= 2:
            if reading.section is None:
                reading.problems.append(Problem("'%% copy' must be inside a section", location))
            else:
                reading.copies.append(_Copy(reading.section, words[1], tuple(words[2:]), location))
        elif directive in DIRECTIVES:
            usage = "%% include FILE" if directive == "include" else "%% copy SECTION [KEY ...]"
            reading.problems.append(Problem(f"malformed directive: expected '{usage}'", location))
        else:
            hint = did_you_mean(directive, DIRECTIVES)
            reading.problems.append(
                Problem(f"unknown directive '%% {directive}'{hint}; known: include, copy", location)
            )


def display_path(path: Path) -> str:
    """``path`` as messages show it: relative to the working directory when it is below it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _include(path: Path, target: str, location: Location, reading: _Reading, including: tuple[Path, ...]) -> None:
    included = (path.parent / target).resolve()
    if included in (*including, path.resolve()):
        chain = " -> ".join(str(p) for p in (*including, path.resolve(), included))
        reading.problems.append(Problem(f"include cycle: {chain}", location))
    elif not included.is_file():
        reading.problems.append(Problem(f"included file '{target}' does not exist ({included})", location))
    else:
        _read_lines(included, reading, (*including, path.resolve()))


def _parse(reading: _Reading) -> list[RawSection]:
    """Parse the preprocessed lines with configobj, and index where each section and key was written."""
    try:
        parsed = ConfigObj([line.text for line in reading.lines], interpolation=False, list_values=False)
    except ConfigObjError as error:
        for each in getattr(error, "errors", [error]):
            number = getattr(each, "line_number", None)
            location = reading.lines[number - 1].location if number else None
            message = str(each).split(" at line")[0].split(": line")[0]
            reading.problems.append(Problem(message, location))
        raise ConfigError(reading.problems) from None
    sections: list[RawSection] = []
    comments: list[str] = []
    current: RawSection | None = None
    for line in reading.lines:
        stripped = line.text.strip()
        header = _HEADER.match(line.text)
        if header:
            current = _start_section(header, line, comments, reading.problems)
            if current is not None:
                sections.append(current)
            comments = []
        elif stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip())
        else:
            comments = []
            key = _KEY.match(line.text)
            if key and current is not None and key.group(1) in parsed.get(current.name, {}):
                value = parsed[current.name][key.group(1)]
                current.values[key.group(1)] = RawValue(str(value), line.location)
        if not stripped:
            comments = []
    for key in parsed.scalars:
        reading.problems.append(Problem(f"'{key}' is outside any [section]", None, key=key))
    return sections


def _start_section(
    header: re.Match[str], line: _Line, comments: list[str], problems: list[Problem]
) -> RawSection | None:
    if len(header.group(1)) > 1:
        problems.append(Problem("nested sections ([[...]]) are not part of the config language", line.location))
        return None
    return RawSection(header.group(2), line.location, description="\n".join(comments))


def _apply_copies(sections: list[RawSection], reading: _Reading) -> None:
    """Carry out ``%% copy`` directives in file order; a section's own keys win over copied ones."""
    by_name = {section.name: section for section in sections}
    order = {section.name: index for index, section in enumerate(sections)}
    for copy in reading.copies:
        target = by_name.get(copy.section)
        source = by_name.get(copy.source)
        if target is None:
            continue
        if copy.source == copy.section:
            reading.problems.append(Problem("a section cannot copy itself", copy.location, copy.section))
            continue
        if source is None or order[copy.source] > order[copy.section]:
            earlier = [name for name, index in order.items() if index < order[copy.section]]
            why = "is defined later" if source is not None else "does not exist"
            message = f"cannot copy section '{copy.source}': it {why}{did_you_mean(copy.source, earlier)}"
            reading.problems.append(Problem(message, copy.location, copy.section))
            continue
        copied = {
            key: value for key, value in source.values.items() if key not in copy.excluded and key not in target.values
        }
        target.values = {**copied, **target.values}


def _substitute_vars(sections: list[RawSection], problems: list[Problem]) -> None:
    """Replace ``%(name)s`` with ``[vars]`` values (vars may use earlier vars) and ``%%`` with ``%``."""
    variables: dict[str, str] = {}
    # [vars] first, wherever it stands, so that [pipeline] may use the vars too.
    ordered = sorted(sections, key=lambda section: section.name != VARS_SECTION)
    for section in ordered:
        is_vars = section.name == VARS_SECTION
        for key, raw in section.values.items():
            value = _substitute(raw, variables, section.name, key, problems)
            section.values[key] = RawValue(value, raw.location)
            if is_vars:
                variables[key] = value


def _substitute(raw: RawValue, variables: dict[str, str], section: str, key: str, problems: list[Problem]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in variables:
            hint = did_you_mean(name, variables)
            problems.append(
                Problem(f"unknown variable '%({name})s'{hint}; define it in [vars]", raw.location, section, key)
            )
            return match.group(0)
        return variables[name]

    return _VARIABLE.sub(replace, raw.value)
