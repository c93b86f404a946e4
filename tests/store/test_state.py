"""The state database: records, runs, and transactions that either happen whole or not at all."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
from pathlib import Path

import pytest

from pimlico_lite.errors import StoreError
from pimlico_lite.store import Completion, StateDatabase


@pytest.fixture
def database(tmp_path: Path) -> StateDatabase:
    return StateDatabase(tmp_path / "store" / "state.sqlite")


def test_reading_a_missing_database_creates_nothing(database: StateDatabase) -> None:
    assert database.records() == {}
    assert database.record("a") is None
    assert database.runs("a") == []
    assert not database.path.parent.exists()


def test_a_run_goes_from_running_to_complete_with_what_it_ran_with(database: StateDatabase) -> None:
    run_id = database.start_run("a", pid=123)
    record = database.record("a")
    assert record is not None
    assert (record.state, record.run_id, record.complete_run_id) == ("RUNNING", run_id, None)
    completion = Completion("f1", {"type": "t", "options": {"x": "1"}, "inputs": {}}, {"up": 7})
    database.complete_run("a", run_id, completion, peak_memory_kb=2048, log="hello\n")
    record = database.record("a")
    assert record is not None
    assert (record.state, record.complete_run_id, record.fingerprint) == ("COMPLETE", run_id, "f1")
    assert record.fingerprint_parts == completion.fingerprint_parts
    assert record.upstream == {"up": 7}
    (run,) = database.runs("a")
    assert (run.state, run.pid, run.peak_memory_kb, run.log) == ("COMPLETE", 123, 2048, "hello\n")
    assert run.host == socket.gethostname()
    assert run.duration is not None
    assert run.duration >= 0


def test_a_failed_rerun_keeps_the_previous_complete_run_id(database: StateDatabase) -> None:
    first = database.start_run("a", pid=1)
    database.complete_run("a", first, Completion("f", {}, {}), None, "")
    second = database.start_run("a", pid=1)
    database.fail_run("a", second, "ValueError: no", "Traceback...", None, "")
    record = database.record("a")
    assert record is not None
    assert (record.state, record.run_id, record.complete_run_id) == ("FAILED", second, first)
    assert [run.state for run in database.runs("a")] == ["COMPLETE", "FAILED"]


def test_starting_a_run_closes_runs_left_running_by_a_dead_process(database: StateDatabase) -> None:
    database.start_run("a", pid=1)
    database.start_run("a", pid=2)
    first, second = database.runs("a")
    assert first.state == "FAILED"
    assert "stopped without recording an end" in (first.error or "")
    assert second.state == "RUNNING"


def test_a_transaction_that_raises_changes_nothing(database: StateDatabase) -> None:
    database.start_run("a", pid=1)

    def delete_then_fail() -> None:
        with database.transaction() as connection:
            connection.execute("DELETE FROM module")
            message = "boom"
            raise RuntimeError(message)

    with pytest.raises(RuntimeError, match="boom"):
        delete_then_fail()
    assert database.record("a") is not None


def test_forget_deletes_state_and_history(database: StateDatabase) -> None:
    database.start_run("a", pid=1)
    database.start_run("b", pid=1)
    database.forget(["a"])
    assert set(database.records()) == {"b"}
    assert database.runs("a") == []


def test_transactions_inside_one_are_one_commit_seen_whole_or_not_at_all(database: StateDatabase) -> None:
    completion = Completion("f", {}, {})
    other = StateDatabase(database.path)  # another process's view
    with database.transaction():
        first = database.start_run("a", pid=1)
        second = database.start_run("b", pid=1)
        database.complete_run("a", first, completion, None, "")
        assert other.records() == {}  # nothing is visible before the outer transaction ends
    assert {name: record.state for name, record in other.records().items()} == {"a": "COMPLETE", "b": "RUNNING"}

    def complete_b_then_fail() -> None:
        with database.transaction():
            database.complete_run("b", second, completion, None, "")
            raise RuntimeError  # a failure inside the outer transaction undoes all of it

    with pytest.raises(RuntimeError):
        complete_b_then_fail()
    record = database.record("b")
    assert record is not None
    assert record.state == "RUNNING"


@pytest.mark.parametrize(
    "schema",
    [
        "CREATE TABLE module (name TEXT PRIMARY KEY, state TEXT); INSERT INTO module VALUES ('a', 'COMPLETE');",
        "CREATE TABLE foo (x INTEGER);",
    ],
    ids=["another-version", "another-program"],
)
def test_a_database_of_another_schema_is_a_store_error_and_is_left_as_it_is(tmp_path: Path, schema: str) -> None:
    path = tmp_path / "state.sqlite"
    with sqlite3.connect(path) as other:
        other.executescript(schema)
    other.close()
    before = path.read_bytes()
    with pytest.raises(
        StoreError, match=r"is not a pimlico_lite state database, or one of another version \(its tables:"
    ):
        StateDatabase(path).records()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.sqlite"]


def test_a_database_with_the_tables_of_this_version_opens(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    StateDatabase(path).start_run("a", 1)
    again = StateDatabase(path)
    assert again.record("a") is not None


class _InterruptedAfterBegin(sqlite3.Connection):
    """A connection on which a signal's exception (Ctrl-C) comes just after BEGIN IMMEDIATE returns."""

    def execute(self, sql: str, *parameters: object) -> sqlite3.Cursor:
        cursor = super().execute(sql, *parameters)
        if sql == "BEGIN IMMEDIATE":
            raise KeyboardInterrupt
        return cursor


