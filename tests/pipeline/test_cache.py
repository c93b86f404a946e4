"""A loaded pipeline kept on disk: used when nothing loading read has changed, and never otherwise."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import pimlico_lite
from pimlico_lite.errors import ConfigError
from pimlico_lite.pipeline import Pipeline, load_cached_pipeline, loader
from pimlico_lite.pipeline import cache as cache_module
from pimlico_lite.pipeline.cache import CACHE_ENVIRONMENT_VARIABLE, cache_file
from tests.conftest import MakeConfig
from tests.subprocesses import run_cli

BODY = """
[first]
type = testmods.source
size = 10

[second]
type = testmods.sink
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, once the code imported so far is old enough to be kept with a copy.

    A file or folder changed less than two seconds before a process imported pimlico_lite or loaded a config leaves
    nothing kept (cache._RACY_NANOSECONDS): a module type that an earlier test wrote and imported in this process, a
    ``__pycache__`` folder made when pytest imported pimlico_lite in a fresh clone. So the fixture imports the test
    module types these tests use (whose first import may make ``__pycache__`` folders) and waits until all of that is
    older; in this process, only what changes after a load starts counts.
    """
    for name in ("testmods.source.info", "testmods.sink.info", "testmods.seed.internal.info"):
        importlib.import_module(name)
    _wait_till_old()
    folder = tmp_path / "cache"
    folder.mkdir()  # (the working folder of the new processes is on the import path of `python -c`)
    monkeypatch.setenv(CACHE_ENVIRONMENT_VARIABLE, str(folder))
    monkeypatch.setattr(cache_module, "_RACY_NANOSECONDS", 0)
    monkeypatch.setattr(pimlico_lite, "_IMPORTED_NS", time.time_ns() + 3600 * 10**9)
    return folder


def _wait_till_old(*folders: Path) -> None:
    """Wait until the code imported in this process and everything in ``folders`` is old enough to be kept: as if
    the module types had been written before the command ran (a file's times cannot be put back: its change time is
    the system's)."""
    files, others = cache_module._code_paths()
    paths = [*files, *others, *(str(path) for folder in folders for path in [folder, *folder.rglob("*")])]
    signatures = cache_module._signatures(paths).values()
    newest = max((max(signature[2:]) for signature in signatures if signature), default=0)
    time.sleep(max(0.0, (newest + 2 * 10**9 - time.time_ns()) / 1e9 + 0.05))


# Loads the config named on its command line, prints whether it had to (the loader imported) and what it found.
PROGRAM = """
import sys
from pimlico_lite.pipeline import load_cached_pipeline
pipeline = load_cached_pipeline(sys.argv[1])
instance = pipeline.instances["m"]
loaded = "loaded" if "pimlico_lite.pipeline.loader" in sys.modules else "kept"
print(loaded, [name for name, _ in instance.info.module_outputs], instance.options)
"""


# Python writes no bytecode in the new processes: a first import that made a __pycache__ folder in a module type's
# package would change the folder while loading, and leave nothing kept until the next command (a test of its own).
NO_BYTECODE = {"PYTHONDONTWRITEBYTECODE": "1"}


def _in_a_new_process(config: Path, bytecode: bool = False) -> str:
    """What PROGRAM prints for ``config``, run in ``config``'s folder (writing bytecode, if ``bytecode``)."""
    env = {**os.environ, **NO_BYTECODE}
    if bytecode:
        del env["PYTHONDONTWRITEBYTECODE"]
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, config], capture_output=True, text=True, check=False, cwd=config.parent, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _module_type(package: Path, info: str) -> None:
    """Write a module type package whose ``info.py`` is ``info`` (after the imports it needs)."""
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    imports = "from pimlico_lite import BaseModuleInfo\nfrom pimlico_lite.datatypes import JSONData\n"
    (package / "info.py").write_text(imports + info)


