"""Read a pipeline config file into located raw sections.

The config language is INI (``[section]`` headers, ``key = value`` lines, ``#`` comments, values optionally quoted,
and triple-quoted for values over several lines), plus Pimlico's preprocessing:

* ``%% include other.conf`` splices another file in (relative to the including file, nested);
* ``%% copy section [key ...]`` inside a section copies an earlier section's keys, except those listed;
* ``[vars]`` values are substituted for ``%(name)s`` in every value; ``%%`` is a literal ``%``;
* the comment lines just above a section header are that section's description.

One pass over the lines (includes spliced in where they stand) parses them and keeps where every section and key
was written, in which file, so that every error can name its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pimlico_lite.core.options import expand_user, follow_links
from pimlico_lite.errors import ConfigError, Location, Problem, closest, did_you_mean

DIRECTIVES = ("include", "copy")
VARS_SECTION = "vars"

_HEADER = re.compile(r"^(\[+)\s*([^\]]*?)\s*(\]+)\s*(?:#.*)?$")
_VARIABLE = re.compile(r"%\((\w+)\)s|%%")
_TRIPLE_QUOTES = ('"""', "'''")


class RawValue(NamedTuple):
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


@dataclass
class Sources:
    """What reading a config (and loading it) depended on, for a copy of the result kept on disk to be checked
    against: the text of every file read, by the path it was read from, and where each path that was followed
    (an include, a ``python_path`` folder) led once its symbolic links were resolved, by the path as written."""

    texts: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)


class _Copy(NamedTuple):
    section: str
    source: str
    excluded: tuple[str, ...]
    location: Location


@dataclass
class _Reading:
    """What one pass over a file and its includes collects."""

    sections: list[RawSection] = field(default_factory=list)
    names: dict[str, RawSection] = field(default_factory=dict)
    copies: list[_Copy] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The section the next line belongs to: an included file's last section goes on after the include.
    section: RawSection | None = None
    # Comment lines just read, which become the description of a section header that follows them.
    comments: list[str] = field(default_factory=list)
    sources: Sources = field(default_factory=Sources)


def read_config(path: str | Path, sources: Sources | None = None) -> list[RawSection]:
    """Read ``path`` with its includes; return its sections in order, or raise ConfigError with every problem.

    ``sources``, when given, gets what was read (see :class:`Sources`).
    """
    path = Path(path)
    if not path.is_file():
        message = f"{path}: {'not a file' if path.exists() else 'no such pipeline config file'}"
        raise ConfigError(message)
    reading = _Reading() if sources is None else _Reading(sources=sources)
    _read_file(path, reading, including=())
    _apply_copies(reading.sections, reading)
    _substitute_vars(reading.sections, reading.problems)
    if reading.problems:
        raise ConfigError(reading.problems)
    return reading.sections


def where_set(path: str | Path, section: str, key: str) -> Location | None:
    """Where the config at ``path`` sets ``key`` in ``section`` (where the section starts, if the key is left to
    its default), as the config is now; None if it cannot be read or has no such section."""
    try:
        sections = read_config(path)
    except (ConfigError, OSError, UnicodeError):
        return None
    for raw in sections:
        if raw.name == section:
            return raw.values[key].location if key in raw.values else raw.location
    return None


def _read_file(path: Path, reading: _Reading, including: tuple[Path, ...], included_at: Location | None = None) -> None:
    """Parse the lines of ``path`` into ``reading``, splicing includes in where they stand (``path`` included by the
    line ``included_at``)."""
    shown = display_path(path)
    try:
        # A byte-order mark is not part of the text. Reading as text ends lines at \n, \r\n and \r alone, as editors
        # do: str.splitlines() would also end them at a form feed or U+2028, and number the lines after it wrongly.
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        where = f" (included at {included_at})" if included_at is not None else ""
        message = f"cannot read the config file: {error.strerror or error}{where}"
        reading.problems.append(Problem(message, Location(shown)))
        return
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        byte = error.object[error.start : error.start + 1].hex()
        message = f"the config file is not UTF-8 text: byte 0x{byte} cannot be read (save it as UTF-8)"
        reading.problems.append(Problem(message, Location(shown, line)))
        return
    reading.sources.texts[str(path)] = text
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        number = index + 1
        index += 1
        if not stripped:
            reading.comments = []
        elif stripped[0] == "#":
            reading.comments.append(stripped[1:].strip())
        elif stripped.startswith("%%"):
            reading.comments = []
            _directive(path, stripped, Location(shown, number), reading, including)
        elif stripped[0] == "[":
            _header(stripped, Location(shown, number), reading)
        else:
            reading.comments = []
            index = _key_value(lines, index, stripped, Location(shown, number), reading)