def test_an_interrupt_just_after_begin_leaves_no_transaction_open(database: StateDatabase) -> None:
    database.start_run("a", pid=1)
    database.close()
    database._connection = sqlite3.connect(database.path, isolation_level=None, factory=_InterruptedAfterBegin)
    with pytest.raises(KeyboardInterrupt), database.transaction():
        pass
    assert not database._connection.in_transaction
    database._connection = sqlite3.connect(database.path, isolation_level=None)
    (run,) = database.runs("a")
    database.fail_run("a", run.id, "interrupted (SIGINT)", "", None, "")
    with sqlite3.connect(database.path) as other:  # committed: another connection sees it
        assert other.execute("SELECT state, error FROM run").fetchall() == [("FAILED", "interrupted (SIGINT)")]


def test_failing_a_run_whose_end_is_recorded_changes_nothing(database: StateDatabase) -> None:
    run_id = database.start_run("a", pid=1)
    database.complete_run("a", run_id, Completion("f", {}, {}), None, "its log")
    assert database.fail_run("a", run_id, "interrupted (SIGTERM)", "", None, "") is False
    record = database.record("a")
    assert record is not None
    assert (record.state, record.complete_run_id) == ("COMPLETE", run_id)
    (run,) = database.runs("a")
    assert (run.state, run.error, run.log) == ("COMPLETE", None, "its log")
    second = database.start_run("a", pid=1)
    assert database.fail_run("a", second, "ValueError: no", "", None, "") is True


def test_a_transaction_left_open_is_rolled_back_and_later_writes_are_committed(database: StateDatabase) -> None:
    run_id = database.start_run("a", pid=1)
    connection = database.connect()
    connection.execute("BEGIN IMMEDIATE")  # as a second Ctrl-C during the first one's rollback would leave it
    connection.execute("DELETE FROM run")
    database.roll_back()
    assert database.fail_run("a", run_id, "interrupted (SIGINT)", "", None, "") is True
    with sqlite3.connect(database.path) as other:
        assert other.execute("SELECT state FROM run").fetchall() == [("FAILED",)]
    database.roll_back()  # nothing open: nothing happens


def test_a_damaged_database_is_a_store_error_for_reading_and_writing(database: StateDatabase) -> None:
    for number in range(20):
        run_id = database.start_run(f"m{number}", pid=1)
        database.complete_run(f"m{number}", run_id, Completion("f", {}, {}), None, "x" * 500)
    database.close()
    with sqlite3.connect(database.path) as connection:  # everything into the main file, then damage a page
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with database.path.open("r+b") as file:  # pages 2 and 4: the roots of the tables module and run
        for page in (2, 4):
            file.seek(4096 * (page - 1))
            file.write(b"\x0d\x00\x00\xff\xff" * 800)
    damaged = StateDatabase(database.path)
    for use in (damaged.records, lambda: damaged.runs("m1"), lambda: damaged.start_run("m0", pid=1)):
        with pytest.raises(StoreError) as raised:
            use()
        assert str(raised.value) == (
            f"the state database {database.path} cannot be used: database disk image is malformed"
        )


def test_a_database_in_a_folder_that_cannot_be_written_is_read(
    database: StateDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (a store on a read-only file system, or another user's: status and log only read)
    run_id = database.start_run("a", pid=1)
    database.complete_run("a", run_id, Completion("f", {}, {}), None, "done\n")
    database.close()
    writable = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if Path(path) == database.path.parent else writable(path, mode)
    )
    reader = StateDatabase(database.path)
    assert {name: record.state for name, record in reader.records().items()} == {"a": "COMPLETE"}
    assert reader.runs("a")[0].log == "done\n"
    with pytest.raises(StoreError, match="cannot be used: attempt to write a readonly database"):
        reader.start_run("b", pid=1)


def test_a_new_database_takes_the_permissions_the_umask_leaves(database: StateDatabase) -> None:
    # A store shared by a group (umask 002): SQLite made its files 0644 whatever the umask, and the group's other
    # members could not run anything.
    old = os.umask(0o002)
    try:
        database.start_run("a", pid=1)
    finally:
        os.umask(old)
    assert stat.S_IMODE(database.path.stat().st_mode) == 0o664
    assert stat.S_IMODE(database.path.with_name("state.sqlite-wal").stat().st_mode) == 0o664


def test_a_store_this_user_may_not_look_into_is_a_store_error(
    database: StateDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (a colleague's store, made with umask 077: it was a PermissionError's traceback)
    original = os.stat

    def refused(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if Path(str(path)) == database.path:
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", refused)
    with pytest.raises(StoreError, match=f"^cannot read the state database {database.path}: Permission denied$"):
        database.records()


def test_wal_mode_is_set_again_while_another_process_holds_a_new_database() -> None:
    # Several runs opening a new store at once: SQLite refuses the change of journal mode at once ("database is
    # locked") rather than waiting as for a write; one of them failed to start.
    from pimlico_lite.store.state import _write_ahead

    class Opening:
        def __init__(self) -> None:
            self.refusals = 3
            self.statements: list[str] = []

        def execute(self, statement: str) -> Opening:
            self.statements.append(statement)
            if statement == "PRAGMA journal_mode=WAL" and self.refusals:
                self.refusals -= 1
                message = "database is locked"
                raise sqlite3.OperationalError(message)
            return self

        def fetchone(self) -> tuple[str]:
            return ("delete",)

    opening = Opening()
    _write_ahead(opening)  # type: ignore[arg-type]
    assert opening.statements == ["PRAGMA journal_mode", *["PRAGMA journal_mode=WAL"] * 4]
