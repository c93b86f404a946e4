"""bench.floor: both loops run and leave what a run of pimlico_lite would leave in the state database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.floor import chain


@pytest.mark.parametrize("promises", [False, True])
def test_the_floor_loop_completes_every_module(tmp_path: Path, promises: bool) -> None:
    assert chain(5, tmp_path, promises=promises) > 0
    (store,) = tmp_path.iterdir()
    with sqlite3.connect(store / "state.sqlite") as database:
        rows = database.execute("SELECT name, state, fingerprint, upstream FROM module ORDER BY name").fetchall()
    assert [(name, state) for name, state, _, _ in rows] == [(f"s{index}", "COMPLETE") for index in range(5)]
    assert all(bool(fingerprint) == promises for _, _, fingerprint, _ in rows)
    assert rows[4][3] == ('{"s3": 4}' if promises else "{}")
    assert sorted(path.name for path in (store / "modules" / "s4").iterdir()) == ["run-5"]
