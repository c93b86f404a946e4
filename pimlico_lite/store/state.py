"""The state database: each module instance's state and its run history, in SQLite.

Every state change is one transaction, so a crash never leaves a half-written record. WAL mode with
``synchronous=NORMAL`` keeps commits cheap (no fsync per commit) while staying consistent after a killed process.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from pimlico_lite.errors import StoreError

RUNNING = "RUNNING"
COMPLETE = "COMPLETE"
FAILED = "FAILED"
# More names than this are looked up by reading every record (SQLite limits the parameters of one query).
_MOST_PARAMETERS = 500
# Decodes the upstream versions of a record, JSON that json.dumps wrote: raw_decode skips the checks for text from
# elsewhere that json.loads makes (surrounding whitespace, a byte-order mark), which cost more than the decoding.
_JSON = json.JSONDecoder()
# How long a process waits for another's write to the state database.
_WAIT_SECONDS = 60
# How often a read-only store's database is tried while a writer elsewhere holds its log (a second in all).
_READ_ONLY_TRIES = 20
STALE_RUN_ERROR = "interrupted: the process running it stopped without recording an end (killed?)"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS module (
    name TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    complete_run_id INTEGER,
    fingerprint TEXT,
    fingerprint_parts TEXT,
    upstream TEXT
);
CREATE TABLE IF NOT EXISTS run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    module TEXT NOT NULL,
    state TEXT NOT NULL,
    started REAL NOT NULL,
    finished REAL,
    pid INTEGER,
    host TEXT,
    error TEXT,
    traceback TEXT,
    peak_memory_kb INTEGER,
    log TEXT
);
CREATE INDEX IF NOT EXISTS run_by_module ON run (module);
"""


def _tables(connection: sqlite3.Connection) -> dict[str, set[str]]:
    """Each table of the database (but SQLite's own) with its columns."""
    tables: dict[str, set[str]] = {}
    for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        tables[table] = {column for (column,) in connection.execute("SELECT name FROM pragma_table_info(?)", (table,))}
    tables.pop("sqlite_sequence", None)
    return tables


@functools.cache
def _schema_tables() -> dict[str, set[str]]:
    """The tables and columns that _SCHEMA makes, as SQLite reads it."""
    with contextlib.closing(sqlite3.connect(":memory:")) as connection:
        connection.executescript(_SCHEMA)
        return _tables(connection)


def _foreign_tables(tables: dict[str, set[str]]) -> str | None:
    """None when a database of ``tables`` is new or has pimlico_lite's tables; otherwise what tables it has, for a
    message."""
    if not tables or all(columns <= tables.get(table, set()) for table, columns in _schema_tables().items()):
        return None
    return ", ".join(f"{table} ({', '.join(sorted(columns))})" for table, columns in tables.items())


def _write_ahead(connection: sqlite3.Connection) -> None:
    """Put the database in WAL mode (once: the mode is kept in the file). Changing the mode needs the database to
    itself, and SQLite does not wait for it as it waits for a write: several processes opening a new store at once
    try again, for as long as they would wait for a write."""
    if connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + _WAIT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class ModuleRecord(NamedTuple):
    """What the database says about one module instance."""

    name: str
    state: str
    run_id: int
    complete_run_id: int | None
    fingerprint: str | None
    # JSON of what the fingerprint was made from; decoded only to explain a changed fingerprint
    fingerprint_json: str | None
    # producer -> the version of its outputs this module read: a run id, or a signature of data outside the store
    upstream: dict[str, int | str]

    @property
    def fingerprint_parts(self) -> dict[str, Any]:
        """What the module ran with: its type, options and input connections."""
        return json.loads(self.fingerprint_json) if self.fingerprint_json else {}


class RunRecord(NamedTuple):
    """One run of one module instance."""

    id: int
    module: str
    state: str
    started: float
    finished: float | None
    pid: int | None
    host: str | None
    error: str | None
    traceback: str | None
    peak_memory_kb: int | None
    log: str | None

    @property
    def duration(self) -> float | None:
        """Seconds from start to finish, if it finished."""
        return None if self.finished is None else self.finished - self.started


