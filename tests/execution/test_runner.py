"""Running pipelines through the Python API: states, outdated detection, failures, multistage runs, reset."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pimlico_lite import compute_statuses, reset, run
from pimlico_lite._signals import Interrupts
from pimlico_lite.errors import InterruptedRunError, NotReadyError, StoreError, UsageError
from pimlico_lite.execution import plan_reset
from pimlico_lite.execution.executors import InProcessExecutor
from pimlico_lite.execution.planner import plan_run
from pimlico_lite.execution.reporter import NullReporter
from pimlico_lite.execution.scheduler import Scheduler
from pimlico_lite.pipeline import Pipeline, load_pipeline
from pimlico_lite.store import ModuleRecord, StateDatabase, Store
from pimlico_lite.store.layout import ModuleLock
from pimlico_lite.store.state import Completion

MakePipeline = Callable[[str], Pipeline]
Executions = Callable[[], list[str]]

CHAIN = """
[a]
type = testmods.source
value = {value}

[b]
type = testmods.step

[c]
type = testmods.step
label = {label}

[lone]
type = testmods.source
"""

MULTISTAGE = """
[raw]
type = testmods.source

[ms]
type = testmods.seed.internal

[after]
type = testmods.step
"""


def states(pipeline: Pipeline) -> dict[str, str]:
    return {name: str(status.state) for name, status in compute_statuses(pipeline, Store(pipeline.store_path)).items()}


def output_of(pipeline: Pipeline, name: str, output: str = "data") -> object:
    record = Store(pipeline.store_path).state.record(name)
    assert record is not None
    assert record.complete_run_id is not None
    folder = Store(pipeline.store_path).run_dir(name, record.complete_run_id) / output
    return pipeline.instances[name].info.output_datatypes()[output].read(folder)


class Recorder:
    """A reporter that keeps every event, for asserting their order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    def run_started(self, names: list[str]) -> None:
        self.events.append(("run", *names))

    def module_started(self, name: str, run_id: int) -> None:
        self.events.append(("started", name))

    def module_finished(self, name: str, seconds: float) -> None:
        self.events.append(("finished", name))

    def module_failed(self, name: str, error: str, traceback: str) -> None:
        self.events.append(("failed", name, error))

    def module_skipped(self, name: str, reason: str) -> None:
        self.events.append(("skipped", name, reason))

    def module_not_run(self, name: str, reason: str) -> None:
        self.events.append(("not run", name, reason))

    def module_waiting(self, name: str, reason: str) -> None:
        self.events.append(("waiting", name))

    def module_log(self, name: str, message: str) -> None:
        self.events.append(("log", name, message))

    def module_progress(self, name: str, done: int, total: int | None) -> None:
        self.events.append(("progress", name, str(done)))


def test_run_all_runs_everything_in_order_and_passes_data_along(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(CHAIN.format(value="hello", label="L"))
    assert set(states(pipeline).values()) == {"UNEXECUTED"}
    result = run(pipeline, run_all=True)
    assert result.completed == ["a", "b", "c", "lone"]
    assert result.exit_code == 0
    assert executions() == ["a", "b", "c", "lone"]
    assert set(states(pipeline).values()) == {"COMPLETE"}
    c = output_of(pipeline, "c")
    assert c["options"] == {"label": "L"}  # type: ignore[index]
    assert c["inputs"]["data"]["inputs"]["data"]["options"]["value"] == "hello"  # type: ignore[index]


def test_a_second_run_all_runs_nothing(make_pipeline: MakePipeline, executions: Executions) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, run_all=True)
    result = run(pipeline, run_all=True)
    assert result.plan.targets == []
    assert executions() == ["a", "b", "c", "lone"]


def test_changed_option_makes_a_module_and_its_dependents_outdated_and_says_why(
    make_config: Callable[..., Path], executions: Executions
) -> None:
    path = make_config(CHAIN.format(value="one", label=""))
    run(load_pipeline(path), run_all=True)
    path.write_text(path.read_text().replace("value = one", "value = two"))
    pipeline = load_pipeline(path)
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert {n: str(s.state) for n, s in statuses.items()} == {
        "a": "OUTDATED",
        "b": "OUTDATED",
        "c": "OUTDATED",
        "lone": "COMPLETE",
    }
    assert statuses["a"].reasons == ("option value changed: 'one' -> 'two'",)
    assert statuses["b"].reasons == ("upstream module a is OUTDATED",)
    result = run(pipeline, run_all=True)
    assert result.completed == ["a", "b", "c"]
    assert executions() == ["a", "b", "c", "lone", "a", "b", "c"]
    assert set(states(pipeline).values()) == {"COMPLETE"}


def test_a_changed_stage_option_is_named_by_the_config_key_that_changed(make_config: Callable[..., Path]) -> None:
    # stage2's cutoff is set by the key threshold, stage3's seed by stage3_seed: the reasons name those keys.
    body = "[raw]\ntype = testmods.source\n[ms]\ntype = testmods.seed.options\ninput_first_data = raw\n"
    path = make_config(body + "input_second_data = raw\nthreshold = 7\nstage3_seed = 1\n")
    run(load_pipeline(path), run_all=True)
    path.write_text(path.read_text().replace("threshold = 7", "threshold = 8").replace("seed = 1", "seed = 2"))
    pipeline = load_pipeline(path)
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert statuses["ms:stage1"].reasons == ("option threshold changed: 7 -> 8",)
    assert statuses["ms:stage2"].reasons[0] == "option threshold changed: 7 -> 8"
    assert statuses["ms:stage3"].reasons[0] == "option stage3_seed changed: 1 -> 2"