def _header(stripped: str, location: Location, reading: _Reading) -> None:
    match = _HEADER.match(stripped)
    description, reading.comments = "\n".join(reading.comments), []
    if match is None or len(match.group(1)) != len(match.group(3)):
        message = f"expected a section header such as [name], got '{_shortened(stripped)}'"
        reading.problems.append(Problem(message, location))
    elif len(match.group(1)) > 1:
        reading.problems.append(Problem("nested sections ([[...]]) are not part of the config language", location))
    elif match.group(2) in reading.names:
        first = reading.names[match.group(2)].location
        reading.problems.append(Problem(f"section [{match.group(2)}] is already defined at {first}", location))
    else:
        reading.section = RawSection(match.group(2), location, description=description)
        reading.sections.append(reading.section)
        reading.names[reading.section.name] = reading.section
        return
    reading.section = None  # keys under a broken header are not reported a second time


def _inside_quotes(value: str) -> str | None:
    """What is inside the quotes of a value written ``"..."`` or ``'...'``, maybe followed by a comment; else None.

    A value that ends with its opening quote is all quoted (``"say "hi" # twice"`` keeps every character inside the
    outer quotes); otherwise the value ends at the first matching quote followed by whitespace and a ``#`` comment.
    """
    quote = value[:1]
    if quote not in ("'", '"'):
        return None
    if len(value) >= 2 and value.endswith(quote):
        return value[1:-1]
    end = value.find(quote, 1)
    while end > 0:
        after = value[end + 1 :]
        rest = after.lstrip()
        if rest.startswith("#") and len(rest) < len(after):
            return value[1:end]
        end = value.find(quote, end + 1)
    return None


def _shortened(line: str, most: int = 80) -> str:
    """A line as a message quotes it: at most ``most`` characters (a file that is not a config may have lines of
    megabytes)."""
    return line if len(line) <= most else f"{line[: most - 3]}..."


def _without_comment(text: str) -> str:
    """``text`` without its inline comment, which starts at a # after whitespace (a # inside a word is part of it)."""
    if "#" not in text:
        return text
    for marker in (" #", "\t#"):
        if marker in text:
            text = text[: text.index(marker)].rstrip()
    return text


def _key_value(lines: list[str], index: int, stripped: str, location: Location, reading: _Reading) -> int:
    """Parse ``key = value`` (reading on for a triple-quoted value); return the index of the next line."""
    key, equals, value = stripped.partition("=")
    key, value = key.strip(), value.strip()
    if not equals or not key:
        message = f"expected 'key = value', a [section] header or a # comment, got '{_shortened(stripped)}'"
        reading.problems.append(Problem(message, location))
        return index
    quote = value[:3]
    if quote in _TRIPLE_QUOTES:
        value, index = _triple_quoted(lines, index, value[3:], quote, location, reading)
    elif (inside := _inside_quotes(value)) is not None:
        value = inside
    elif value.startswith("#"):
        value = ""
    else:
        value = _without_comment(value)
    section = reading.section
    if section is None:
        if not reading.sections:
            reading.problems.append(Problem(f"'{key}' is outside any [section]", location, key=key))
    elif key in section.values:
        first = section.values[key].location
        reading.problems.append(Problem(f"'{key}' is already set at {first}", location, section.name, key))
    else:
        section.values[key] = RawValue(value, location)
    return index


def _triple_quoted(
    lines: list[str], index: int, rest: str, quote: str, location: Location, reading: _Reading
) -> tuple[str, int]:
    parts = [rest]
    while quote not in parts[-1]:
        if index >= len(lines):
            reading.problems.append(Problem(f"the {quote} value that starts here is never closed", location))
            return "\n".join(parts), index
        parts.append(lines[index])
        index += 1
    last = parts[-1]
    end = last.index(quote)
    after = last[end + len(quote) :].strip()
    if after and not after.startswith("#"):
        message = f"unexpected text after the closing {quote}: '{after}' (a comment starts with #)"
        closing = location._replace(line=(location.line or 1) + len(parts) - 1)
        reading.problems.append(Problem(message, closing, reading.section.name if reading.section else None))
    parts[-1] = last[:end]
    return "\n".join(parts), index


def _directive(path: Path, stripped: str, location: Location, reading: _Reading, including: tuple[Path, ...]) -> None:
    body = stripped[2:].strip()
    directive = body.split(maxsplit=1)[0] if body else ""
    rest = body[len(directive) :].strip()
    quoted = _inside_quotes(rest)  # (a file name with spaces: in quotes, or written as it is)
    target = quoted if quoted is not None else _without_comment(rest)
    words = [directive, *_without_comment(rest).split()]
    if directive == "include" and target:
        _include(path, target, location, reading, including)
    elif directive == "copy" and len(words) >= 2:
        if reading.section is None:
            reading.problems.append(Problem("'%% copy' must be inside a section", location))
        else:
            reading.copies.append(_Copy(reading.section.name, words[1], tuple(words[2:]), location))
    elif directive in DIRECTIVES:
        usage = "%% include FILE" if directive == "include" else "%% copy SECTION [KEY ...]"
        reading.problems.append(Problem(f"malformed directive: expected '{usage}'", location))
    else:
        hint = did_you_mean(directive, DIRECTIVES)
        reading.problems.append(Problem(f"unknown directive '%% {directive}'{hint}; known: include, copy", location))


