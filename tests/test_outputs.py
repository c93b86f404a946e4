"""read_output and output_dir: a module's outputs, read from a script as its last complete run wrote them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import MakeConfig
from subprocesses import start_cli, statuses, wait_for

from pimlico_lite import output_dir, read_output, run
from pimlico_lite.errors import UsageError
from pimlico_lite.pipeline import load_pipeline

CONFIG = """
[raw]
type = testmods.source
value = first

[ms]
type = testmods.seed.internal
"""


@pytest.fixture
def config(make_config: MakeConfig) -> Path:
    path = make_config(CONFIG)
    run(load_pipeline(path), run_all=True)
    return path


def test_an_output_is_read_by_its_datatype_from_the_folder_of_the_last_complete_run(config: Path) -> None:
    value = read_output(config, "raw")
    assert value == {"module": "raw", "inputs": {}, "options": {"value": "first", "size": 1}}
    folder = output_dir(config, "raw", "data")
    assert folder == output_dir(config, "raw.data") == output_dir(load_pipeline(config), "raw")
    assert folder.parent.name == "run-1"
    assert (folder / "data.pickle").is_file()


def test_stages_are_named_as_in_a_config_and_a_multistage_module_offers_its_own_outputs(config: Path) -> None:
    assert read_output(config, "ms:stage1", "corpus")["module"] == "ms:stage1"
    assert read_output(config, "ms:stage2")["module"] == "ms:stage2"
    offered = output_dir(config, "ms")  # the default output of the last stage
    assert offered == output_dir(config, "ms:stage3")
    assert read_output(config, "ms")["inputs"] == {"data": read_output(config, "ms:stage1", "corpus")}


def test_a_rerun_moves_the_output_and_an_outdated_module_is_read_only_when_asked(
    config: Path, make_config: MakeConfig
) -> None:
    before = output_dir(config, "raw")
    changed = make_config(CONFIG.replace("value = first", "value = second"))
    with pytest.raises(UsageError, match=r"raw is OUTDATED \(option value changed: 'first' -> 'second'\): run it"):
        read_output(changed, "raw")
    assert read_output(changed, "raw", allow_outdated=True)["options"]["value"] == "first"
    run(load_pipeline(changed), run_all=True)
    assert read_output(changed, "raw")["options"]["value"] == "second"
    assert output_dir(changed, "raw") != before
    assert not before.exists()


@pytest.mark.parametrize(
    ("name", "output", "message"),
    [
        ("rav", None, "unknown module 'rav' (did you mean 'raw'?); modules: 'raw', 'ms'"),
        ("ms:stag1", None, "unknown module 'ms:stag1' (did you mean 'ms:stage1'?)"),
        ("raw", "dat", "module 'raw' has no output 'dat' (did you mean 'data'?); outputs: 'data'"),
        ("ms", "corpus", "module 'ms' has no output 'corpus'"),
        ("raw.data", "data", "'raw.data' names an output already: leave out output='data'"),
        ("ms.stage1", None, "module 'ms' has no output 'stage1': its stage is 'ms:stage1'"),
    ],
)
def test_unknown_names_are_usage_errors_with_the_closest_name(
    config: Path, name: str, output: str | None, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        read_output(config, name, output)
    assert message in str(caught.value)


def test_a_module_that_never_completed_has_nothing_to_read(make_config: MakeConfig, tmp_path: Path) -> None:
    path = make_config(CONFIG)
    with pytest.raises(UsageError) as caught:
        output_dir(path, "raw", allow_outdated=True)
    store = load_pipeline(path).store_path
    assert str(caught.value) == f"raw is UNEXECUTED: run it first (there is no store at {store})"
    run(load_pipeline(path), ["raw"])
    with pytest.raises(UsageError) as caught:
        output_dir(path, "ms:stage1")
    assert str(caught.value) == "ms:stage1 is UNEXECUTED: run it first"
    # Data made outside the pipeline that is not there: nothing to run.
    missing = make_config(f"[d]\ntype = pimlico_lite.datatypes.JSONData\ndir = {tmp_path / 'none'}\n", name="d.conf")
    with pytest.raises(UsageError) as caught:
        read_output(missing, "d")
    assert str(caught.value) == (
        f"d is UNEXECUTED (no JSONData data at {tmp_path / 'none'}): its data is made outside the pipeline, and is"
        " not there"
    )


@pytest.mark.parametrize("completed_before", [False, True], ids=["first-run", "running-again"])
def test_reading_a_module_that_runs_says_to_wait_for_it(make_config: MakeConfig, completed_before: bool) -> None:
    config = make_config("[p]\ntype = testmods.progress\nsteps = 1\n")
    if completed_before:
        run(load_pipeline(config), run_all=True)
    config.write_text(config.read_text().replace("steps = 1", "steps = 300\nseconds = 0.1"))
    with start_cli(config, "run", "--all") as process:
        wait_for(lambda: statuses(config)["p"] == "RUNNING", "p running")
        advice = "wait for it to end, or pass allow_outdated=True" if completed_before else "wait for it to end"
        with pytest.raises(UsageError, match=f"^p is RUNNING: {advice}$"):
            read_output(config, "p")
        if completed_before:
            assert read_output(config, "p", allow_outdated=True) == 1
        process.terminate()
        process.communicate(timeout=60)


def test_an_output_that_its_run_did_not_leave_is_an_error_that_says_so_and_status_shows_it(
    config: Path, cli: Callable[..., Result]
) -> None:
    import shutil

    folder = output_dir(config, "raw")
    shutil.rmtree(folder)  # (or renamed in the module type's info.py since the run: then the run never wrote it)
    with pytest.raises(UsageError) as caught:
        read_output(config, "raw", allow_outdated=True)
    assert str(caught.value) == f"raw has no output 'data' at {folder}: run it again"
    shown = cli(config, "status", "raw")
    assert f"  data (Datatype): not there ({folder}): run it again" in shown.output
