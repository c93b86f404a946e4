"""Reference pages in Markdown, generated from the declarations: one page per bundled module type, and the datatypes.

``scripts/docs`` writes them into ``docs/modules/``; a test fails when a committed page differs from what the
declarations give now. Only the ``info.py`` files are imported, so nothing heavy is.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pimlico_lite.core.info import BaseModuleInfo
from pimlico_lite.core.multistage import MultistageModuleInfo
from pimlico_lite.datatypes import Datatype, MultipleInputs
from pimlico_lite.pipeline.module_types import BUNDLED_PACKAGE, bundled_module_types, import_module_type

GENERATED = "<!-- Generated from the module type's declarations by scripts/docs: do not edit. -->"


def page_name(type_path: str) -> str:
    """The file name of a module type's page: its path below the bundled package, ``ml.report.md``."""
    return type_path.removeprefix(BUNDLED_PACKAGE + ".") + ".md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _docstring(thing: Any) -> str:
    """The docstring in Markdown: reStructuredText's ``code`` and :class:`Name` become `code` and `Name`."""
    text = inspect.cleandoc(thing.__doc__) if thing.__doc__ else ""
    # Only a pair of backticks on its own: a Markdown code fence (```ini) stays as it is.
    return re.sub(r"(?<!`)``(?!`)", "`", re.sub(r":\w+:`([^`]+)`", r"`\1`", text))


def _description(type_path: str, info: type[BaseModuleInfo]) -> str:
    """The module type's docstring; for a multistage module (a generated class), its package's docstring."""
    if issubclass(info, MultistageModuleInfo):
        return _docstring(importlib.import_module(type_path))
    return _docstring(info)


def _datatype_name(declared: Datatype | MultipleInputs) -> str:
    if isinstance(declared, MultipleInputs):
        return f"several {_datatype_link(declared.datatype)}"
    return _datatype_link(declared)


def _datatype_link(datatype: Datatype) -> str:
    name = type(datatype).__name__
    return f"[{name}](datatypes.md#{name.lower()})"


def _default(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value)) if value else "(empty)"
    return f"`{value}`"


def render_module_page(type_path: str, info: type[BaseModuleInfo]) -> str:
    """The Markdown page of one module type."""
    title = info.module_readable_name or info.module_type_name
    lines = [GENERATED, "", f"# {title}", "", f"`type = {type_path}`", ""]
    description = _description(type_path, info)
    if description:
        lines += [description, ""]
    if issubclass(info, MultistageModuleInfo):
        lines += _stages_section(info)
    lines += _inputs_section(info)
    lines += _outputs_section(info)
    lines += _options_section(info)
    return "\n".join(lines).rstrip() + "\n"


def _stages_section(info: type[MultistageModuleInfo]) -> list[str]:
    lines = [
        "A multistage module (see [multistage.md](../multistage.md)): each stage is a module instance of its own,",
        "`NAME:stage`, run and kept separately.",
        "",
        "## Stages",
        "",
        "| stage | module type | inputs from |",
        "| --- | --- | --- |",
    ]
    for stage in info.stages:
        sources = []
        for stage_input, source in info.stage_inputs[stage.name].items():
            where = f"stage `{source.stage}`, output `{source.name}`" if source.stage else f"input `{source.name}`"
            sources.append(f"`{stage_input}` ← {where}")
        link = f"[{stage.info.type_label()}]({page_name(stage.info.type_label())})"
        lines.append(f"| `{stage.name}` | {link} | {'; '.join(sources) or '(none)'} |")
    if info.dynamic_option_stages:
        lines.append("")
        for prefix, target in info.dynamic_option_stages.items():
            named = f"starting with `{prefix}`" if prefix else "not declared below"
            lines.append(f"Options {named} go to stage `{target}` as its undeclared options (see its page).")
    return [*lines, ""]


def _inputs_section(info: type[BaseModuleInfo]) -> list[str]:
    declared = info.input_declarations()
    if not declared:
        return ["## Inputs", "", "None.", ""]
    lines = ["## Inputs", "", "| input | datatype | required |", "| --- | --- | --- |"]
    for name, (datatype, is_required) in declared.items():
        lines.append(f"| `{name}` | {_datatype_name(datatype)} | {'yes' if is_required else 'no'} |")
    return [*lines, ""]


