"""A malformed declaration in a module type's info.py is an error at the section that names the type, not a
traceback: each says which declaration is wrong and how it should look."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from pimlico_lite.errors import ConfigError
from pimlico_lite.pipeline import load_pipeline
from tests.subprocesses import run_cli

_PACKAGES = itertools.count()
IMPORTS = "from pimlico_lite import BaseModuleInfo, ModuleStage, multistage_module\n"
IMPORTS += "from pimlico_lite.core import choose_from_list\n"
IMPORTS += "from pimlico_lite.datatypes import JSONData\n\n"


def _module_type(tmp_path: Path, body: str) -> tuple[Path, str]:
    """A package with an info.py of ``body``, under a name no other test imported; the config naming it."""
    name = f"declared{next(_PACKAGES)}"
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "info.py").write_text(IMPORTS + body)
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[m]\ntype = {name}\n")
    return config, name


def _info(**attributes: str) -> str:
    lines = "".join(f"    {name} = {value}\n" for name, value in attributes.items())
    return f"class ModuleInfo(BaseModuleInfo):\n    module_type_name = 'm'\n{lines}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            _info(module_inputs="[('i', JSONData)]"),
            "module_inputs: 'i' is declared with the class JSONData: give an instance, JSONData()",
        ),
        (
            _info(module_outputs="{'o': JSONData()}"),
            "module_outputs must be a list of (name, datatype) pairs, such as [(\"data\", Dataset())], got {'o':",
        ),
        (
            _info(module_outputs="('o', JSONData())"),
            "module_outputs must be a list of (name, datatype) pairs, such as [(\"data\", Dataset())], got ('o',",
        ),
        (_info(module_outputs="[('o', 'json')]"), "module_outputs: 'o' must be declared with a datatype, such as"),
        (_info(module_outputs="[('my out', JSONData())]"), "module_outputs: 'my out' is not a plain name"),
        (
            _info(module_outputs="[('données', JSONData())]"),
            "module_outputs: 'données' is not a plain name (letters, digits and _, not starting with a digit; ASCII"
            " ones, as it names a folder)",
        ),
        (_info(module_outputs="[('o', JSONData()), ('o', JSONData())]"), "module_outputs: 'o' is declared twice"),
        (
            _info(module_inputs="[('i', JSONData())]", module_optional_inputs="[('i', JSONData())]"),
            "module_optional_inputs: 'i' is declared twice",
        ),
        (_info(module_options="{'n': 5}"), "module_options must be a dict of option declarations, such as"),
        (
            _info(module_options="{'n': {'type': 'int'}}"),
            "module_options: option 'n' has the type 'int', which converts nothing: give int, float, str, bool or a"
            " function (not its name in quotes)",
        ),
        (
            _info(module_dynamic_options="{'type': 'float'}"),
            "module_dynamic_options: option '(any other)' has the type 'float', which converts nothing",
        ),
        (
            _info(module_options="{'flag': {'type': bool, 'default': 'false'}}"),
            "module_options: option 'flag' has the default 'false', text: give the value itself, False",
        ),
        (
            _info(module_options="{'mode': {'type': choose_from_list(['a', 'b']), 'default': 'c'}}"),
            "option 'mode' has the default 'c', which its type refuses: expected one of a, b, got 'c'",
        ),
        (
            _info(module_options="{'n': {'type': int, 'default': 1.5}}"),
            "option 'n' has the default 1.5, where its type is integer: give a value of that type",
        ),
        (
            "from pimlico_lite.core import integer_at_least\n"
            + _info(module_options="{'k': {'type': integer_at_least(2), 'default': 1}}"),
            "option 'k' has the default 1, which its type refuses: expected an integer of at least 2, got 1",
        ),
        (
            _info(module_output="[('o', JSONData())]"),
            "module_output is not a declaration of a module type (did you mean 'module_outputs'?); declarations:"
            " module_dynamic_options, module_executable, module_inputs, module_optional_inputs, module_options,"
            " module_outputs, module_readable_name, module_source_files, module_type_name",
        ),
        (
            _info(module_optional_input="[('i', JSONData())]"),
            "module_optional_input is not a declaration of a module type (did you mean 'module_optional_inputs'?)",
        ),
        (
            _info(module_options="{'path': {}}", module_source_files="('paht',)"),
            "module_source_files must name declared options (whose values are files the module reads), such as"
            " ('path',); got ('paht',); options: path",
        ),
        (
            _info(module_outputs="[('o', JSONData())]")
            + "\n\nModuleInfo = multistage_module('ms', (ModuleStage('s', ModuleInfo)))\n",
            "multistage module ms: the stages must be a list of ModuleStage(...), got ModuleStage(name='s'",
        ),
        (
            _info(module_outputs="[('o', JSONData)]").replace("class ModuleInfo", "class First")
            + "\n\nModuleInfo = multistage_module('ms', [ModuleStage('s', First)])\n",
            "module_outputs: 'o' is declared with the class JSONData: give an instance, JSONData()",
        ),
        (
            _info(module_options="{'n': {'type': int}}").replace("class ModuleInfo", "class First")
            + _info(module_options="{'lower': {'type': bool}}").replace("class ModuleInfo", "class Second")
            + "\nModuleInfo = multistage_module('ms', [ModuleStage('s', First), ModuleStage('t', Second,"
            " option_connections={'lower': 's_n'})])\n",
            "multistage module ms, stage t: its option 'lower' is the multistage option 's_n', which an earlier stage"
            " declares as integer, where this stage declares boolean: stages sharing an option must declare the"
            " same type",
        ),
    ],
    ids=[
        "class-not-instance",
        "outputs-dict",
        "outputs-bare-pair",
        "datatype-a-string",
        "name-not-plain",
        "output-name-not-ascii",
        "output-twice",
        "input-twice",
        "options-not-dicts",
        "type-a-string",
        "dynamic-type-a-string",
        "default-text-for-a-boolean",
        "default-not-a-choice",
        "default-of-another-type",
        "default-a-number-refused",
        "misspelt-declaration",
        "misspelt-optional-inputs",
        "source-file-not-an-option",
        "stages-not-a-list",
        "stage-declaration",
        "shared-option-of-two-types",
    ],
)
def test_a_malformed_declaration_is_an_error_saying_how_it_should_look(tmp_path: Path, body: str, message: str) -> None:
    config, _ = _module_type(tmp_path, body)
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    assert "p.conf:6 [m] type: " in str(raised.value)
    assert message in str(raised.value)


def test_the_command_line_exits_2_with_the_message_and_no_traceback(tmp_path: Path) -> None:
    config, name = _module_type(tmp_path, _info(module_inputs="[('i', JSONData)]"))
    result = run_cli(config, "status")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"module type {name}: module_inputs: 'i' is declared with the class JSONData" in result.stderr


@pytest.mark.parametrize("suffix", [".info", ".info.ModuleInfo"])
def test_a_type_that_names_the_info_module_or_class_is_told_the_package(tmp_path: Path, suffix: str) -> None:
    config, name = _module_type(tmp_path, _info(module_outputs="[('o', JSONData())]"))
    config.write_text(config.read_text().replace(f"type = {name}\n", f"type = {name}{suffix}\n"))
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    assert f"'{name}{suffix}' names a part of a module type: a type is its package, '{name}'" in str(raised.value)
    assert "JSONData" not in str(raised.value)  # (not the datatype its info.py imports)


def test_an_option_in_module_source_files_may_hold_a_list_of_files_and_must_hold_file_names(tmp_path: Path) -> None:
    options = "{'paths': {'type': comma_separated_strings, 'default': []}, 'n': {'type': int, 'default': 3}}"
    body = "from pimlico_lite.core import comma_separated_strings\n" + _info(
        module_outputs="[('o', JSONData())]", module_options=options, module_source_files="('paths',)"
    )
    config, _ = _module_type(tmp_path, body)
    config.write_text(config.read_text() + "paths = a.txt, data/b.tsv\n")
    (instance,) = load_pipeline(config).instances.values()
    assert instance.source_files == (
        ("file a.txt", str(tmp_path / "a.txt")),
        ("file data/b.tsv", str(tmp_path / "data" / "b.tsv")),
    )
    # A number is no file's name: the module type's mistake, said at the section's type.
    config, name = _module_type(tmp_path, body.replace("('paths',)", "('paths', 'n')"))
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    assert str(raised.value) == (
        f"{config}:6 [m] type: module type {name}: module_source_files names option 'n', whose value 3 is not a"
        " file's name (options that hold file names, such as 'path', belong there)"
    )


_DATATYPE = """from pimlico_lite.datatypes import Datatype, JSONData
{before}