def test_a_changed_stage_input_is_named_by_the_multistage_modules_input(make_config: Callable[..., Path]) -> None:
    # stage2's raw_data is the multistage module's second_data, connected by input_second_data.
    body = "[raw]\ntype = testmods.source\n[raw2]\ntype = testmods.source\n[ms]\ntype = testmods.seed.options\n"
    path = make_config(body + "input_first_data = raw\ninput_second_data = raw\n")
    run(load_pipeline(path), run_all=True)
    path.write_text(path.read_text().replace("input_second_data = raw\n", "input_second_data = raw2\n"))
    pipeline = load_pipeline(path)
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert statuses["ms:stage2"].reasons == ("input second_data changed: raw.data -> raw2.data",)


def test_changed_type_or_input_connection_is_reported(make_config: Callable[..., Path]) -> None:
    path = make_config(
        "[a]\ntype = testmods.source\n[a2]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = a\n"
    )
    run(load_pipeline(path), run_all=True)
    path.write_text(
        path.read_text()
        .replace("input = a\n", "input = a2\n")
        .replace("[a]\ntype = testmods.source", "[a]\ntype = testmods.typed_options\nepochs = 1")
    )
    statuses = compute_statuses(load_pipeline(path), Store(load_pipeline(path).store_path))
    assert statuses["a"].reasons[0] == "module type changed: testmods.source -> testmods.typed_options"
    assert statuses["b"].reasons == ("input data changed: a.data -> a2.data",)


def test_upstream_rerun_makes_downstream_outdated(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, run_all=True)
    run(pipeline, ["b"], force=True)
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert str(statuses["b"].state) == "COMPLETE"
    assert str(statuses["c"].state) == "OUTDATED"
    assert statuses["c"].reasons[0].startswith("upstream module b has run again since")


@pytest.mark.parametrize(
    ("deleted", "reason"),
    [("", "its outputs are gone: {} was deleted"), ("data", "its output data is gone: {} was deleted")],
    ids=["run folder", "an output's folder"],
)
def test_a_complete_module_whose_outputs_were_deleted_is_outdated_and_run_again(
    make_pipeline: MakePipeline, executions: Executions, deleted: str, reason: str
) -> None:
    import shutil

    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, run_all=True)
    store = Store(pipeline.store_path)
    record = store.state.record("b")
    assert record is not None
    assert record.complete_run_id is not None
    folder = store.run_dir("b", record.complete_run_id) / deleted
    shutil.rmtree(folder)  # by hand: the record still says COMPLETE
    statuses = compute_statuses(pipeline, store)
    assert (str(statuses["b"].state), statuses["b"].reasons) == ("OUTDATED", (reason.format(folder),))
    assert (str(statuses["c"].state), statuses["c"].reasons) == ("OUTDATED", ("upstream module b is OUTDATED",))
    before = len(executions())
    assert run(pipeline, run_all=True).completed == ["b", "c"]  # not a failure of c, reading what is not there
    assert executions()[before:] == ["b", "c"]
    assert set(states(pipeline).values()) == {"COMPLETE"}


def test_a_run_whose_folder_is_there_from_a_forgotten_store_replaces_it(make_config: Callable[..., Path]) -> None:
    # The state database deleted to start again: run ids start again, and the new run 1 finds the old run-1.
    config = make_config("[a]\ntype = testmods.source\nvalue = first\n")
    run(load_pipeline(config), run_all=True)
    store = Store(load_pipeline(config).store_path)
    for path in store.path.glob("state.sqlite*"):
        path.unlink()
    changed = load_pipeline(make_config("[a]\ntype = testmods.source\nvalue = second\n"))
    assert run(changed, run_all=True).completed == ["a"]
    assert output_of(changed, "a")["options"]["value"] == "second"  # type: ignore[index]