def _load_without_loading(config: Path, monkeypatch: pytest.MonkeyPatch) -> Pipeline:
    """The pipeline of ``config`` from its kept copy: fails if the config would have to be loaded."""

    def refuse(*_: object) -> Pipeline:
        message = "loaded again"
        raise AssertionError(message)

    with monkeypatch.context() as patch:
        patch.setattr(loader, "load_pipeline", refuse)
        return load_cached_pipeline(config)


def _loaded_again(config: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether ``config`` has to be loaded again (its kept copy, if any, will not do); keeps a new copy if so."""
    calls = []
    load = loader.load_pipeline

    def counted(*args: object) -> Pipeline:
        calls.append(args)
        return load(*args)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(loader, "load_pipeline", counted)
        load_cached_pipeline(config)
    return bool(calls)


def test_an_unchanged_config_is_not_loaded_again_and_its_copy_is_the_same_pipeline(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_config(BODY)
    first = load_cached_pipeline(config)
    kept = cache_file(config)
    assert kept is not None
    assert kept.parent.parent == cache
    assert kept.is_file()
    second = _load_without_loading(config, monkeypatch)
    assert second is not first
    assert list(second.instances) == ["first", "second"]
    assert second.store_path == first.store_path
    assert second.instances["first"].options == first.instances["first"].options == {"value": "x", "size": 10}
    assert second.instances["second"].inputs == first.instances["second"].inputs
    assert second.instances["first"].info is first.instances["first"].info
    assert [i.fingerprint for i in second.instances.values()] == [i.fingerprint for i in first.instances.values()]
    assert second.instances["first"].location == first.instances["first"].location


def test_a_config_changed_to_the_same_length_at_once_is_loaded_again(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_config(BODY)
    load_cached_pipeline(config)
    times = os.stat(config)
    config.write_text(config.read_text().replace("size = 10", "size = 12"))
    os.utime(config, ns=(times.st_atime_ns, times.st_mtime_ns))  # as an edit within one tick of the clock leaves it
    assert load_cached_pipeline(config).instances["first"].options["size"] == 12
    assert not _loaded_again(config, monkeypatch)


def test_a_change_to_an_included_file_is_loaded(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "sizes.conf").write_text("[vars]\nsize = 10\n")
    config = make_config("%% include sizes.conf\n" + BODY.replace("size = 10", "size = %(size)s"))
    assert load_cached_pipeline(config).instances["first"].options["size"] == 10
    assert not _loaded_again(config, monkeypatch)
    (tmp_path / "sizes.conf").write_text("[vars]\nsize = 20\n")
    assert load_cached_pipeline(config).instances["first"].options["size"] == 20


def test_an_include_that_links_elsewhere_now_is_followed(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for version, size in (("one", 1), ("two", 2)):
        (tmp_path / version).mkdir()
        (tmp_path / version / "sizes.conf").write_text(f"[vars]\nsize = {size}\n")
    (tmp_path / "current").symlink_to("one")
    config = make_config("%% include current/sizes.conf\n" + BODY.replace("size = 10", "size = %(size)s"))
    assert load_cached_pipeline(config).instances["first"].options["size"] == 1
    (tmp_path / "current").unlink()
    (tmp_path / "current").symlink_to("two")
    assert load_cached_pipeline(config).instances["first"].options["size"] == 2


def test_a_python_path_folder_that_links_elsewhere_now_is_followed(cache: Path, tmp_path: Path) -> None:
    for version, output in (("one", "numbers"), ("two", "values")):
        body = f"\nclass ModuleInfo(BaseModuleInfo):\n    module_outputs = [({output!r}, JSONData())]\n"
        _module_type(tmp_path / version / "linked", body)
    (tmp_path / "types").symlink_to("one")
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path / 'types'}\n\n[m]\ntype = linked\n")
    _wait_till_old(tmp_path)
    assert _in_a_new_process(config) == "loaded ['numbers'] {}"
    assert _in_a_new_process(config) == "kept ['numbers'] {}"
    (tmp_path / "types").unlink()
    (tmp_path / "types").symlink_to("two")
    assert _in_a_new_process(config) == "loaded ['values'] {}"


@pytest.mark.parametrize("local_there", [True, False], ids=["local folder there", "local folder made later"])
def test_a_module_type_that_a_new_file_on_the_import_path_now_comes_before_is_loaded_again(
    cache: Path, tmp_path: Path, local_there: bool
) -> None:
    # python_path = local:base searches local first: a package added there is what an import now finds. (The code
    # is in a folder of its own: the config's folder, the working folder, is on the import path of `python -c`.)
    options = "\nclass ModuleInfo(BaseModuleInfo):\n    module_options = {{'count': {{'type': int, 'default': {}}}}}\n"
    code = tmp_path / "code"
    _module_type(code / "base" / "shadowed", options.format(3))
    if local_there:
        (code / "local").mkdir()
    config = tmp_path / "p.conf"
    config.write_text("[pipeline]\nname = p\npython_path = code/local:code/base\n\n[m]\ntype = shadowed\n")
    _wait_till_old(tmp_path)
    assert _in_a_new_process(config) == "loaded [] {'count': 3}"
    assert _in_a_new_process(config) == "kept [] {'count': 3}"
    _module_type(code / "local" / "shadowed", options.format(9))
    assert _in_a_new_process(config) == "loaded [] {'count': 9}"


@pytest.mark.parametrize("old_times", [False, True], ids=["edited", "copied with its old times (cp -p)"])
def test_a_file_changed_while_the_config_loads_leaves_nothing_kept(
    cache: Path, tmp_path: Path, old_times: bool
) -> None:
    # As if a helper module had been edited while a slow info.py was imported: read before the edit, signed after.
    info = (
        "import os\nfrom raced_constants import COUNT\n\nclass ModuleInfo(BaseModuleInfo):\n"
        "    module_options = {'count': {'type': int, 'default': COUNT}}\n\n"
        "helper = __file__.replace('raced/info.py', 'raced_constants.py')\n"
        "times = os.stat(helper)\n"
        "with open(helper, 'w') as edited:\n"
        "    edited.write('COUNT = 5\\n')\n"
        f"if {old_times}:\n"
        "    os.utime(helper, ns=(times.st_atime_ns, times.st_mtime_ns))\n"
    )
    _module_type(tmp_path / "raced", info)
    (tmp_path / "raced_constants.py").write_text("COUNT = 3\n")
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[m]\ntype = raced\n")
    _wait_till_old(tmp_path)
    assert _in_a_new_process(config) == "loaded [] {'count': 3}"
    assert not any(cache.rglob("*.pickle"))
    assert _in_a_new_process(config) == "loaded [] {'count': 5}"


def test_another_working_folder_or_store_loads_again(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = make_config(BODY)
    monkeypatch.chdir(tmp_path)
    assert str(load_cached_pipeline(config).instances["first"].location) == "pipeline.conf:5"
    monkeypatch.chdir(tmp_path.parent)
    assert str(load_cached_pipeline(config).instances["first"].location) == f"{tmp_path.name}/pipeline.conf:5"
    monkeypatch.setenv("PIMLICO_LITE_STORE", str(tmp_path / "elsewhere"))
    assert load_cached_pipeline(config).store_path == tmp_path / "elsewhere" / "test"
    assert not _loaded_again(config, monkeypatch)


@pytest.mark.parametrize(
    "change",
    [
        lambda patch, tmp_path: patch.setenv("HOME", str(tmp_path / "another-home")),
        lambda patch, tmp_path: patch.syspath_prepend(str(tmp_path / "more-code")),
        lambda patch, _: patch.setattr(sys, "version", sys.version + " (another build)"),
        lambda patch, _: patch.setattr(sys, "executable", sys.executable + "-other"),
    ],
    ids=["home folder", "import path", "python version", "python executable"],
)
def test_a_change_of_what_loading_depends_on_outside_the_files_loads_again(
    make_config: MakeConfig,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    change: Callable[[pytest.MonkeyPatch, Path], None],
) -> None:
    config = make_config(BODY)
    load_cached_pipeline(config)
    assert not _loaded_again(config, monkeypatch)
    with monkeypatch.context() as patch:
        change(patch, tmp_path)
        assert _loaded_again(config, monkeypatch)


def test_every_command_works_from_the_kept_copy_of_a_multistage_pipeline(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Result]
) -> None:
    config = make_config("[raw]\ntype = testmods.source\nvalue = text\n\n[ms]\ntype = testmods.seed.internal\n")
    loaded = load_cached_pipeline(config)
    kept = _load_without_loading(config, monkeypatch)
    assert list(kept.instances) == list(loaded.instances) == ["raw", "ms:stage1", "ms:stage2", "ms:stage3"]
    assert kept.groups["ms"].stages == loaded.groups["ms"].stages
    assert kept.instances["ms:stage3"].inputs == loaded.instances["ms:stage3"].inputs
    with monkeypatch.context() as patch:
        patch.setattr(loader, "load_pipeline", None)  # (any command that loaded would fail)
        assert cli(config, "run", "ms:all").exit_code == 1  # raw is not complete
        assert cli(config, "run", "--all").exit_code == 0
        assert "4 COMPLETE" in cli(config, "status").stdout
        assert cli(config, "log", "ms:stage2").exit_code == 0
        assert cli(config, "reset", "-y", "ms").exit_code == 0
        assert "3 UNEXECUTED" in cli(config, "status").stdout


def test_a_pipeline_that_cannot_be_pickled_loads_every_time_and_keeps_nothing(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The datatype form makes a module type when the config loads: it has no name to import it by.
    config = make_config("[data]\ntype = pimlico_lite.datatypes.JSONData\ndir = data\n")
    assert load_cached_pipeline(config).instances["data"].external_outputs == {"data": config.parent / "data"}
    assert not any(cache.rglob("*.pickle"))
    assert _loaded_again(config, monkeypatch)


def test_a_pipeline_of_a_module_type_imported_from_a_zip_file_is_not_kept(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Its files have no time of their own to compare: a changed zip file would go unseen.
    archive = tmp_path / "types.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped_type/__init__.py", "")
        zipped.writestr(
            "zipped_type/info.py",
            "from pimlico_lite import BaseModuleInfo\n\nclass ModuleInfo(BaseModuleInfo):\n    pass\n",
        )
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {archive}\n\n[m]\ntype = zipped_type\n")
    monkeypatch.setattr(sys, "path", list(sys.path))
    try:
        assert list(load_cached_pipeline(config).instances) == ["m"]
        assert not any(cache.rglob("*.pickle"))
        assert _loaded_again(config, monkeypatch)
    finally:  # (the tests after this one keep their pipelines, in this process)
        for name in [name for name in sys.modules if name.partition(".")[0] == "zipped_type"]:
            del sys.modules[name]


def test_a_damaged_copy_or_one_of_another_user_is_not_used(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_config(BODY)
    load_cached_pipeline(config)
    kept = cache_file(config)
    assert kept is not None
    kept.write_bytes(kept.read_bytes()[:-100])
    assert _loaded_again(config, monkeypatch)
    assert not _loaded_again(config, monkeypatch)  # made again whole
    monkeypatch.setattr(os, "getuid", lambda: os.stat(kept).st_uid + 1)
    assert _loaded_again(config, monkeypatch)


def test_nothing_is_kept_when_the_cache_is_off_or_the_config_has_problems(
    make_config: MakeConfig, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = make_config(BODY.replace("size = 10", "size = ten"), name="broken.conf")
    for _ in range(2):
        with pytest.raises(ConfigError, match="size"):
            load_cached_pipeline(broken)
    assert not any(cache.iterdir())
    monkeypatch.setenv(CACHE_ENVIRONMENT_VARIABLE, "off")
    config = make_config(BODY)
    assert cache_file(config) is None
    assert list(load_cached_pipeline(config).instances) == ["first", "second"]
    assert not any(cache.iterdir())


def test_the_cache_is_under_xdg_cache_home_or_the_home_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "p.conf"
    monkeypatch.delenv(CACHE_ENVIRONMENT_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    kept = cache_file(config)
    assert kept is not None
    assert kept.parent == tmp_path / "xdg" / "pimlico-lite" / "pipelines"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the specification: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    kept = cache_file(config)
    assert kept is not None
    assert kept.parent == tmp_path / "home" / ".cache" / "pimlico-lite" / "pipelines"
    monkeypatch.setenv(CACHE_ENVIRONMENT_VARIABLE, "~/kept")  # (quoted, the shell leaves ~ as it is)
    kept = cache_file(config)
    assert kept is not None
    assert kept.parent == tmp_path / "home" / "kept" / "pipelines"


def test_a_relative_cache_folder_is_taken_from_the_working_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(CACHE_ENVIRONMENT_VARIABLE, "kept")
    kept = cache_file(tmp_path / "p.conf")
    assert kept is not None
    assert kept.parent == tmp_path / "kept" / "pipelines"


def test_copies_unused_for_a_month_are_deleted_when_another_is_kept_and_nothing_else(
    make_config: MakeConfig, cache: Path
) -> None:
    folder = cache / "pipelines"
    folder.mkdir()
    month_old, week_old = folder / f"{'a' * 24}.pickle", folder / f"{'c' * 24}.pickle"
    cut_short = folder / f".{'b' * 24}.pickle.123-456"  # (a write that was cut short)
    others = [folder / "notes.txt", folder / "pipeline.conf", folder / f"{'d' * 24}.pickle.txt"]
    for path, days in [(month_old, 31), (cut_short, 31), (week_old, 7)] + [(other, 90) for other in others]:
        path.write_bytes(b"")
        then = time.time_ns() - days * 24 * 3600 * 10**9
        os.utime(path, ns=(then, then))
    config = make_config(BODY)
    load_cached_pipeline(config)
    assert set(folder.iterdir()) == {week_old, cache_file(config), *others}


def test_status_from_a_kept_copy_imports_neither_the_config_reader_nor_the_loader(
    make_config: MakeConfig, cache: Path
) -> None:
    config = make_config(BODY)
    _wait_till_old(config.parent)  # (the working folder, on the import path of `python -m`)

    def imported() -> str:
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "pimlico_lite", str(config), "status"],
            capture_output=True,
            text=True,
            check=False,
            cwd=config.parent,
            env={**os.environ, **NO_BYTECODE},
        )
        assert result.returncode == 0, result.stderr
        assert "2 UNEXECUTED" in result.stdout
        return result.stderr

    assert "pimlico_lite.pipeline.loader" in imported()
    kept = imported()
    assert "pimlico_lite.pipeline.cache" in kept
    assert "pimlico_lite.pipeline.loader" not in kept
    assert "pimlico_lite.config.reader" not in kept


def test_a_changed_default_in_a_module_that_info_py_imports_outdates_the_module_in_the_next_command(
    cache: Path, tmp_path: Path
) -> None:
    package = tmp_path / "mytypes" / "counter"
    info = (
        "from mytypes.defaults import COUNT\n\nclass ModuleInfo(BaseModuleInfo):\n"
        "    module_outputs = [('numbers', JSONData())]\n"
        "    module_options = {'count': {'type': int, 'default': COUNT}}\n"
    )
    _module_type(package, info)
    (package.parent / "__init__.py").write_text("")
    (package.parent / "defaults.py").write_text("COUNT = 3\n")
    (package / "execute.py").write_text(
        "from pimlico_lite import BaseModuleExecutor\n\nclass ModuleExecutor(BaseModuleExecutor):\n"
        "    def execute(self):\n        self.write_output('numbers', list(range(self.options['count'])))\n"
    )
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[m]\ntype = mytypes.counter\n")
    assert run_cli(config, "run", "m", env=NO_BYTECODE).returncode == 0
    _wait_till_old(tmp_path)  # (the run made the store's folder in the python_path folder: its time changed)
    assert "1 COMPLETE" in run_cli(config, "status", env=NO_BYTECODE).stdout  # loads, and keeps what it loaded
    assert "1 COMPLETE" in run_cli(config, "status", env=NO_BYTECODE).stdout  # from the copy
    assert any(cache.rglob("*.pickle"))
    times = os.stat(package.parent / "defaults.py")
    (package.parent / "defaults.py").write_text("COUNT = 4\n")
    os.utime(package.parent / "defaults.py", ns=(times.st_atime_ns, times.st_mtime_ns + 1))  # 1 ns on, same size
    shown = run_cli(config, "status", "m", env=NO_BYTECODE)  # (bytecode is judged by size and time in seconds)
    assert shown.returncode == 0, shown.stderr
    assert "option count changed: 3 -> 4" in shown.stdout


def test_the_folders_of_external_data_are_found_again_by_each_command(cache: Path, tmp_path: Path) -> None:
    # A module type that finds its data by an environment variable: a kept copy of the folder would run `use` on the
    # data of the command before.
    _module_type(
        tmp_path / "mytypes" / "ext",
        "import os\nfrom pathlib import Path\n\nclass ModuleInfo(BaseModuleInfo):\n    module_executable = False\n"
        "    module_outputs = [('data', JSONData())]\n\n    @classmethod\n"
        "    def external_output_dirs(cls, options, config_dir):\n        return {'data': Path(os.environ['ROOT'])}\n",
    )
    (tmp_path / "mytypes" / "__init__.py").write_text("")
    use = tmp_path / "mytypes" / "use"
    _module_type(use, "class ModuleInfo(BaseModuleInfo):\n    module_inputs = [('data', JSONData())]\n")
    (use / "execute.py").write_text(
        "from pimlico_lite import BaseModuleExecutor\n\nclass ModuleExecutor(BaseModuleExecutor):\n"
        "    def execute(self):\n        self.log.info('read %s', self.read_input('data'))\n"
    )
    for name, numbers in (("a", [1, 2]), ("b", [5, 6, 7])):
        (tmp_path / name).mkdir()
        (tmp_path / name / "data.json").write_text(str(numbers))
    config = tmp_path / "p.conf"
    config.write_text(
        f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[ext]\ntype = mytypes.ext\n\n[use]\ntype = mytypes.use\n"
    )
    first = {**NO_BYTECODE, "ROOT": str(tmp_path / "a")}
    assert run_cli(config, "run", "--all", env=first).returncode == 0
    _wait_till_old(tmp_path)
    for _ in range(2):  # loads and keeps; then from the copy
        assert "2 COMPLETE" in run_cli(config, "status", env=first).stdout
    assert any(cache.rglob("*.pickle"))
    second = {**first, "ROOT": str(tmp_path / "b")}
    assert "upstream module ext has new data" in run_cli(config, "status", "use", env=second).stdout
    assert "use | read [5, 6, 7]" in run_cli(config, "run", "--all", env=second).stdout


def test_a_first_command_that_writes_bytecode_for_a_module_type_keeps_nothing_and_the_next_one_keeps(
    cache: Path, tmp_path: Path
) -> None:
    body = "\nclass ModuleInfo(BaseModuleInfo):\n    module_options = {'count': {'type': int, 'default': 3}}\n"
    _module_type(tmp_path / "fresh_type", body)
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[m]\ntype = fresh_type\n")
    _wait_till_old(tmp_path)
    # Its __pycache__ folder, made while the config loads, changes the package's folder: nothing is kept.
    assert _in_a_new_process(config, bytecode=True) == "loaded [] {'count': 3}"
    assert (tmp_path / "fresh_type" / "__pycache__").is_dir()
    assert not any(cache.rglob("*.pickle"))
    _wait_till_old(tmp_path)
    assert _in_a_new_process(config, bytecode=True) == "loaded [] {'count': 3}"
    assert _in_a_new_process(config, bytecode=True) == "kept [] {'count': 3}"


def test_a_config_in_a_folder_whose_name_is_not_utf8_is_kept(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / os.fsdecode(b"proj\xff")
    folder.mkdir()
    config = folder / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {Path(__file__).parents[1]}\n" + BODY)
    assert list(load_cached_pipeline(config).instances) == ["first", "second"]
    assert list(_load_without_loading(config, monkeypatch).instances) == ["first", "second"]


def test_deleting_bytecode_that_python_ran_stale_loads_again(cache: Path, tmp_path: Path) -> None:
    # Python judges bytecode by its source's size and time in seconds: an edit that keeps both runs the old bytecode,
    # with or without a kept copy. Deleting the bytecode mends it, and must mend the kept copy too.
    _module_type(
        tmp_path / "stale",
        "from stale_defaults import COUNT\n\nclass ModuleInfo(BaseModuleInfo):\n"
        "    module_options = {'count': {'type': int, 'default': COUNT}}\n",
    )
    defaults = tmp_path / "stale_defaults.py"
    defaults.write_text("COUNT = 3\n")
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[m]\ntype = stale\n")
    assert _in_a_new_process(config, bytecode=True) == "loaded [] {'count': 3}"  # (bytecode written)
    times = os.stat(defaults)
    defaults.write_text("COUNT = 4\n")
    os.utime(defaults, ns=(times.st_atime_ns, times.st_mtime_ns))
    _wait_till_old(tmp_path)
    assert _in_a_new_process(config, bytecode=True) == "loaded [] {'count': 3}"  # Python's own stale bytecode
    assert _in_a_new_process(config, bytecode=True) == "kept [] {'count': 3}"
    for bytecode in tmp_path.rglob("*.pyc"):
        bytecode.unlink()
    assert _in_a_new_process(config, bytecode=True) == "loaded [] {'count': 4}"


def test_a_module_type_added_to_a_namespace_package_earlier_on_the_import_path_is_seen(
    cache: Path, tmp_path: Path
) -> None:
    options = "\nclass ModuleInfo(BaseModuleInfo):\n    module_options = {{'count': {{'type': int, 'default': {}}}}}\n"
    code = tmp_path / "code"
    _module_type(code / "base" / "spread" / "foo", options.format(3))
    _module_type(code / "local" / "spread" / "bar", options.format(0))  # (spread/ has no __init__.py: a namespace)
    config = tmp_path / "p.conf"
    config.write_text("[pipeline]\nname = p\npython_path = code/local:code/base\n\n[m]\ntype = spread.foo\n")
    _wait_till_old(tmp_path)
    assert _in_a_new_process(config) == "loaded [] {'count': 3}"
    assert _in_a_new_process(config) == "kept [] {'count': 3}"
    _module_type(code / "local" / "spread" / "foo", options.format(9))
    assert _in_a_new_process(config) == "loaded [] {'count': 9}"


def test_a_process_that_imported_code_before_its_file_changed_keeps_nothing(cache: Path, tmp_path: Path) -> None:
    # A notebook, say: it imported pimlico_lite, and the module type changed since; what its loads make is not kept.
    program = (
        "import pathlib, sys, time\nimport pimlico_lite\nfrom pimlico_lite.pipeline import load_cached_pipeline\n"
        "folder = pathlib.Path(sys.argv[1])\n"
        "(folder / 'later_defaults.py').write_text('COUNT = 3\\n')\n"
        "time.sleep(2.1)\n"
        "print(load_cached_pipeline(folder / 'p.conf').instances['m'].options)\n"
    )
    _module_type(
        tmp_path / "later",
        "from later_defaults import COUNT\n\nclass ModuleInfo(BaseModuleInfo):\n"
        "    module_options = {'count': {'type': int, 'default': COUNT}}\n",
    )
    (tmp_path / "p.conf").write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n\n[m]\ntype = later\n")
    _wait_till_old(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", program, tmp_path],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **NO_BYTECODE},
    )
    assert (result.returncode, result.stdout) == (0, "{'count': 3}\n"), result.stderr
    assert not any(cache.rglob("*.pickle"))