class Table(JSONData):
{body}
"""


@pytest.mark.parametrize(
    ("before", "body", "message"),
    [
        (
            "x = 1 / 0",
            "    pass",
            "importing {module} (for its datatype Table) failed: ZeroDivisionError: division by"
            " zero (at {file}, line 2)",
        ),
        (
            "",
            "    def __init__(self, sep):\n        self.sep = sep",
            "Table(), the datatype of data made elsewhere (which must need no arguments), failed: TypeError:"
            " Table.__init__() missing 1 required positional argument: 'sep'",
        ),
        (
            "",
            "    def is_present(self, directory):\n        return (directory / 'x').stat() is None",
            "Table.is_present({data}) failed: FileNotFoundError: [Errno 2] No such file or directory: '{data}/x' (at"
            " {file}, line 6)",
        ),
        ("", "    marker_file = None", "Table.is_present({data}) failed: TypeError: unsupported operand type(s) for /"),
        (
            "",
            "    def accepts(self, other):\n        return self.nonexistent",
            "Table.accepts(Table()), for input 'data', failed: AttributeError: 'Table' object has no attribute"
            " 'nonexistent' (at {file}, line 6)",
        ),
    ],
    ids=["import-fails", "needs-arguments", "is-present-fails", "no-marker-file", "accepts-fails"],
)
def test_a_mistake_in_a_datatypes_code_is_an_error_with_its_line_not_a_traceback(
    tmp_path: Path, before: str, body: str, message: str
) -> None:
    module = f"madeelsewhere{next(_PACKAGES)}"
    (tmp_path / f"{module}.py").write_text(_DATATYPE.format(before=before, body=body))
    consumer = _info(module_inputs=f"[('data', {module}.Table())]", module_outputs="[('o', JSONData())]")
    config, name = _module_type(tmp_path, f"import {module}\n" + consumer)
    (tmp_path / "data").mkdir()
    config.write_text(
        config.read_text().replace(
            f"[m]\ntype = {name}\n", f"[d]\ntype = {module}.Table\ndir = data\n\n[m]\ntype = {name}\n"
        )
    )
    result = run_cli(config, "status")
    assert (result.returncode, result.stdout) == (2, "")
    assert "Traceback" not in result.stderr
    expected = message.format(module=module, file=tmp_path / f"{module}.py", data=tmp_path / "data")
    assert expected in result.stderr


_MADE_ELSEWHERE = """
class ModuleInfo(BaseModuleInfo):
    module_type_name = "elsewhere"
    module_outputs = [("counts", JSONData())]
    module_options = {{"root": {{"default": "data"}}}}
    module_executable = False

    @classmethod
    def external_output_dirs(cls, options, config_dir):
        return {returns}