class Completion(NamedTuple):
    """What is recorded when a module completes: what it ran with, and which upstream runs it read."""

    fingerprint: str
    fingerprint_parts: dict[str, Any]
    upstream: dict[str, int | str]


class StateDatabase:
    """Module states and run records of one pipeline's store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    @property
    def exists(self) -> bool:
        """Whether the database file has been created (by a first run); once connected, it is. A store this user may
        not look into is an error (a colleague's, made with umask 077), not a store with nothing in it."""
        if self._connection is not None:
            return True
        try:
            os.stat(self.path)
        except FileNotFoundError:
            return False
        except NotADirectoryError:  # (a file where the store's folder should be: nothing in it can be read)
            from pimlico_lite.store.layout import what_blocks

            message = f"cannot use the store {self.path.parent}: {what_blocks(self.path.parent) or 'not a folder'}"
            raise StoreError(message) from None
        except PermissionError as error:  # (another OSError, a name too long say, is the command's to report)
            message = f"cannot read the state database {self.path}: {error.strerror}"
            raise StoreError(message) from None
        return True

    def connect(self) -> sqlite3.Connection:
        """Open (creating if needed) the database."""
        if self._connection is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                read_only = self.exists and not os.access(self.path.parent, os.W_OK)
                if read_only:
                    connection = self._read_only()
                else:
                    # Made here first, with the permissions the umask leaves (SQLite makes its files 0644 whatever
                    # the umask, so a store shared by a group's umask 002 could not be written by the others); its
                    # write-ahead log and shared memory then take the same permissions from it.
                    with contextlib.suppress(FileExistsError):
                        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                    connection = sqlite3.connect(self.path, timeout=_WAIT_SECONDS, isolation_level=None)
                tables = _tables(connection)
                foreign = _foreign_tables(tables)
                if foreign is None and not read_only:
                    _write_ahead(connection)
                    connection.execute("PRAGMA synchronous=NORMAL")
                    if not tables:
                        # One transaction: another process opening the database meanwhile sees no tables or all of
                        # them (seeing the first table alone, it took the database for one of another version).
                        # Only for a new database: opening one (for status, say) takes no write lock.
                        connection.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}COMMIT;")
            except (OSError, sqlite3.Error) as error:
                message = f"cannot open the state database {self.path}: {error}"
                raise StoreError(message) from None
            if foreign is not None:
                connection.close()
                message = (
                    f"{self.path} is not a pimlico_lite state database, or one of another version (its tables:"
                    f" {foreign}); it was left as it is: move it away, or give the pipeline another store"
                )
                raise StoreError(message)
            self._connection = connection
        return self._connection

    def _read_only(self) -> sqlite3.Connection:
        """The database of a store on a read-only file system (results shared read-only, a mounted archive), or in a
        folder this user may not write: for status, log and read_output. Where SQLite cannot make the files of its
        WAL, it reads the file as it stands (``immutable``: nobody can change it there). A command that writes fails
        with a StoreError that says the database is read-only."""
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        log = Path(f"{self.path}-wal")
        for _ in range(_READ_ONLY_TRIES):
            connection = sqlite3.connect(uri, uri=True, isolation_level=None)
            try:
                connection.execute("SELECT 1 FROM sqlite_master").fetchall()
            except sqlite3.OperationalError as error:
                connection.close()
                if not (log.exists() and log.stat().st_size):
                    # The files of a WAL are not there, and cannot be made: the file holds everything committed.
                    return sqlite3.connect(f"{uri}&immutable=1", uri=True, isolation_level=None)
                problem = error  # (a writer elsewhere may be recovering the log: try again)
                time.sleep(0.05)
            else:
                return connection
        # Changes committed to the log that SQLite cannot read here: reading the file alone would show an older state.
        message = (
            f"its write-ahead log {log.name} cannot be read here ({problem}): open the store where it can be written"
        )
        raise sqlite3.OperationalError(message)

    def close(self) -> None:
        """Close the connection, if open."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that writers queue rather than deadlock.

        Inside another one, it is part of that one: the changes of several modules recorded inside one
        ``transaction()`` block are one commit, and other processes see none of them before it.
        """
        connection = self.connect()
        if connection.in_transaction:
            yield connection
            return
        # BEGIN and COMMIT are inside the try: a signal's exception (Ctrl-C, SIGTERM) can come at any bytecode, just
        # after either, and a transaction left open would swallow every later write of this connection.
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield connection
            connection.execute("COMMIT")
        except BaseException as error:
            if connection.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):  # a full disk, a damaged file: the store's error, not a traceback
                raise self._error(error) from error
            raise

    def _select(self, query: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of a query; StoreError, saying what is wrong, if the database cannot answer it."""
        try:
            return self.connect().execute(query, parameters).fetchall()
        except sqlite3.Error as error:
            raise self._error(error) from error

    def _error(self, error: sqlite3.Error) -> StoreError:
        return StoreError(f"the state database {self.path} cannot be used: {error}")

    def roll_back(self) -> None:
        """Roll back a transaction left open: a second Ctrl-C can come while the first one's is being rolled back."""
        if self._connection is not None and self._connection.in_transaction:
            self._connection.execute("ROLLBACK")

    def records(self, names: Iterable[str] | None = None) -> dict[str, ModuleRecord]:
        """The records of ``names`` (default: every module instance that has one)."""
        if not self.exists:
            return {}
        query = "SELECT * FROM module"
        rows = self._select(query)
        wanted = None if names is None else set(names)
        return {row[0]: _module_record(row) for row in rows if wanted is None or row[0] in wanted}

    def record(self, name: str) -> ModuleRecord | None:
        """The record of one module instance, or None if it never ran (or was reset)."""
        if not self.exists:
            return None
        rows = self._select("SELECT * FROM module WHERE name = ?", (name,))
        return _module_record(rows[0]) if rows else None

    def data_version(self) -> int:
        """A number that changes whenever another connection commits a change (SQLite's ``data_version``); 0 while
        there is no database."""
        if not self.exists:
            return 0
        return int(self._select("PRAGMA data_version")[0][0])

    def records_of(self, names: list[str]) -> dict[str, ModuleRecord]:
        """The records of ``names`` that exist, in one query."""
        if not self.exists:
            return {}
        if len(names) > _MOST_PARAMETERS:
            return self.records(names)
        marks = ",".join("?" * len(names))
        rows = self._select(f"SELECT * FROM module WHERE name IN ({marks})", names)
        return {row[0]: _module_record(row) for row in rows}

    def start_run(self, name: str, pid: int, close_stale: bool = True, stale_log: str = "") -> int:
        """Record that ``name`` starts running; return the new run's id.

        The caller holds the module's lock, so a run of ``name`` still marked RUNNING belongs to a dead process:
        with ``close_stale`` (the caller saw a RUNNING record) it is marked FAILED, with ``stale_log`` as its log
        (what its log file holds).
        """
        with self.transaction() as connection:
            if close_stale:
                connection.execute(
                    "UPDATE run SET state = ?, error = ?, log = COALESCE(log, NULLIF(?, ''))"
                    " WHERE module = ? AND state = ?",
                    (FAILED, STALE_RUN_ERROR, stale_log, name, RUNNING),
                )
            cursor = connection.execute(
                "INSERT INTO run (module, state, started, pid, host) VALUES (?, ?, ?, ?, ?)",
                (name, RUNNING, time.time(), pid, _host_name()),
            )
            run_id = int(cursor.lastrowid or 0)
            connection.execute(
                "INSERT INTO module (name, state, run_id) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET state = excluded.state, run_id = excluded.run_id",
                (name, RUNNING, run_id),
            )
        return run_id

    def complete_run(
        self,
        name: str,
        run_id: int,
        completion: Completion,
        peak_memory_kb: int | None,
        log: str,
        ran: tuple[float, float] | None = None,
    ) -> ModuleRecord:
        """Record that run ``run_id`` of ``name`` completed (its outputs become the current ones); return the record.

        ``ran``: when the module started and finished running, if later than the start recorded (a job that waited
        in a worker's queue); else it finished now.
        """
        parts = json.dumps(completion.fingerprint_parts)
        started, finished = ran or (None, time.time())
        with self.transaction() as connection:
            connection.execute(
                "UPDATE run SET state = ?, started = COALESCE(?, started), finished = ?, peak_memory_kb = ?, log = ?"
                " WHERE id = ?",
                (COMPLETE, started, finished, peak_memory_kb, log, run_id),
            )
            connection.execute(
                "UPDATE module SET state = ?, complete_run_id = ?, fingerprint = ?, fingerprint_parts = ?,"
                " upstream = ? WHERE name = ?",
                (
                    COMPLETE,
                    run_id,
                    completion.fingerprint,
                    parts,
                    json.dumps(completion.upstream),
                    name,
                ),
            )
        return ModuleRecord(name, COMPLETE, run_id, run_id, completion.fingerprint, parts, completion.upstream)

    def fail_run(
        self,
        name: str,
        run_id: int,
        error: str,
        traceback: str,
        peak_memory_kb: int | None,
        log: str,
        ran: tuple[float, float] | None = None,
        keep_complete: bool = False,
    ) -> bool:
        """Record that run ``run_id`` of ``name`` failed (``ran`` as for :meth:`complete_run`), if it is still RUNNING;
        say whether it was. A run whose end is recorded keeps it: an interrupt that stops every running module can
        come after a module's end was committed and before the runner knew. With ``keep_complete``, a module that
        has a complete run is left as that run left it (COMPLETE, that run its last), and only the run is FAILED."""
        started, finished = ran or (None, time.time())
        with self.transaction() as connection:
            cursor = connection.execute(
                "UPDATE run SET state = ?, started = COALESCE(?, started), finished = ?, error = ?, traceback = ?,"
                " peak_memory_kb = ?, log = ? WHERE id = ? AND state = ?",
                (FAILED, started, finished, error, traceback, peak_memory_kb, log, run_id, RUNNING),
            )
            if cursor.rowcount == 0:
                return False
            if keep_complete:
                connection.execute(
                    "UPDATE module SET state = ?, run_id = complete_run_id"
                    " WHERE name = ? AND run_id = ? AND complete_run_id IS NOT NULL",
                    (COMPLETE, name, run_id),
                )
            connection.execute("UPDATE module SET state = ? WHERE name = ? AND run_id = ?", (FAILED, name, run_id))
        return True

    def last_runs(self) -> dict[str, RunRecord]:
        """The latest run of every module instance that has a record, in one query."""
        if not self.exists:
            return {}
        rows = self._select("SELECT run.* FROM run JOIN module ON run.id = module.run_id")
        return {row[1]: RunRecord(*row) for row in rows}

    def runs(self, name: str) -> list[RunRecord]:
        """Every run of ``name``, oldest first."""
        if not self.exists:
            return []
        rows = self._select("SELECT * FROM run WHERE module = ? ORDER BY id", (name,))
        return [RunRecord(*row) for row in rows]

    def run(self, run_id: int) -> RunRecord | None:
        """One run record by id."""
        if not self.exists:
            return None
        rows = self._select("SELECT * FROM run WHERE id = ?", (run_id,))
        return RunRecord(*rows[0]) if rows else None

    def forget(self, names: Iterable[str]) -> None:
        """Delete the state and run history of ``names``, in one transaction."""
        if not self.exists:
            return
        names = list(names)
        with self.transaction() as connection:
            connection.executemany("DELETE FROM module WHERE name = ?", [(name,) for name in names])
            connection.executemany("DELETE FROM run WHERE module = ?", [(name,) for name in names])


@functools.cache
def _host_name() -> str:
    # What socket.gethostname() returns on POSIX systems, without importing socket (a few milliseconds per run).
    return os.uname().nodename


def _module_record(row: tuple[Any, ...]) -> ModuleRecord:
    name, state, run_id, complete_run_id, fingerprint, parts, upstream = row
    return ModuleRecord(
        name, state, run_id, complete_run_id, fingerprint, parts, _JSON.raw_decode(upstream)[0] if upstream else {}
    )