def test_run_of_a_module_whose_input_is_not_ready_runs_nothing_and_names_the_input(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    with pytest.raises(NotReadyError) as caught:
        run(pipeline, ["c", "lone"])
    assert str(caught.value) == "cannot run c: input 'data' from b (UNEXECUTED) must complete first"
    assert caught.value.exit_code == 1
    assert executions() == []


def test_modules_named_together_count_each_other_as_going_to_run(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    result = run(pipeline, ["c", "a", "b"])
    assert result.completed == ["a", "b", "c"]
    assert executions() == ["a", "b", "c"]


def test_complete_module_is_not_rerun_unless_forced(make_pipeline: MakePipeline, executions: Executions) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, ["a"])
    recorder = Recorder()
    result = run(pipeline, ["a"], reporter=recorder)
    assert result.completed == []
    assert recorder.events == [("run", "a"), ("skipped", "a", "already complete (--force-rerun runs it again)")]
    assert run(pipeline, ["a"], force=True).completed == ["a"]
    assert executions() == ["a", "a"]


def test_failure_records_error_and_traceback_leaves_no_output_and_spares_independent_modules(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(
        "[bad]\ntype = testmods.fail\n[after]\ntype = testmods.step\n[lone]\ntype = testmods.source\n"
    )
    recorder = Recorder()
    result = run(pipeline, run_all=True, reporter=recorder)
    assert result.failed == ["bad"]
    assert result.not_run == {"after": "bad did not complete"}
    assert result.completed == ["lone"]
    assert result.exit_code == 1
    assert states(pipeline) == {"bad": "FAILED", "after": "UNEXECUTED", "lone": "COMPLETE"}
    store = Store(pipeline.store_path)
    (record,) = store.state.runs("bad")
    assert record.state == "FAILED"
    assert record.error == "ValueError: this module always fails"
    assert "raise ValueError(message)" in (record.traceback or "")
    assert not any(store.module_dir("bad").iterdir())  # the half-written output is gone
    assert ("failed", "bad", "ValueError: this module always fails") in recorder.events


def test_exit_on_error_stops_at_the_first_failure(make_pipeline: MakePipeline, executions: Executions) -> None:
    pipeline = make_pipeline("[bad]\ntype = testmods.fail\n[lone]\ntype = testmods.source\n")
    result = run(pipeline, run_all=True, exit_on_error=True)
    assert result.failed == ["bad"]
    assert result.not_run == {"lone": "stopped at the first failure (--exit-on-error)"}
    assert executions() == []


@pytest.mark.parametrize(
    ("module_type", "error"),
    [
        ("testmods.no_output", "ModuleFailedError: execute() returned without writing output 'data'"),
        (
            "testmods.misused_execute\nreturns = generator",
            "ModuleFailedError: execute() is a generator (it has a yield), so calling it would not run its body: do"
            " the work in a plain def execute(self)",
        ),
        (
            "testmods.misused_execute\nreturns = coroutine",
            "ModuleFailedError: execute() is async, so calling it would not run its body: do the work in a plain def"
            " execute(self)",
        ),
        (
            "testmods.misused_execute\nreturns = async-generator",
            "ModuleFailedError: execute() is a generator (it has a yield), so calling it would not run its body: do"
            " the work in a plain def execute(self)",
        ),
        (
            "testmods.misused_execute\nreturns = output",
            "ModuleFailedError: execute() returned without writing output 'data' (it returned {'data': [1, 2]}:"
            " outputs are written with self.write_output(NAME, value))",
        ),
        (
            "testmods.unwritable\nvalue = set",
            "ModuleFailedError: writing output 'counts' as JSONData failed: TypeError: Object of type set is not JSON"
            " serializable",
        ),
        (
            "testmods.unwritable\nvalue = generator",
            "ModuleFailedError: writing output 'counts' as JSONData failed: TypeError: Object of type generator is not"
            " JSON serializable (a generator: give a list, list(...))",
        ),
        ("testmods.exits\ncode = none", "SystemExit: sys.exit() with no code"),
        (
            "testmods.own_files\nwrite = false",
            "ModuleFailedError: output 'data': the folder output_dir() gave was left empty (a JSONData is read from its"
            " data.json)",
        ),
        (
            "testmods.misnamed_execute",
            "NotImplementedError: ModuleExecutor has no execute(self) method, the one that does the module's work",
        ),
        ("testmods.no_executor", "ModuleTypeError: module type testmods.no_executor has no execute.py"),
        (
            "testmods.plain_executor",
            "ModuleTypeError: testmods.plain_executor.execute: ModuleExecutor must be a subclass of"
            " BaseModuleExecutor (from pimlico_lite import BaseModuleExecutor), got"
            " <class 'testmods.plain_executor.execute.ModuleExecutor'>",
        ),
    ],
    ids=[
        "no-output",
        "generator",
        "coroutine",
        "async-generator",
        "output-returned",
        "a-set-as-json",
        "a-generator-as-json",
        "sys-exit-with-no-code",
        "output-dir-left-empty",
        "misnamed",
        "no-execute-py",
        "not-a-base-module-executor",
    ],
)
def test_broken_executors_fail_the_module(make_pipeline: MakePipeline, module_type: str, error: str) -> None:
    pipeline = make_pipeline(f"[m]\ntype = {module_type}\n")
    assert run(pipeline, ["m"]).failed == ["m"]
    (record,) = Store(pipeline.store_path).state.runs("m")
    assert (record.error or "").startswith(error)


def test_an_output_written_by_hand_into_its_folder_is_read_as_its_datatype(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline("[m]\ntype = testmods.own_files\n")
    assert run(pipeline, ["m"]).completed == ["m"]
    assert output_of(pipeline, "m") == {"written": "by hand"}


@pytest.mark.parametrize("returns", ["extra", "a-generator"])
def test_a_value_returned_beside_the_outputs_written_is_let_be(make_pipeline: MakePipeline, returns: str) -> None:
    pipeline = make_pipeline(f"[m]\ntype = testmods.misused_execute\nreturns = {returns}\n")
    assert run(pipeline, ["m"]).completed == ["m"]


def test_module_logs_go_to_the_reporter_and_the_run_record(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline("[m]\ntype = testmods.no_output\n")
    recorder = Recorder()
    run(pipeline, ["m"], reporter=recorder)
    assert ("log", "m", "doing nothing") in recorder.events
    (record,) = Store(pipeline.store_path).state.runs("m")
    assert "INFO doing nothing" in (record.log or "")


def test_ctrl_c_marks_the_module_failed_interrupted(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = make_pipeline("[a]\ntype = testmods.source\n")
    from testmods.common import EchoExecutor

    def interrupt(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(EchoExecutor, "execute", interrupt)
    with pytest.raises(InterruptedRunError) as caught:
        run(pipeline, ["a"])
    assert caught.value.exit_code == 130
    # A Ctrl-C, not a failure: a script's `except Exception` around run() does not swallow it.
    assert isinstance(caught.value, KeyboardInterrupt)
    assert not isinstance(caught.value, Exception)
    (record,) = Store(pipeline.store_path).state.runs("a")
    assert (record.state, record.error) == ("FAILED", "interrupted (SIGINT)")
    assert states(pipeline) == {"a": "FAILED"}


def test_stale_running_record_shows_failed_and_a_new_run_replaces_it(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline("[a]\ntype = testmods.source\n")
    store = Store(pipeline.store_path)
    stale = store.state.start_run("a", pid=1)  # as if a killed process had started it
    store.partial_dir("a", stale).mkdir(parents=True)
    statuses = compute_statuses(pipeline, store)
    assert str(statuses["a"].state) == "FAILED"
    assert "stopped without recording an end" in statuses["a"].reasons[0]
    # While some process holds the lock, the same record reads as RUNNING.
    with store.lock("a"):
        assert str(compute_statuses(pipeline, store)["a"].state) == "RUNNING"
    assert run(pipeline, ["a"]).completed == ["a"]
    assert [r.state for r in store.state.runs("a")] == ["FAILED", "COMPLETE"]
    assert [p.name for p in store.module_dir("a").iterdir()] == [f"run-{stale + 1}"]


# ---- multistage modules ----


def test_run_multistage_name_runs_the_next_ready_stage_each_time(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    run(pipeline, ["raw"])
    for expected in ("ms:stage1", "ms:stage2", "ms:stage3"):
        assert run(pipeline, ["ms"]).completed == [expected]
    result = run(pipeline, ["ms"])
    assert result.completed == []
    assert result.exit_code == 0
    assert result.plan.notes == ["every stage of ms is complete: nothing to run"]
    assert executions() == ["raw", "ms:stage1", "ms:stage2", "ms:stage3"]


def test_run_multistage_with_no_stage_ready_says_what_each_waits_for(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    with pytest.raises(NotReadyError) as caught:
        run(pipeline, ["ms"])
    assert str(caught.value) == (
        "no stage of ms is ready to run:\n"
        "  ms:stage1 waits for input 'raw_data' from raw (UNEXECUTED)\n"
        "  ms:stage2 waits for input 'data' from ms:stage1 (UNEXECUTED)\n"
        "  ms:stage3 waits for input 'data' from ms:stage1 (UNEXECUTED)"
    )


def test_stages_can_run_out_of_order_when_their_inputs_allow(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    run(pipeline, ["raw", "ms:stage1"])
    assert run(pipeline, ["ms:stage3"]).completed == ["ms:stage3"]
    assert run(pipeline, ["ms"]).completed == ["ms:stage2"]  # the first incomplete ready stage


def test_run_multistage_name_skips_a_stage_named_in_the_same_command(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    run(pipeline, ["raw"])
    assert run(pipeline, ["ms:stage1", "ms"]).completed == ["ms:stage1", "ms:stage2"]


@pytest.mark.parametrize("names", [["ms2", "ms"], ["ms", "ms2"]])
def test_run_multistage_names_do_not_depend_on_their_order(make_pipeline: MakePipeline, names: list[str]) -> None:
    # ms2's first stage reads ms's first stage; its second stage is ready already, but is not its next stage
    pipeline = make_pipeline(
        "[raw]\ntype = testmods.source\n[ms]\ntype = testmods.seed.internal\n"
        "[ms2]\ntype = testmods.seed.separate\ninput_first_data = ms:stage1.corpus\n"
        "input_second_data = raw\ninput_data = raw\n"
    )
    run(pipeline, ["raw"])
    assert run(pipeline, names).completed == ["ms:stage1", "ms2:stage1"]


def test_run_multistage_name_given_twice_runs_one_stage(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    run(pipeline, ["raw"])
    assert run(pipeline, ["ms", "ms"]).completed == ["ms:stage1"]


def test_run_multistage_name_skips_a_stage_another_process_is_running(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    run(pipeline, ["raw", "ms:stage1"])
    store = Store(pipeline.store_path)
    store.state.start_run("ms:stage2", os.getpid())
    elsewhere = store.lock("ms:stage2")
    elsewhere.acquire()
    # Were stage2 chosen, the run would wait for its lock: let go after a while, so that such a run ends (wrongly).
    letting_go = threading.Timer(10, elsewhere.release)
    letting_go.start()
    try:
        assert run(pipeline, ["ms"]).completed == ["ms:stage3"]
        nothing = run(pipeline, ["ms"])
        assert (nothing.completed, nothing.exit_code) == ([], 0)
        assert nothing.plan.notes == ["no stage of ms is left to run: ms:stage2 running in another process"]
        named_too = run(pipeline, ["ms:stage1", "ms"])  # stage1 is complete: the note still says why ms runs nothing
        assert named_too.plan.notes == ["no stage of ms is left to run: ms:stage2 running in another process"]
    finally:
        letting_go.cancel()
        elsewhere.release()
    assert executions() == ["raw", "ms:stage1", "ms:stage3"]


def test_run_multistage_name_with_its_stages_named_adds_no_note(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    run(pipeline, ["raw", "ms:all"])
    again = run(pipeline, ["ms:all", "ms"], force=True)
    assert again.completed == ["ms:stage1", "ms:stage2", "ms:stage3"]
    assert again.plan.notes == []


def test_the_documents_separate_data_sources_example_loads_and_runs_stage2_without_stage1(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    # stage2 names only its raw_data connection: its required input 'data' becomes an input of the whole module.
    pipeline = make_pipeline(
        "[a]\ntype = testmods.source\n[b]\ntype = testmods.source\n[c]\ntype = testmods.source\n"
        "[ms]\ntype = testmods.seed.separate\ninput_first_data = a\ninput_second_data = b\ninput_data = c\n"
    )
    assert pipeline.instances["ms:stage1"].producers == ["a"]
    assert sorted(pipeline.instances["ms:stage2"].producers) == ["b", "c"]
    assert pipeline.instances["ms:stage3"].producers == ["ms:stage1"]
    run(pipeline, ["a", "b", "c"])
    assert run(pipeline, ["ms:stage2"]).completed == ["ms:stage2"]  # stage1 has not run: stage2 does not need it
    assert run(pipeline, ["ms"]).completed == ["ms:stage1"]
    assert run(pipeline, ["ms"]).completed == ["ms:stage3"]
    assert executions() == ["a", "b", "c", "ms:stage2", "ms:stage1", "ms:stage3"]


@pytest.mark.parametrize("suffix", ["all", "*"])
def test_run_all_stages_in_order(make_pipeline: MakePipeline, executions: Executions, suffix: str) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    assert run(pipeline, [f"ms:{suffix}", "raw"]).completed == ["raw", "ms:stage1", "ms:stage2", "ms:stage3"]


def test_several_stages_named_run_in_dependency_order(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    assert run(pipeline, ["ms:stage2", "raw", "ms:stage1"]).completed == ["raw", "ms:stage1", "ms:stage2"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ms:stage9", "; stages: 'stage1', 'stage2', 'stage3'"),
        ("ms:stag1", "has no stage 'stag1' (did you mean 'stage1'?)"),
        ("mss", "unknown module 'mss' (did you mean 'ms'?); modules: 'raw', 'ms', 'after'"),
        ("raw:x", "raw is not a multistage module"),
        ("raw.data", "give a module name, not an output"),
    ],
)
def test_unknown_names_are_usage_errors(make_pipeline: MakePipeline, name: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        run(make_pipeline(MULTISTAGE), [name])
    assert message in str(caught.value)
    assert caught.value.exit_code == 2


# ---- reset ----


def test_reset_forgets_a_module_and_everything_downstream(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    run(pipeline, run_all=True)
    assert plan_reset(pipeline, ["ms:stage1"]) == ["ms:stage1", "ms:stage2", "ms:stage3", "after"]
    assert plan_reset(pipeline, ["ms"], with_dependents=False) == ["ms:stage1", "ms:stage2", "ms:stage3"]
    reset(pipeline, plan_reset(pipeline, ["ms:stage2"]))
    assert states(pipeline) == {
        "raw": "COMPLETE",
        "ms:stage1": "COMPLETE",
        "ms:stage2": "UNEXECUTED",
        "ms:stage3": "COMPLETE",
        "after": "COMPLETE",  # it reads ms:stage3, which does not depend on stage2
    }
    store = Store(pipeline.store_path)
    assert not store.module_dir("ms:stage2").exists()
    assert store.state.runs("ms:stage2") == []
    assert len(store.state.runs("after")) == 1


def test_reset_without_dependents_leaves_them_outdated(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, run_all=True)
    reset(pipeline, plan_reset(pipeline, ["a"], with_dependents=False))
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert str(statuses["a"].state) == "UNEXECUTED"
    assert statuses["b"].reasons == ("upstream module a is UNEXECUTED",)


def test_folders_left_by_a_reset_that_stopped_half_way_are_deleted_by_the_next_run(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, ["a"])
    store = Store(pipeline.store_path)
    store.state.forget(["a"])  # a reset that stopped after forgetting the state, before deleting the folders
    (left,) = store.module_dir("a").iterdir()
    assert run(pipeline, ["a"]).completed == ["a"]
    record = store.state.record("a")
    assert record is not None
    assert [entry.name for entry in store.module_dir("a").iterdir()] == [f"run-{record.complete_run_id}"]
    assert not left.exists()


def test_a_reset_that_cannot_delete_a_folder_says_so_after_forgetting_the_state(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, ["a"])
    store = Store(pipeline.store_path)
    (folder,) = store.module_dir("a").iterdir()
    monkeypatch.setattr(shutil, "rmtree", lambda path, ignore_errors=False: None)  # as if permission were denied
    with pytest.raises(StoreError) as caught:
        reset(pipeline, plan_reset(pipeline, ["a"], with_dependents=False))
    assert str(caught.value) == f"forgot the state of a, but could not delete all of {folder}"
    assert store.state.record("a") is None
    assert folder.exists()
    monkeypatch.undo()
    assert run(pipeline, ["a"]).completed == ["a"]  # and the next run of a deletes it
    assert not folder.exists()


def test_reset_refuses_while_a_module_runs(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, run_all=True)
    with Store(pipeline.store_path).lock("b"), pytest.raises(Exception, match="another process is running it"):
        reset(pipeline, plan_reset(pipeline, ["a"]))
    assert set(states(pipeline).values()) == {"COMPLETE"}


def test_reset_holds_off_a_run_that_starts_a_module_that_never_ran(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A module not yet run has no folder; a run may make it and start the module while reset is deleting state,
    # which then deleted the run's record and its partial outputs under it.
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, ["a"])
    store = Store(pipeline.store_path)
    forget = StateDatabase.forget
    started: list[bool] = []

    def forget_while_a_run_starts(database: StateDatabase, names: list[str]) -> None:
        lock = store.lock("b")  # what a run starting b does first
        started.append(lock.acquire(blocking=False))
        lock.release()
        forget(database, names)

    monkeypatch.setattr(StateDatabase, "forget", forget_while_a_run_starts)
    reset(pipeline, plan_reset(pipeline, ["a"]))
    assert started == [False]
    assert not store.module_dir("b").exists()
    assert set(states(pipeline).values()) == {"UNEXECUTED"}


def test_reset_of_a_multistage_module_that_never_ran_leaves_no_folder(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(MULTISTAGE)
    run(pipeline, ["raw"])
    reset(pipeline, plan_reset(pipeline, ["raw"]))  # (locks, so makes, the folders of ms's stages; then deletes them)
    store = Store(pipeline.store_path)
    assert sorted(path.name for path in (store.path / "modules").iterdir()) == []


def test_a_run_that_ends_while_status_looks_is_not_shown_as_killed(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    # status reads every record first, then looks at the lock of each RUNNING one: a run may commit its end and let
    # its lock go in between. It was shown FAILED ("killed?"), and read_output refused it.
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, ["a"])
    store = Store(pipeline.store_path)
    run_id = store.state.start_run("a", pid=os.getpid())

    def ends_meanwhile(lock: object) -> bool:
        instance = pipeline.instances["a"]
        completion = Completion(instance.fingerprint, instance.fingerprint_parts, {})
        # (its outputs, published before its end is committed)
        (store.run_dir("a", run_id) / "data").mkdir(parents=True)
        store.state.complete_run("a", run_id, completion, None, "")
        return False

    monkeypatch.setattr(ModuleLock, "is_held_elsewhere", ends_meanwhile)
    status = compute_statuses(pipeline, store)["a"]
    assert (str(status.state), status.reasons) == ("COMPLETE", ())
    assert status.record is not None
    assert status.record.complete_run_id == run_id


def test_an_unusable_store_is_a_clear_error(make_config: Callable[..., Path], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    tests = Path(__file__).parent.parent
    path = make_config(
        f"[pipeline]\nname = p\nstore = {blocker}\npython_path = {tests}\n[a]\ntype = testmods.source\n", header=False
    )
    said = f"^cannot use the store {blocker}/p: {blocker} is a file, not a folder$"
    with pytest.raises(StoreError, match=said):
        run(load_pipeline(path), ["a"])
    with pytest.raises(StoreError, match=said):  # (status too: it showed every module UNEXECUTED)
        compute_statuses(load_pipeline(path), Store(load_pipeline(path).store_path))
    blocker.unlink()
    blocker.symlink_to(tmp_path / "gone")  # (mkdir said "File exists")
    said = f"^cannot use the store {blocker}/p: {blocker} is a symbolic link to {tmp_path}/gone, which is not there$"
    with pytest.raises(StoreError, match=said):
        run(load_pipeline(path), ["a"])


def test_a_multiple_input_reads_a_list_in_connection_order(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        "[x]\ntype = testmods.source\nvalue = 1\n[y]\ntype = testmods.source\nvalue = 2\n"
        "[g]\ntype = testmods.gather\ninput_parts = y, x\n"
    )
    run(pipeline, run_all=True)
    parts = output_of(pipeline, "g")["inputs"]["parts"]  # type: ignore[index]
    assert [part["options"]["value"] for part in parts] == ["2", "1"]


def test_an_outdated_producer_is_not_ready(make_config: Callable[..., Path]) -> None:
    path = make_config(CHAIN.format(value="one", label=""))
    run(load_pipeline(path), ["a"])
    path.write_text(path.read_text().replace("value = one", "value = two"))
    with pytest.raises(NotReadyError, match=r"cannot run b: input 'data' from a \(OUTDATED\) must complete first"):
        run(load_pipeline(path), ["b"])


# ---- data produced elsewhere: the type=<datatype> dir= form ----

EXTERNAL = """
[texts]
type = pimlico_lite.datatypes.TextCorpus
dir = corpus

[reader]
type = testmods.corpus_reader
"""


def test_data_made_elsewhere_is_complete_when_present_and_feeds_modules(
    make_config: Callable[..., Path], tmp_path: Path, executions: Executions
) -> None:
    from pimlico_lite.datatypes import TextCorpus

    path = make_config(EXTERNAL)
    pipeline = load_pipeline(path)
    assert states(pipeline) == {"texts": "UNEXECUTED", "reader": "UNEXECUTED"}
    assert compute_statuses(pipeline, Store(pipeline.store_path))["texts"].reasons == (
        f"no TextCorpus data at {tmp_path / 'corpus'}",
    )
    with pytest.raises(NotReadyError, match="input 'corpus' from texts"):
        run(pipeline, ["reader"])
    assert run(pipeline, ["texts"]).not_run == {
        "texts": f"its data is missing: no TextCorpus data at {tmp_path / 'corpus'}"
    }
    assert not (pipeline.store_path / "modules" / "texts").exists()  # (nothing of it is kept in the store)
    (tmp_path / "corpus").mkdir()
    TextCorpus().write(tmp_path / "corpus", [("one", "first text"), ("two", "second text")])
    assert states(pipeline) == {"texts": "COMPLETE", "reader": "UNEXECUTED"}
    result = run(pipeline, run_all=True)
    assert result.completed == ["reader"]
    assert result.skipped == {}
    corpus = output_of(pipeline, "reader")["inputs"]["corpus"]  # type: ignore[index]
    assert list(corpus) == [("one", "first text"), ("two", "second text")]


def test_new_data_makes_its_consumers_outdated(make_config: Callable[..., Path], tmp_path: Path) -> None:
    from pimlico_lite.datatypes import TextCorpus

    (tmp_path / "corpus").mkdir()
    TextCorpus().write(tmp_path / "corpus", ["a text"])
    pipeline = load_pipeline(make_config(EXTERNAL))
    run(pipeline, run_all=True)
    TextCorpus().write(tmp_path / "corpus", ["a longer, different text"])
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert statuses["reader"].reasons == ("upstream module texts has new data",)
    assert run(pipeline, ["texts"]).skipped == {"texts": "its data is already there (nothing to run)"}
    reset(pipeline, plan_reset(pipeline, ["texts"]))
    assert (tmp_path / "corpus" / "documents.jsonl").is_file()  # reset never deletes data made elsewhere


def test_a_datatype_form_needs_dir_and_an_unknown_datatype_is_an_error(make_config: Callable[..., Path]) -> None:
    from pimlico_lite.errors import ConfigError

    with pytest.raises(ConfigError, match="missing required option 'dir'"):
        load_pipeline(make_config("[texts]\ntype = pimlico_lite.datatypes.TextCorpus\n"))
    unknown = (
        "unknown module type 'pimlico_lite.datatypes.TextCorpos' (did you mean 'pimlico_lite.datatypes.TextCorpus'?)"
    )
    with pytest.raises(ConfigError, match=re.escape(unknown)):
        load_pipeline(make_config("[texts]\ntype = pimlico_lite.datatypes.TextCorpos\ndir = x\n"))


def test_a_run_refuses_to_write_through_a_symlink_out_of_the_store(make_pipeline: MakePipeline, tmp_path: Path) -> None:
    pipeline = make_pipeline("[a]\ntype = testmods.source\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (pipeline.store_path / "modules").mkdir(parents=True)
    (pipeline.store_path / "modules" / "a").symlink_to(outside)
    with pytest.raises(StoreError, match="leads outside the store"):
        run(pipeline, ["a"])
    assert list(outside.iterdir()) == []
    assert states(pipeline) == {"a": "UNEXECUTED"}


def test_a_producer_made_outdated_by_another_process_after_planning_is_not_read(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, ["a", "b"])

    class RerunAElsewhere(Recorder):
        def run_started(self, names: list[str]) -> None:
            super().run_started(names)
            run(load_pipeline(pipeline.config_path), ["a"], force=True)  # its own connection: "another process"

    result = run(pipeline, ["c"], reporter=RerunAElsewhere())
    assert result.not_run == {"c": "input from b is not ready (OUTDATED)"}
    assert executions() == ["a", "b", "a"]


def test_a_module_run_by_another_process_before_this_run_wrote_any_state_is_not_run_again(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))  # no state database when the plan is made

    class RunAElsewhere(Recorder):
        def run_started(self, names: list[str]) -> None:
            super().run_started(names)
            run(load_pipeline(pipeline.config_path), ["a"])  # its own connection: "another process"

    result = run(pipeline, run_all=True, reporter=RunAElsewhere())
    assert result.skipped == {"a": "completed by another run"}
    assert result.completed == ["b", "c", "lone"]
    assert executions() == ["a", "b", "c", "lone"]


def test_a_module_run_by_another_process_while_this_run_was_planning_is_not_run_again(
    make_pipeline: MakePipeline, executions: Executions, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))  # no state database when the plan is made
    prepare = Store.prepare
    elsewhere: list[str] = []

    def run_a_elsewhere_first(store: Store) -> None:
        if not elsewhere:
            elsewhere.append("running")
            monkeypatch.setattr(Store, "prepare", prepare)
            elsewhere[:] = run(load_pipeline(pipeline.config_path), ["a"]).completed  # its own connection
        prepare(store)

    monkeypatch.setattr(Store, "prepare", run_a_elsewhere_first)
    result = run(pipeline, run_all=True)
    assert elsewhere == ["a"]
    assert result.skipped == {"a": "completed by another run"}
    assert executions() == ["a", "b", "c", "lone"]


def test_a_first_run_looks_up_no_record_module_by_module(
    make_pipeline: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No state database when the plan is made: the run looks once at what was recorded since, not once per module.
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    lookups: list[list[str]] = []
    records_of = StateDatabase.records_of

    def counted(database: StateDatabase, names: list[str]) -> dict[str, ModuleRecord]:
        lookups.append(names)
        return records_of(database, names)

    monkeypatch.setattr(StateDatabase, "records_of", counted)
    assert run(pipeline, run_all=True).completed == ["a", "b", "c", "lone"]
    assert lookups == []
    assert states(pipeline) == dict.fromkeys(["a", "b", "c", "lone"], "COMPLETE")


def test_a_module_whose_input_is_being_run_elsewhere_waits_for_it(
    make_pipeline: MakePipeline, executions: Executions
) -> None:
    import threading

    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, ["a"])
    elsewhere = Store(pipeline.store_path).lock("a")  # another holder: as if another process re-ran a
    assert elsewhere.acquire(blocking=False)
    released = threading.Event()

    def release_later() -> None:
        released.set()
        elsewhere.release()

    timer = threading.Timer(0.3, release_later)
    timer.start()
    try:
        result = run(pipeline, ["b"])
    finally:
        timer.cancel()
        elsewhere.release()
    assert released.is_set()  # b started only once a was no longer held
    assert result.completed == ["b"]
    assert executions() == ["a", "b"]


def test_read_locks_hold_a_producer_once_for_all_its_readers_and_take_all_or_none(
    make_pipeline: MakePipeline,
) -> None:
    from pimlico_lite.execution.scheduler import _ReadLocks

    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    run(pipeline, ["a", "b"])
    store = Store(pipeline.store_path)
    locks = _ReadLocks(store)
    writer = store.lock("a")  # as another process that wants to re-run a
    assert locks.take(["a"])
    assert locks.take(["a"])
    assert len(locks.held) == 1
    assert not writer.acquire(blocking=False)
    locks.give_back(["a"])
    assert not writer.acquire(blocking=False)  # one reader is left
    locks.give_back(["a"])
    assert locks.held == {}
    assert writer.acquire(blocking=False)
    assert not locks.take(["b", "a"])  # a is being re-run: b is not kept either
    assert locks.held == {}
    other_writer = store.lock("b")
    assert other_writer.acquire(blocking=False)  # nothing holds b any more
    other_writer.release()
    writer.release()


class _FinishInterrupted(NullReporter):
    """Ctrl-C comes while the first module to end is reported: after the ends of its batch were committed."""

    def __init__(self) -> None:
        self.finished: list[str] = []

    def module_finished(self, name: str, seconds: float) -> None:
        self.finished.append(name)
        if len(self.finished) == 1:
            raise KeyboardInterrupt


class _RunsTwoAtOnce(InProcessExecutor):
    """Runs each job as it is submitted, two slots at a time: both outcomes come back from one wait()."""

    slots = 2


def test_an_interrupt_after_a_batch_of_ends_is_committed_keeps_them_complete(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(CHAIN.format(value="v", label=""))
    store = Store(pipeline.store_path)
    statuses = compute_statuses(pipeline, store)
    reporter = _FinishInterrupted()
    scheduler = Scheduler(pipeline, store, statuses, 0, reporter)
    store.prepare()
    with pytest.raises(InterruptedRunError):
        scheduler.run_plan(plan_run(pipeline, statuses, ["a", "lone"]), _RunsTwoAtOnce(NullReporter()), Interrupts())
    store.state.close()
    assert reporter.finished == ["a", "lone"]
    # lone's end was committed with a's, before the interrupt: it is not turned into an interrupted failure
    assert states(pipeline) == {"a": "COMPLETE", "b": "UNEXECUTED", "c": "UNEXECUTED", "lone": "COMPLETE"}
    assert [run.state for run in Store(pipeline.store_path).state.runs("lone")] == ["COMPLETE"]
    assert output_of(pipeline, "lone") is not None


def test_the_fingerprint_recorded_is_the_configs_even_if_the_module_changes_its_options(
    make_pipeline: MakePipeline,
) -> None:
    pipeline = make_pipeline("[a]\ntype = testmods.mutates_options\ncount = 3\n")
    assert run(pipeline, ["a"]).completed == ["a"]  # in this process (-j 1): its options dict is the pipeline's
    assert states(load_pipeline(pipeline.config_path)) == {"a": "COMPLETE"}


def test_a_module_that_changes_a_shared_default_option_changes_no_other_module(make_pipeline: MakePipeline) -> None:
    # Both sections leave `words` out: their options hold the module type's one default list.
    pipeline = make_pipeline("[a]\ntype = testmods.appends_option\n[b]\ntype = testmods.appends_option\n")
    assert run(pipeline, run_all=True).completed == ["a", "b"]  # in this process, one after the other
    assert output_of(pipeline, "a") == ["the", "a"]
    assert output_of(pipeline, "b") == ["the", "b"]
    assert pipeline.instances["b"].options["words"] == ["the"]
    assert states(load_pipeline(pipeline.config_path)) == {"a": "COMPLETE", "b": "COMPLETE"}


def test_options_that_cannot_be_copied_are_given_as_they_are_in_this_process(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline("[a]\ntype = testmods.lock_option\nlock = yes\n")
    assert run(pipeline, ["a"]).completed == ["a"]  # (a worker could not take it: it cannot be pickled either)
    assert output_of(pipeline, "a") == "locked"