def display_path(path: Path) -> str:
    """``path`` as messages show it: relative to the working directory when it is below it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _include(path: Path, target: str, location: Location, reading: _Reading, including: tuple[Path, ...]) -> None:
    try:
        written = path.parent / expand_user(target)
    except ValueError as error:
        reading.problems.append(Problem(str(error), location))
        return
    try:
        included = follow_links(written)
    except ValueError as error:
        reading.problems.append(Problem(f"cannot follow included file '{target}': {error}", location))
        return
    reading.sources.links[str(written)] = str(included)
    if included in (*including, path.resolve()):
        chain = " -> ".join(display_path(p) for p in (*including, path.resolve(), included))
        reading.problems.append(Problem(f"include cycle: {chain}", location))
    elif not included.is_file():
        why = "is not a file" if included.exists() else "does not exist"
        reading.problems.append(Problem(f"included file '{target}' {why} ({included})", location))
    else:
        _read_file(included, reading, (*including, path.resolve()), location)


def _apply_copies(sections: list[RawSection], reading: _Reading) -> None:
    """Carry out ``%% copy`` directives in file order; a section's own keys win over copied ones."""
    by_name = {section.name: section for section in sections}
    order = {section.name: index for index, section in enumerate(sections)}
    # Per section: the keys written in it, and those a copy gave it, with that copy.
    own = {name: set(section.values) for name, section in by_name.items()}
    given: dict[str, dict[str, _Copy]] = {}
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
        for key in copy.excluded:
            if key not in source.values:
                message = (
                    f"'{key}' is not a key of [{copy.source}]{did_you_mean(key, source.values)}: nothing to leave out"
                )
                reading.problems.append(Problem(message, copy.location, copy.section))
        before = given.setdefault(copy.section, {})
        copied = {}
        for key, raw in source.values.items():
            if key in copy.excluded or key in own[copy.section]:
                continue
            if key not in before:
                copied[key] = raw
                before[key] = copy
            elif target.values[key].value != raw.value:
                first = before[key]
                where = f"line {first.location.line}" if first.location.file == copy.location.file else first.location
                message = (
                    f"'%% copy {copy.source}' and '%% copy {first.source}' ({where}) give '{key}'"
                    f" different values ({raw.value!r}, {target.values[key].value!r}): set it in [{copy.section}],"
                    f" or leave it out of one copy ('%% copy {copy.source} {key}')"
                )
                reading.problems.append(Problem(message, copy.location, copy.section))
        target.values = {**copied, **target.values}


def _substitute_vars(sections: list[RawSection], problems: list[Problem]) -> None:
    """Replace ``%(name)s`` with ``[vars]`` values (vars may use earlier vars) and ``%%`` with ``%``."""
    variables: dict[str, str] = {}
    # [vars] first, wherever it stands, so that [pipeline] may use the vars too.
    ordered = sorted(sections, key=lambda section: section.name != VARS_SECTION)
    vars_section = next((section for section in sections if section.name == VARS_SECTION), None)
    declared = {key: raw.location for key, raw in vars_section.values.items()} if vars_section else {}
    # (looked for only when a variable is unknown: difflib over every section's name costs loading 15%)
    misnamed = (lambda: "") if vars_section else (lambda: misnamed_section(VARS_SECTION, sections))
    for section in ordered:
        is_vars = section.name == VARS_SECTION
        for key, raw in section.values.items():
            value = _substitute(raw, variables, declared, section.name, key, problems, misnamed)
            if value is not raw.value:
                section.values[key] = RawValue(value, raw.location)
            if is_vars:
                variables[key] = value


def misnamed_section(wanted: str, sections: list[RawSection]) -> str:
    """`` ([pipline] at p.conf:1: did you mean [pipeline]?)`` for the section that is most likely ``[wanted]``
    misspelt, or nothing."""
    near = closest(wanted, [section.name for section in sections if "type" not in section.values])  # (not a module)
    section = next((section for section in sections if section.name == near), None)
    return f" ([{section.name}] at {section.location}: did you mean [{wanted}]?)" if section is not None else ""


def _substitute(
    raw: RawValue,
    variables: dict[str, str],
    declared: dict[str, Location],
    section: str,
    key: str,
    problems: list[Problem],
    misnamed: Callable[[], str] = str,
) -> str:
    """``raw``'s value with the ``variables`` defined so far put in; ``declared``: where every var is defined;
    ``misnamed``: what to say of a section that may have been meant as ``[vars]``."""
    if "%" not in raw.value:
        return raw.value

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in variables:
            if name == key and section == VARS_SECTION:
                message = f"variable '%({name})s' cannot use itself: a var may use the vars above it"
            elif name in declared:
                where = declared[name]
                message = f"variable '%({name})s' is defined later, at {where}: a var may use the vars above it"
            else:
                hint = did_you_mean(name, variables)
                message = f"unknown variable '%({name})s'{hint}; define it in [vars]{misnamed()}"
            problems.append(Problem(message, raw.location, section, key))
            return match.group(0)
        return variables[name]

    return _VARIABLE.sub(replace, raw.value)
