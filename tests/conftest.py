"""Shared fixtures: a factory that writes pipeline configs under tmp_path, and a click runner."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pimlico_lite.cli import main
from pimlico_lite.pipeline import STORE_ENVIRONMENT_VARIABLE, Pipeline, load_pipeline
from pimlico_lite.pipeline.cache import CACHE_ENVIRONMENT_VARIABLE

TESTS = Path(__file__).parent
# The test module types (tests/testmods) are imported by name, as a pipeline's python_path would allow.
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
HEADER = f"""\
[pipeline]
name = test
python_path = {TESTS}
"""


def write_module_type(root: Path, dotted: str, info: str, execute: str | None = None) -> Path:
    """Write module type ``dotted`` (``package.name``) as a package below ``root``, a ``python_path`` folder: its
    ``info.py`` and, if given, its ``execute.py``. Return the type's folder. (Give each test's package a name of its
    own: a module imported by one test stays imported for the next.)"""
    package, name = dotted.split(".")
    folder = root / package / name
    folder.mkdir(parents=True, exist_ok=True)
    (root / package / "__init__.py").write_text("")
    (folder / "__init__.py").write_text("")
    (folder / "info.py").write_text(info)
    if execute is not None:
        (folder / "execute.py").write_text(execute)
    return folder


MakeConfig = Callable[..., Path]


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Loaded pipelines are kept in a folder of the test session's, not in the developer's cache (the commands that
    tests run in subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENVIRONMENT_VARIABLE, str(tmp_path_factory.mktemp("pipeline-cache")))
        yield


@pytest.fixture(autouse=True)
def _isolated_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may write to a store named in the developer's environment."""
    monkeypatch.delenv(STORE_ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.delenv("PIMLICO_TEST_EXECUTIONS", raising=False)
    monkeypatch.delenv("PIMLICO_TEST_SLEEP", raising=False)


@pytest.fixture
def make_config(tmp_path: Path) -> MakeConfig:
    """Write a dedented config (after a [pipeline] header putting tests/ on the path) and return its path."""

    def make(body: str, name: str = "pipeline.conf", header: bool = True) -> Path:
        path = tmp_path / name
        text = textwrap.dedent(body).lstrip("\n")
        path.write_text((HEADER + "\n" if header else "") + text)
        return path

    return make


@pytest.fixture
def make_pipeline(make_config: MakeConfig) -> Callable[[str], Pipeline]:
    """Write a config and load it."""

    def make(body: str) -> Pipeline:
        return load_pipeline(make_config(body))

    return make


@pytest.fixture
def executions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Count executions: test module types append their name to a file; call the fixture to read it."""
    path = tmp_path / "executions.txt"
    monkeypatch.setenv("PIMLICO_TEST_EXECUTIONS", str(path))

    def read() -> list[str]:
        return path.read_text().split() if path.exists() else []

    return read


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Invoke the CLI in-process: ``cli(config, "run", "x")``."""
    runner = CliRunner()

    def invoke(*args: object, input: str | None = None) -> Result:
        return runner.invoke(main, [str(arg) for arg in args], input=input, catch_exceptions=False)

    return invoke