def _outputs_section(info: type[BaseModuleInfo]) -> list[str]:
    if not info.module_outputs:
        return ["## Outputs", "", "None.", ""]
    lines = ["## Outputs", "", "The first is the default output.", "", "| output | datatype |", "| --- | --- |"]
    lines += [f"| `{name}` | {_datatype_link(datatype)} |" for name, datatype in info.module_outputs]
    return [*lines, ""]


def _options_section(info: type[BaseModuleInfo]) -> list[str]:
    specs = info.option_specs()
    lines = ["## Options", ""]
    if specs:
        lines += ["| option | type | default | help |", "| --- | --- | --- | --- |"]
        for name, spec in specs.items():
            default = "**required**" if spec.required else _default(spec.default)
            lines.append(f"| `{name}` | {_cell(spec.type_name)} | {_cell(default)} | {_cell(spec.help)} |")
    else:
        lines.append("None.")
    if info.module_dynamic_options is not None:
        dynamic = info.dynamic_option_spec("_")
        assert dynamic is not None
        lines += ["", f"**Any other option**: {dynamic.help}. Its value is read as {dynamic.type_name}."]
    return [*lines, ""]


def datatype_classes() -> list[type[Datatype]]:
    """Every datatype that ``pimlico_lite.datatypes`` exports, base class first."""
    from pimlico_lite import datatypes

    exported = (getattr(datatypes, name) for name in datatypes.__all__)
    return [item for item in exported if isinstance(item, type) and issubclass(item, Datatype)]


def render_datatypes_page(classes: Iterable[type[Datatype]]) -> str:
    """The page that describes every datatype and its format on disk."""
    lines = [GENERATED, "", "# Datatypes", ""]
    lines += [
        "What flows along a connection, and how it is kept on disk. An output fits an input declared with the same",
        "datatype or one it derives from (see [module-types.md](../module-types.md#datatypes)). Each module type's",
        "page links here.",
        "",
    ]
    for datatype in classes:
        fits = [klass.__name__ for klass in datatype.__mro__ if isinstance(klass, type) and issubclass(klass, Datatype)]
        lines += [f"## {datatype.__name__}", ""]
        lines += [_docstring(datatype), ""]
        lines += [f"- on disk: {datatype.format_description}"]
        lines += [f"- fits an input declared as: {', '.join(fits)}"]
        lines += [f"- `type = pimlico_lite.datatypes.{datatype.__name__}` with `dir =` reads such data from a folder"]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_index(type_paths: Iterable[str]) -> str:
    """The index of the module type pages."""
    lines = [GENERATED, "", "# The bundled module types", ""]
    lines += ["Each page is generated from a module type's `info.py`; [datatypes.md](datatypes.md) has the datatypes."]
    lines += ["", "| module type | what it does |", "| --- | --- |"]
    for type_path in sorted(type_paths):
        summary = _description(type_path, import_module_type(type_path)).split("\n\n")[0].replace("\n", " ")
        lines.append(f"| [{type_path.removeprefix(BUNDLED_PACKAGE + '.')}]({page_name(type_path)}) | {summary} |")
    return "\n".join(lines) + "\n"


def render_all() -> dict[str, str]:
    """Every reference page: file name -> Markdown."""
    type_paths = bundled_module_types()
    pages = {page_name(path): render_module_page(path, import_module_type(path)) for path in type_paths}
    pages["datatypes.md"] = render_datatypes_page(datatype_classes())
    pages["README.md"] = render_index(type_paths)
    return pages


def write_pages(folder: Path) -> list[str]:
    """Write every page into ``folder``, remove generated pages that no longer have a module type; return names."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = render_all()
    for stale in folder.glob("*.md"):
        if stale.name not in pages and stale.read_text(encoding="utf-8").startswith(GENERATED):
            stale.unlink()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(pages)


def outdated_pages(folder: Path) -> list[str]:
    """The pages in ``folder`` that are missing, or differ from what the declarations give now."""
    pages = render_all()
    return sorted(
        name
        for name, text in pages.items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    )
