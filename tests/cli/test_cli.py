"""The command line, in-process through click's CliRunner: output, exit codes, and error messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import TESTS, MakeConfig, write_module_type

from pimlico_lite import output_dir
from pimlico_lite.pipeline import load_pipeline
from pimlico_lite.store import Store

Cli = Callable[..., Result]
Executions = Callable[[], list[str]]

PIPELINE = """
[raw]
type = testmods.source
value = text

# The stages of the design document's first example
[ms]
type = testmods.seed.internal
stage1_threshold = 4

[after]
type = testmods.step
"""


@pytest.fixture
def config(make_config: MakeConfig) -> Path:
    return make_config(PIPELINE)


def test_status_lists_every_instance_with_its_state(cli: Cli, config: Path) -> None:
    result = cli(config, "status")
    assert result.exit_code == 0
    for name in ("raw", "ms:stage1", "ms:stage2", "ms:stage3", "after"):
        assert name in result.output
    assert "5 UNEXECUTED" in result.output


def test_status_json_for_scripts(cli: Cli, config: Path) -> None:
    cli(config, "run", "raw")
    document = json.loads(cli(config, "status", "--json").output)
    assert document["pipeline"] == "test"
    modules = {m["name"]: m for m in document["modules"]}
    assert list(modules) == ["raw", "ms:stage1", "ms:stage2", "ms:stage3", "after"]
    assert modules["raw"]["status"] == "COMPLETE"
    assert modules["ms:stage1"] == {
        "name": "ms:stage1",
        "status": "UNEXECUTED",
        "type": "testmods.seed.internal:stage1",
        "multistage_module": "ms",
        "stage": "stage1",
        "inputs": {"raw_data": ["raw.data"]},
        "inputs_ready": True,
        "reasons": [],
        "last_run": None,
        "outputs": None,
        "code_changed": False,
    }
    assert modules["ms:stage2"]["inputs_ready"] is False
    assert modules["raw"]["outputs"] == {"data": str(output_dir(config, "raw"))}
    last = modules["raw"]["last_run"]
    (record,) = Store(load_pipeline(config).store_path).state.runs("raw")
    assert last == {
        "id": record.id,
        "state": "COMPLETE",
        "started": record.started,
        "seconds": record.duration,
        "peak_memory_kb": record.peak_memory_kb,
        "error": None,
    }
    assert last["seconds"] >= 0
    assert last["peak_memory_kb"] > 0


def test_status_json_gives_a_failed_runs_error_and_a_code_change(
    cli: Cli, make_config: MakeConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pimlico_lite.execution import status

    config = make_config("[a]\ntype = testmods.source\n[b]\ntype = testmods.step\n")
    monkeypatch.setenv("PIMLICO_TEST_FAIL", "b")
    assert cli(config, "run", "--all").exit_code == 1
    modules = {m["name"]: m for m in json.loads(cli(config, "status", "--json").stdout)["modules"]}
    assert modules["b"]["status"] == "FAILED"
    assert modules["b"]["last_run"]["error"] == "ValueError: failing on purpose"
    assert (modules["a"]["last_run"]["error"], modules["a"]["code_changed"]) == (None, False)
    monkeypatch.setattr(status, "_CODE_ENDINGS", {})
    monkeypatch.setattr(status, "code_signature", lambda info: "0123456789ab")  # (its files edited since)
    modules = {m["name"]: m for m in json.loads(cli(config, "status", "--json").stdout)["modules"]}
    assert (modules["a"]["status"], modules["a"]["code_changed"]) == ("COMPLETE", True)


def test_status_of_one_module_shows_description_inputs_options_outputs_and_last_run(cli: Cli, config: Path) -> None:
    cli(config, "run", "raw", "ms:stage1")
    output = cli(config, "status", "ms:stage1").output
    assert "ms:stage1  COMPLETE" in output
    assert "The stages of the design document's first example" in output
    assert "raw_data <- raw.data (COMPLETE)" in output
    assert "threshold = 4" in output
    assert "corpus (Datatype) at " in output
    assert "run-2" in output
    assert "last run: #2 COMPLETE" in output
    assert "peak memory:" in output
    assert "from the module's start to its end" in output


def test_status_of_an_outdated_module_says_which_change(cli: Cli, config: Path) -> None:
    cli(config, "run", "--all")
    config.write_text(config.read_text().replace("value = text", "value = other"))
    output = cli(config, "status", "raw").output
    assert "raw  OUTDATED" in output
    assert "why: option value changed: 'text' -> 'other'" in output


def test_status_of_a_multistage_module_lists_its_stages(cli: Cli, config: Path) -> None:
    output = cli(config, "status", "ms").output
    assert "multistage module (testmods.seed.internal)" in output
    assert "ms:stage3  UNEXECUTED" in output
    assert "stage1_threshold = 4" in output
    assert "model <- ms:stage3.model" in output


def test_the_options_of_a_multistage_module_are_listed_stage_by_stage(cli: Cli, make_config: MakeConfig) -> None:
    config = make_config(
        "[a]\ntype = testmods.source\n[ms]\ntype = testmods.seed.options\ninput_first_data = a\n"
        "input_second_data = a\nstage3_seed = 7\nthreshold = 2\n"
    )
    output = cli(config, "status", "ms").output
    options = output[output.index("options:") : output.index("outputs:")].splitlines()
    assert options == ["options:", "  threshold = 2", "  stage2_seed = 0", "  stage3_seed = 7"]


def test_run_list_stages_runs_nothing(cli: Cli, config: Path, executions: Executions) -> None:
    result = cli(config, "run", "ms:?")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "stages of ms:",
        "  ms:stage1  UNEXECUTED",
        "  ms:stage2  UNEXECUTED",
        "  ms:stage3  UNEXECUTED",
    ]
    assert executions() == []
    assert cli(config, "run", "ms:? ").output == result.output  # (a name is read without spaces at its ends)


@pytest.mark.parametrize("command", ["status", "reset", "log"])
def test_listing_stages_is_for_run_and_other_commands_say_so(cli: Cli, config: Path, command: str) -> None:
    result = cli(config, command, "ms:?")
    assert result.exit_code == 2
    said = "Error: 'ms:?': only run lists stages ('run ms:?'); here give a stage, or ms:all: 'stage1', 'stage2',"
    assert said in result.output


def test_run_prints_progress_and_exits_zero(cli: Cli, config: Path) -> None:
    result = cli(config, "run", "raw", "ms")
    assert result.exit_code == 0
    assert "✓ raw COMPLETE" in result.output
    assert "✓ ms:stage1 COMPLETE" in result.output
    assert "ms:stage2" not in result.output


def test_run_of_complete_stages_says_so_and_exits_zero(cli: Cli, config: Path) -> None:
    cli(config, "run", "--all")
    result = cli(config, "run", "ms")
    assert result.exit_code == 0
    assert "every stage of ms is complete: nothing to run" in result.output
    assert cli(config, "run", "--all").output.strip() == "every module is complete: nothing to run"


def test_a_forced_run_of_a_complete_multistage_module_says_how_to_run_a_stage_again(
    cli: Cli, config: Path, executions: Executions
) -> None:
    cli(config, "run", "--all")
    before = len(executions())
    result = cli(config, "run", "ms", "-f")
    assert result.exit_code == 0
    assert result.output == (
        "every stage of ms is complete: nothing to run (-f runs again only the stages named: ms:STAGE, or ms:all)\n"
    )
    assert len(executions()) == before


def test_the_detail_of_a_stage_names_the_module_type_it_runs(cli: Cli, config: Path) -> None:
    output = cli(config, "status", "ms:stage2").output
    assert "type: testmods.seed.internal:stage2, which runs testmods.seed.second" in output


def test_not_ready_exits_one_and_names_what_must_complete(cli: Cli, config: Path) -> None:
    result = cli(config, "run", "after")
    assert result.exit_code == 1
    assert "Error: cannot run after: input 'data' from ms:stage3 (UNEXECUTED) must complete first" in result.output


def test_failure_exits_one_with_a_brief_error_and_debug_shows_the_traceback(cli: Cli, make_config: MakeConfig) -> None:
    config = make_config("[bad]\ntype = testmods.fail\n")
    brief = cli(config, "run", "bad")
    assert brief.exit_code == 1
    assert "✗ bad FAILED: ValueError: this module always fails" in brief.output
    assert "Traceback" not in brief.output
    assert "status bad, or run again with --debug" in brief.output
    detailed = cli(config, "run", "bad", "--debug")
    assert "Traceback (most recent call last)" in detailed.output
    status = cli(config, "status", "bad").output
    assert "error: ValueError: this module always fails" in status
    assert "Traceback (most recent call last)" in status


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_value_a_module_refuses_as_it_runs_is_shown_where_the_config_sets_it(
    cli: Cli, make_config: MakeConfig, workers: str
) -> None:
    config = make_config(
        "[plain]\ntype = testmods.refuses_option\nvalue = 9\n\n"
        "[staged]\ntype = testmods.refusing_stages\ncheck_limit = 20\ncheck_value = 30\n\n"
        "[unset]\ntype = testmods.refuses_option\nlimit = 0\n"
    )
    lines = config.read_text().splitlines()

    def at(line: str) -> str:
        return f"{config}:{lines.index(line) + 1}"

    result = cli(config, "run", "--all", "-j", workers)
    assert result.exit_code == 1
    assert f"✗ plain FAILED: {at('value = 9')} [plain] value: 9 is above the limit 3\n" in result.output
    # a stage's option, by its key in the multistage module's section
    staged = f"✗ staged:check FAILED: {at('check_value = 30')} [staged] check_value: 30 is above the limit 20\n"
    assert staged in result.output
    # an option left to its default: where its module's section starts
    assert f"✗ unset FAILED: {at('[unset]')} [unset] value: 1 is above the limit 0\n" in result.output
    assert f"error: {at('value = 9')} [plain] value: 9 is above the limit 3" in cli(config, "status", "plain").output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("run",), "name the modules to run, or give --all"),
        (("run", "raw", "--all"), "give module names or --all, not both"),
        (("run", "rwa"), "unknown module 'rwa' (did you mean 'raw'?)"),
        (("run", "ms:stge2"), "did you mean 'stage2'?"),
        (("run", "raw:?"), "raw is not a multistage module"),
        (("run", "ms:?", "ms:stage1:?"), "'ms:stage1:?': to list the stages of ms, give 'ms:?'"),
        (("run", "ms:all:?"), "'ms:all:?': to list the stages of ms, give 'ms:?'"),
        (("run", "ms:ALL"), "multistage module ms has no stage 'ALL' (did you mean 'all'?)"),
        (("status", "nope"), "unknown module 'nope'"),
        (("reset", "nope"), "unknown module 'nope'"),
        (("run", "raw", "-j", "2", "--memory-limit", "nan"), "expected a size between 64M and 8E"),
        (("run", "raw", "-j", "2", "--memory-limit", "1K"), "expected a size between 64M and 8E"),
        (("run", "raw", "--executor", "slurm"), "'slurm' is not one of 'local', 'dask'"),
    ],
)
def test_usage_errors_exit_two_without_a_traceback(
    cli: Cli, config: Path, args: tuple[str, ...], fragment: str
) -> None:
    result = cli(config, *args)
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output


def test_config_errors_exit_two_with_file_and_line(cli: Cli, make_config: MakeConfig) -> None:
    config = make_config("[a]\ntype = testmods.source\nsize = ten\n")
    result = cli(config, "status")
    assert result.exit_code == 2
    assert result.output == f"Error: {config}:7 [a] size: expected an integer, got 'ten'\n"


def test_a_store_this_user_may_not_look_into_is_an_error_for_every_command(
    cli: Cli, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (a colleague's store made with umask 077, in a folder this user may not search: status said so, reset and
    # clean ended in a traceback)
    assert cli(config, "run", "--all").exit_code == 0
    store = str(load_pipeline(config).store_path)
    original = os.stat

    def refused(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(store):
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", refused)
    for command in (["status"], ["log", "raw"], ["run", "--all"], ["reset", "-y", "raw"], ["clean", "-y"]):
        result = cli(config, *command)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.startswith("Error: "), command
        assert f"Permission denied: {store}" in result.stderr or "state database" in result.stderr, command


def test_missing_config_file_exits_two(cli: Cli, tmp_path: Path) -> None:
    result = cli(tmp_path / "none.conf", "status")
    assert result.exit_code == 2
    assert "no such pipeline config file" in result.output


def test_reset_cascades_with_yes_and_only_named_with_no_deps(cli: Cli, config: Path) -> None:
    cli(config, "run", "--all")
    result = cli(config, "reset", "ms:stage1", "--no-deps")
    assert result.output == "reset 1 module instance(s): ms:stage1\n"
    result = cli(config, "reset", "raw", "-y")
    assert result.exit_code == 0
    assert result.output == "reset 4 module instance(s): raw, ms:stage2, ms:stage3, after\n"  # (stage1 was already)
    assert "5 UNEXECUTED" in cli(config, "status").output


def test_reset_refuses_to_cascade_when_nobody_can_be_asked(cli: Cli, config: Path) -> None:
    assert cli(config, "run", "--all").exit_code == 0
    refused = cli(config, "reset", "ms:stage1")
    assert refused.exit_code == 2
    assert "would also reset the modules downstream: ms:stage2, ms:stage3, after" in refused.output
    assert "add -y to reset them too, or --no-deps" in refused.output
    status = cli(config, "status", "--json")
    assert '"UNEXECUTED"' not in status.output  # nothing was reset


def test_reset_goes_ahead_unasked_when_nothing_downstream_has_anything_to_lose(cli: Cli, config: Path) -> None:
    assert cli(config, "run", "raw").exit_code == 0  # everything downstream is UNEXECUTED
    result = cli(config, "reset", "raw")
    assert result.exit_code == 0
    assert result.output == "reset 1 module instance(s): raw\n"  # the others had nothing to forget
    again = cli(config, "reset", "raw", "-y")
    assert again.output == "nothing to reset: no state or outputs for raw, ms:stage1, ms:stage2, ms:stage3, after\n"


def test_reset_asks_before_cascading_on_a_terminal(cli: Cli, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli(config, "run", "--all")
    monkeypatch.setattr("pimlico_lite.cli.reset.on_terminal", lambda: True)
    declined = cli(config, "reset", "ms:stage1", input="n\n")
    assert "This also resets the modules downstream: ms:stage2, ms:stage3, after" in declined.output
    assert declined.exit_code == 1
    assert "5 COMPLETE" in cli(config, "status").output
    accepted = cli(config, "reset", "ms:stage1", input="y\n")
    assert accepted.exit_code == 0
    assert "4 UNEXECUTED" in cli(config, "status").output


def _records(config: Path) -> set[str]:
    return set(Store(load_pipeline(config).store_path).state.records())


def test_clean_deletes_what_modules_no_longer_in_the_config_left_and_nothing_else(
    cli: Cli, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(config, "run", "--all").exit_code == 0
    assert cli(config, "clean").output.startswith("nothing to clean: the store of pipeline 'test' holds only")
    store = load_pipeline(config).store_path / "modules"
    # `after` removed, `ms` a plain module now: its stages' folders and records are left behind, its new runs not.
    text = config.read_text().replace("[after]\ntype = testmods.step\n", "")
    config.write_text(text.replace("type = testmods.seed.internal\nstage1_threshold = 4", "type = testmods.step"))
    assert cli(config, "run", "ms").exit_code == 0
    (store / "ms" / "notes").write_text("mine")  # a user's file, a link, a hidden folder: never pimlico_lite's
    (store / "elsewhere").symlink_to(store / "raw")
    (store / ".hidden").mkdir()
    # Folders whose state is gone (a reset stopped half-way): one with a run, one empty (its first run failed).
    (store / "old" / "run-3" / "data").mkdir(parents=True)
    (store / "old" / "run-3" / "data" / "x").write_text("12345")
    (store / "never").mkdir()
    (store / "ms" / "stage9" / "run-2").mkdir(parents=True)
    left = ["after", "ms:stage1", "ms:stage2", "ms:stage3", "ms:stage9", "never", "old"]
    assert _records(config) == {"raw", "ms", *left[:4]}
    listed = cli(config, "clean", "--dry-run")
    assert listed.exit_code == 0
    assert listed.output.startswith(f"Not in the config: {', '.join(left)} (")
    assert listed.output.endswith(" of outputs and logs)\n(--dry-run: nothing was deleted)\n")
    assert (store / "after").is_dir()
    assert (store / "ms" / "stage3").is_dir()
    refused = cli(config, "clean")  # (standard input is not a terminal here)
    assert refused.exit_code == 2
    assert "nobody can be asked: add -y to delete them" in refused.output
    monkeypatch.setattr("pimlico_lite.cli.reset.on_terminal", lambda: True)
    assert cli(config, "clean", input="n\n").exit_code == 1
    assert (store / "after").is_dir()
    cleaned = cli(config, "clean", input="y\n")
    assert cleaned.exit_code == 0
    assert cleaned.output.endswith(f"cleaned up 7 module instance(s): {', '.join(left)}\n")
    assert _records(config) == {"raw", "ms"}
    assert sorted(path.name for path in store.iterdir()) == [".hidden", "elsewhere", "ms", "raw"]
    record = Store(load_pipeline(config).store_path).state.record("ms")
    assert record is not None
    assert sorted(path.name for path in (store / "ms").iterdir()) == ["notes", f"run-{record.complete_run_id}"]
    assert "2 COMPLETE" in cli(config, "status").output
    assert cli(config, "clean", "-y").output.startswith("nothing to clean")


def test_clean_refuses_while_another_config_that_ran_the_store_is_there(cli: Cli, make_config: MakeConfig) -> None:
    from pimlico_lite import run

    first = make_config("[a]\ntype = testmods.source\nvalue = 1\n[b]\ntype = testmods.step\n", name="first.conf")
    second = make_config("[a]\ntype = testmods.source\nvalue = 2\n", name="second.conf")
    assert cli(first, "run", "--all").exit_code == 0
    run(load_pipeline(second), ["a"])  # (from Python: noted all the same)
    for config, other in ((second, first), (first, second)):  # the last to run it, and the one before
        refused = cli(config, "clean", "-y")
        assert refused.exit_code == 2
        assert f"is also run from {other}, whose modules this config may not have" in refused.output
    assert _records(first) == {"a", "b"}
    first.unlink()  # gone: nothing of its is worth keeping for it
    assert cli(second, "clean", "-y").output.endswith("cleaned up 1 module instance(s): b\n")


def test_clean_spares_a_copy_that_found_everything_complete_and_not_one_that_runs_another_store(
    cli: Cli, make_config: MakeConfig
) -> None:
    first = make_config("[a]\ntype = testmods.source\n[b]\ntype = testmods.step\n", name="first.conf")
    assert cli(first, "run", "--all").exit_code == 0
    copy = make_config(first.read_text(), name="copy.conf", header=False)
    assert "nothing to run" in cli(copy, "run", "--all").output  # (its modules are there all the same)
    first.write_text(first.read_text().replace("[b]\ntype = testmods.step\n", ""))
    refused = cli(first, "clean", "-y")
    assert refused.exit_code == 2
    assert f"is also run from {copy}, whose modules this config may not have" in refused.output
    copy.write_text(copy.read_text().replace("name = test", "name = other"))  # (its own store folder now)
    assert cli(first, "clean", "-y").output.endswith("cleaned up 1 module instance(s): b\n")


def test_configs_noted_by_runs_at_once_are_all_kept(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom pimlico_lite.store import Store\n"
        "Store(Path(sys.argv[1])).note_config(sys.argv[2])\n"
    )
    store = tmp_path / "store"
    store.mkdir()
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(store), f"/configs/{index}.conf"]) for index in range(12)
    ]
    assert [process.wait(timeout=60) for process in processes] == [0] * 12
    assert sorted(Store(store).configs()) == sorted(f"/configs/{index}.conf" for index in range(12))


def test_reset_and_clean_never_delete_through_a_link_in_the_store(cli: Cli, make_config: MakeConfig) -> None:
    config = make_config("[raw2]\ntype = testmods.source\n")
    assert cli(config, "run", "--all").exit_code == 0
    modules = load_pipeline(config).store_path / "modules"
    (modules / "raw").symlink_to("raw2")
    kept = sorted(path.name for path in (modules / "raw2").iterdir())
    config.write_text(config.read_text() + "[raw]\ntype = testmods.source\nvalue = x\n")
    said = cli(config, "reset", "raw", "-y").output
    assert said.endswith("(only the state of raw: a symbolic link stands for its folder, left as it is)\n")
    assert sorted(path.name for path in (modules / "raw2").iterdir()) == kept
    # modules/ itself a link (to a larger disk): state alone, nothing made or deleted through it.
    elsewhere = modules.parent.parent / "elsewhere"
    modules.rename(elsewhere)
    modules.symlink_to(elsewhere)
    config.write_text(config.read_text().replace("[raw]\ntype = testmods.source\nvalue = x\n", ""))
    store = Store(load_pipeline(config).store_path)
    with store.state.connect() as database:  # a record whose folder was never made
        database.execute("INSERT INTO module VALUES ('ghost', 'FAILED', 1, NULL, NULL, NULL, NULL)")
    cleaned = cli(config, "clean", "-y")
    assert cleaned.exit_code == 0
    assert cleaned.output.endswith("(only the state of ghost: a symbolic link stands for its folder, left as it is)\n")
    assert not (elsewhere / "ghost").exists()
    assert sorted(path.name for path in (elsewhere / "raw2").iterdir()) == kept
    assert _records(config) == {"raw2"}


def test_reset_of_a_module_made_elsewhere_here_waits_for_a_run_of_it_from_another_config(
    cli: Cli, make_config: MakeConfig, tmp_path: Path
) -> None:
    config = make_config(f"[a]\ntype = pimlico_lite.datatypes.Datatype\ndir = {tmp_path}\n")
    lock = Store(load_pipeline(config).store_path).lock("a")  # as a run of [a] from another config holds it
    assert lock.acquire(blocking=False)
    try:
        refused = cli(config, "reset", "a", "-y")
    finally:
        lock.release()
    assert refused.exit_code == 1
    assert "cannot reset a: another process is running it" in refused.output


def test_clean_forgets_a_module_whose_folder_is_a_link_and_leaves_the_link_and_what_it_leads_to(
    cli: Cli, make_config: MakeConfig
) -> None:
    config = make_config("[raw]\ntype = testmods.source\n")
    assert cli(config, "run", "--all").exit_code == 0
    config.write_text(config.read_text().replace("[raw]", "[raw2]"))
    assert cli(config, "run", "--all").exit_code == 0
    modules = load_pipeline(config).store_path / "modules"
    shutil.rmtree(modules / "raw")
    (modules / "raw").symlink_to("raw2")  # (old paths to the outputs kept working)
    kept = sorted(path.name for path in (modules / "raw2").iterdir())
    cleaned = cli(config, "clean", "-y")
    assert cleaned.exit_code == 0
    assert cleaned.output.endswith(
        "cleaned up 1 module instance(s): raw\n(only the state of raw: a symbolic link stands for its folder, left"
        " as it is)\n"
    )
    assert _records(config) == {"raw2"}
    assert (modules / "raw").is_symlink()
    assert sorted(path.name for path in (modules / "raw2").iterdir()) == kept
    assert "1 COMPLETE" in cli(config, "status").output


def test_clean_changes_nothing_while_a_module_it_would_delete_is_running(cli: Cli, config: Path) -> None:
    assert cli(config, "run", "--all").exit_code == 0
    config.write_text(config.read_text().replace("[after]\ntype = testmods.step\n", ""))
    pipeline = load_pipeline(config)
    lock = Store(pipeline.store_path).lock("after")
    assert lock.acquire(blocking=False)
    try:
        refused = cli(config, "clean", "-y")
    finally:
        lock.release()
    assert refused.exit_code == 1
    assert "Error: cannot clean up after: another process is running it" in refused.output
    assert "after" in _records(config)
    cleaned = cli(config, "clean", "-y")  # (not ms, a multistage module whose folder holds its stages' folders)
    assert cleaned.output.endswith("cleaned up 1 module instance(s): after\n")
    assert _records(config) == {"raw", "ms:stage1", "ms:stage2", "ms:stage3"}


def test_version(cli: Cli) -> None:
    from pimlico_lite import __version__

    result = cli("--version")
    assert result.output == f"pimlico-lite, version {__version__}\n"


def test_log_shows_the_last_runs_log_and_error(cli: Cli, make_config: MakeConfig) -> None:
    config = make_config("[quiet]\ntype = testmods.no_output\n[ms]\ntype = testmods.seed.internal\n")
    cli(config, "run", "quiet")
    result = cli(config, "log", "quiet")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    (record,) = Store(load_pipeline(config).store_path).state.runs("quiet")
    assert record.duration is not None
    assert (
        lines[0]
        == f"# quiet, run 1: FAILED in {record.duration:.2f}s, peak memory {record.peak_memory_kb / 1024:.1f} MiB"
    )
    assert lines[1].endswith("INFO doing nothing")
    assert lines[2] == "error: ModuleFailedError: execute() returned without writing output 'data'"
    assert lines[3] == "Traceback (most recent call last):"
    assert cli(config, "log", "quiet", "--run", "9").output == "Error: quiet has no run 9; its runs: 1\n"
    assert "name one stage, 'ms:stage1', 'ms:stage2', 'ms:stage3'" in cli(config, "log", "ms").output
    assert cli(config, "log", "ms:stage1").output == "Error: ms:stage1 has not run\n"


def test_listing_stages_with_other_names_runs_nothing(cli: Cli, config: Path, executions: Executions) -> None:
    result = cli(config, "run", "raw", "ms:?")
    assert result.output.splitlines()[-1] == "(stages listed: nothing was run)"
    assert executions() == []


def test_listing_stages_beside_an_unknown_name_is_a_usage_error(cli: Cli, config: Path, executions: Executions) -> None:
    result = cli(config, "run", "rwa", "ms:?")
    assert result.exit_code == 2
    assert "unknown module 'rwa' (did you mean 'raw'?)" in result.output
    assert "stages of ms" not in result.output
    assert executions() == []


def test_reset_before_anything_ran_creates_no_store(cli: Cli, config: Path) -> None:
    result = cli(config, "reset", "raw", "-y")
    assert result.exit_code == 0
    assert not (config.parent / "store").exists()


def test_a_run_that_runs_nothing_creates_no_store(cli: Cli, config: Path) -> None:
    assert cli(config, "run", "nosuch").exit_code == 2
    assert cli(config, "run", "ms:stage2").exit_code == 1  # its input is not ready
    assert cli(config, "run", "ms").exit_code == 1  # no stage is ready
    assert cli(config, "clean", "-y").exit_code == 0
    assert not (config.parent / "store").exists()
    assert cli(config, "run", "raw").exit_code == 0
    assert Store(config.parent / "store" / "test").configs() == [str(config.resolve())]


def test_log_of_run_zero_is_not_the_same_as_no_run(cli: Cli, config: Path) -> None:
    cli(config, "run", "raw")
    assert cli(config, "log", "raw", "--run", "0").output == "Error: raw has no run 0; its runs: 1\n"


@pytest.mark.parametrize(
    ("arguments", "example"),
    [
        (["status", "{config}"], "{config} status"),
        (["run", "--all", "{config}", "-j", "2"], "{config} run --all -j 2"),
        (["run", "--all"], "CONFIG run --all"),  # no config at all
        (["status", "--help"], "CONFIG status --help"),
        (["status"], "CONFIG status"),
    ],
)
def test_a_command_where_the_config_belongs_gets_a_hint(
    cli: Cli, config: Path, arguments: list[str], example: str
) -> None:
    result = cli(*(argument.format(config=config) for argument in arguments))
    assert result.exit_code == 2
    command = arguments[0]
    hint = f"Error: '{command}' is a command: the config file comes first: pimlico-lite {example.format(config=config)}"
    assert hint in result.output


def test_a_config_named_like_a_command_is_a_config_when_a_command_follows(
    cli: Cli, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(config.parent)
    Path("run").write_text(config.read_text())
    assert cli("run", "status").exit_code == 0  # the config named run, then the command
    result = cli("run", config.name, "--all")  # the command, then the config: a hint, though a file is named run
    assert f"the config file comes first: pimlico-lite {config.name} run --all" in result.output
    assert "Missing command" in cli("run").output  # the config named run, alone
    assert "Run the pipeline described by the config file CONFIG." in cli("run", "--help").output


def test_a_run_from_another_config_of_the_same_pipeline_name_warns_that_they_share_results(
    cli: Cli, make_config: MakeConfig
) -> None:
    # A config copied to try a variant, its name left as it was: the same store folder, each run replacing the
    # other's results without a word.
    first = make_config("[a]\ntype = testmods.source\nvalue = 1\n", name="first.conf")
    second = make_config("[a]\ntype = testmods.source\nvalue = 2\n", name="second.conf")
    assert cli(first, "run", "--all").stderr == ""
    warned = cli(second, "run", "--all")
    assert warned.exit_code == 0
    store = load_pipeline(second).store_path
    said = f"Warning: the store's folder of pipeline 'test' ({store}) was last run from {first}:"
    assert warned.stderr.startswith(said)
    assert "Give this pipeline another name to keep both." in warned.stderr
    assert "(`clean` refuses while both configs are there)" in warned.stderr  # (as it does)
    assert cli(second, "clean", "-y").exit_code == 2
    assert cli(second, "run", "--all").stderr == ""  # once: it is the last to run it now
    assert "was last run from" in cli(first, "run", "--all").stderr  # and back again
    first.unlink()  # a config moved or deleted leaves nothing to warn of
    assert cli(second, "run", "--all").stderr == ""


def test_a_path_too_long_for_the_system_is_an_error_not_a_traceback(cli: Cli, make_config: MakeConfig) -> None:
    config = make_config(f"[pipeline]\nname = p\nstore = {'x' * 300}\n[a]\ntype = testmods.source\n", header=False)
    for command in (["status"], ["run", "--all"]):
        result = cli(config, *command)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"Error: File name too long: {config.parent / ('x' * 300)}")  # (or in it)
    missing = config.parent / f"{'y' * 300}.conf"
    result = cli(missing, "status")
    assert (result.exit_code, result.stderr) == (2, f"Error: File name too long: {missing}\n")


def test_a_working_folder_deleted_under_the_shell_is_an_error_not_a_traceback(make_config: MakeConfig) -> None:
    config = make_config("[a]\ntype = testmods.source\n")
    gone = config.parent / "gone"
    gone.mkdir()
    command = f'cd "{gone}" && rmdir "{gone}" && exec "{sys.executable}" -m pimlico_lite "{config}" status'
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: the working folder is gone (deleted or moved under this shell): change to another one\n"
    )


def test_reset_of_a_module_made_elsewhere_now_forgets_what_it_left_in_the_store(
    cli: Cli, make_config: MakeConfig, tmp_path: Path
) -> None:
    config = make_config("[a]\ntype = testmods.source\n")
    assert cli(config, "run", "a").exit_code == 0
    folder = load_pipeline(config).store_path / "modules" / "a"
    (tmp_path / "ext").mkdir()
    (tmp_path / "ext" / "data.pickle").write_bytes(b"")
    config.write_text(
        config.read_text().replace(
            "type = testmods.source", f"type = pimlico_lite.datatypes.Datatype\ndir = {tmp_path / 'ext'}"
        )
    )
    assert cli(config, "reset", "a", "-y").output == "reset 1 module instance(s): a\n"
    assert _records(config) == set()
    assert not folder.exists()
    assert (tmp_path / "ext" / "data.pickle").exists()  # (the data made elsewhere is never touched)


def test_configs_that_share_a_store_are_found_again_in_a_project_folder_moved_or_copied_whole(
    cli: Cli, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    header = f"[pipeline]\nname = shared\npython_path = {TESTS}\nstore = store\n"
    first, second = project / "first.conf", project / "second.conf"
    first.write_text(header + "[a]\ntype = testmods.source\nvalue = 1\n")
    second.write_text(header + "[b]\ntype = testmods.source\nvalue = 2\n")
    assert cli(first, "run", "--all").exit_code == 0
    assert "was last run from" in cli(second, "run", "--all").stderr
    copy = tmp_path / "copy"
    shutil.copytree(project, copy, symlinks=True)
    project.rename(tmp_path / "moved")
    # A store that is a link (to a larger disk) moves with its project all the same.
    linked = tmp_path / "linked"
    linked.mkdir()
    (tmp_path / "disk").mkdir()
    (linked / "store").symlink_to(tmp_path / "disk")
    for config in (first, second):
        (linked / config.name).write_text(config.read_text() if config.exists() else (copy / config.name).read_text())
    assert cli(linked / "first.conf", "run", "--all").exit_code == 0
    assert cli(linked / "second.conf", "run", "--all").exit_code == 0
    linked.rename(tmp_path / "linked-moved")
    for folder in (tmp_path / "moved", copy, tmp_path / "linked-moved"):
        # clean from one would take the other's modules for its own left behind: it refuses, as before the move.
        refused = cli(folder / "second.conf", "clean", "-y")
        assert refused.exit_code == 2, refused.output
        assert f"is also run from {folder / 'first.conf'}, whose modules this config may not have" in refused.output
        assert _records(folder / "first.conf") == {"a", "b"}
        # The last to run it is the copy of the config that ran it last: nothing to warn of.
        assert cli(folder / "second.conf", "run", "-f", "b").stderr == ""
        assert "was last run from" in cli(folder / "first.conf", "run", "-f", "a").stderr


def test_status_json_is_pure_json_when_a_module_types_code_prints_as_it_loads(cli: Cli, tmp_path: Path) -> None:
    write_module_type(
        tmp_path,
        "chatty_json_types.chatty",
        "from pimlico_lite import BaseModuleInfo\nprint('hello from chatty')\n\n\n"
        "import os\nos.write(1, b'written to descriptor 1\\n')\n\n"
        "class ModuleInfo(BaseModuleInfo):\n    module_type_name = 'chatty'\n",
    )
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = {tmp_path}\n[c]\ntype = chatty_json_types.chatty\n")
    environment = {**os.environ, "PIMLICO_LITE_CACHE": str(tmp_path / "cache")}
    for _ in range(2):  # (loading the config, then the kept copy of it: each imports the module type)
        result = subprocess.run(
            [sys.executable, "-m", "pimlico_lite", str(config), "status", "--json"],
            capture_output=True,
            text=True,
            env=environment,
            check=True,
        )
        assert [module["status"] for module in json.loads(result.stdout)["modules"]] == ["UNEXECUTED"]
        assert result.stderr == "hello from chatty\nwritten to descriptor 1\n"
    assert "hello from chatty" in cli(config, "status").stdout  # (the table: left as it was)


@pytest.mark.parametrize("noted", ["nothing", "the last config only"])
def test_clean_of_a_store_whose_configs_an_older_version_noted_asks_and_never_deletes_unasked(
    cli: Cli, make_config: MakeConfig, monkeypatch: pytest.MonkeyPatch, noted: str
) -> None:
    first = make_config("[a]\ntype = testmods.source\n", name="first.conf")
    second = make_config("[b]\ntype = testmods.source\n", name="second.conf")
    assert cli(first, "run", "--all").exit_code == 0
    assert cli(second, "run", "--all").exit_code == 0
    marker = load_pipeline(first).store_path / "config-path"
    if noted == "nothing":  # (before configs were noted)
        marker.unlink()
    else:  # (a version that kept the last one only, or an older version that rewrote the list so)
        marker.write_text(str(first.resolve()))
    assert cli(first, "run", "--all").exit_code == 0  # (nothing to do: noted, and the list is no surer for it)
    refused = cli(first, "clean", "-y")
    assert refused.exit_code == 2
    assert "which may have left some out: if another config of pipeline 'test' runs this store" in refused.output
    assert "clean cannot tell whose these modules are, so -y does not delete them" in refused.output
    assert "then add --only-config, or clean without -y and answer the question" in refused.output
    unasked = cli(first, "clean")  # (no terminal to ask at)
    assert "nobody can be asked: add -y --only-config, once no other config runs this store, to" in unasked.output
    assert _records(first) == {"a", "b"}
    if noted == "the last config only":  # told, without a terminal
        second.unlink()
        assert cli(first, "clean", "-y", "--only-config").output.endswith("cleaned up 1 module instance(s): b\n")
        assert Store(load_pipeline(first).store_path).knows_its_configs()
        return
    monkeypatch.setattr("pimlico_lite.cli.reset.on_terminal", lambda: True)
    assert cli(first, "clean", input="n\n").exit_code == 1
    assert _records(first) == {"a", "b"}
    second.unlink()
    assert cli(first, "clean", input="y\n").output.endswith("cleaned up 1 module instance(s): b\n")
    # Answered once: the store knows its configs from then on, and a config run later is noted as before.
    assert Store(load_pipeline(first).store_path).knows_its_configs()
    assert cli(make_config("[b]\ntype = testmods.source\n", name="second.conf"), "run", "--all").exit_code == 0
    assert cli(first, "clean", "-y").exit_code == 2  # (refused: second.conf is there, and runs the store)
    second.unlink()
    assert cli(first, "clean", "-y").output.endswith("cleaned up 1 module instance(s): b\n")


def test_a_store_made_by_this_version_knows_every_config_that_runs_it(cli: Cli, make_config: MakeConfig) -> None:
    config = make_config("[a]\ntype = testmods.source\n")
    store = Store(load_pipeline(config).store_path)
    assert store.knows_its_configs()  # (none yet: no store)
    assert cli(config, "run", "--all").exit_code == 0
    assert store.knows_its_configs()
    assert store.configs() == [str(config.resolve())]