"""


_MUST_RETURN = (
    "external_output_dirs() must return a dict of the folder (a Path) of each of its outputs by name (counts), got "
)


@pytest.mark.parametrize(
    ("returns", "message"),
    [
        (
            "[config_dir / options['root']]",
            _MUST_RETURN + "[PosixPath(",
        ),
        (
            "{'count': config_dir / options['root']}",
            _MUST_RETURN + "{'count': PosixPath(",
        ),
        (
            "{'counts': config_dir / options['rooot']}",
            "external_output_dirs() failed: KeyError: 'rooot' (at {info}, line 14)",
        ),
    ],
    ids=["a-list", "another-name", "fails"],
)
def test_what_external_output_dirs_returns_is_checked(tmp_path: Path, returns: str, message: str) -> None:
    config, name = _module_type(tmp_path, _MADE_ELSEWHERE.format(returns=returns))
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    assert f"p.conf:6 [m] type: module type {name}: " in str(raised.value)
    assert message.replace("{info}", str(tmp_path / name / "info.py")) in str(raised.value)
    # A folder given as text is taken as a path.
    config, _ = _module_type(tmp_path, _MADE_ELSEWHERE.format(returns="{'counts': str(config_dir / options['root'])}"))
    (instance,) = load_pipeline(config).instances.values()
    assert instance.external_outputs == {"counts": tmp_path / "data"}


def test_an_error_in_a_helper_that_info_py_imports_is_placed_at_the_helpers_line(tmp_path: Path) -> None:
    helper = f"helper{next(_PACKAGES)}"
    (tmp_path / f"{helper}.py").write_text("import json\n\nTABLE = json.loads('{')\n")
    config, name = _module_type(tmp_path, f"import {helper}\n" + _info())
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    assert str(raised.value).endswith(
        f"module type '{name}' failed to import: JSONDecodeError: Expecting property name enclosed in double quotes:"
        f" line 1 column 2 (char 1) (at {tmp_path / helper}.py, line 3)"
    )


@pytest.mark.parametrize(("call", "said"), [("sys.exit(3)", "SystemExit: 3"), ("sys.exit()", "SystemExit")])
def test_an_info_py_that_calls_sys_exit_is_an_error_at_its_line(tmp_path: Path, call: str, said: str) -> None:
    # (it ended the command at once, without a word, and with its code; the other sections were never checked)
    config, name = _module_type(tmp_path, f"import sys\n{call}\n")
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    line = len(IMPORTS.splitlines()) + 2
    assert str(raised.value) == (
        f"{config}:6 [m] type: module type '{name}' failed to import: {said}"
        f" (at {tmp_path / name / 'info.py'}, line {line})"
    )


def test_a_package_without_an_info_py_is_told_so(tmp_path: Path) -> None:
    config, name = _module_type(tmp_path, _info())
    (tmp_path / name / "info.py").rename(tmp_path / name / "Info.py")
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    assert (
        str(raised.value)
        == f"{config}:6 [m] type: module type '{name}': its package ({tmp_path / name}) has no info.py"
    )


def test_a_folder_of_module_types_named_as_a_type_gets_a_did_you_mean(tmp_path: Path) -> None:
    config, _ = _module_type(tmp_path, _info())
    config.write_text(config.read_text().replace("type = declared", "type = pimlico_lite.modules.text\n#"))
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    assert "unknown module type 'pimlico_lite.modules.text' (did you mean 'pimlico_lite.modules.text." in str(
        raised.value
    )
