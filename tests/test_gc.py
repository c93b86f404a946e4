"""The garbage collector is paused around the functions that build many objects, and only there."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest

from pimlico_lite import compute_statuses, load_pipeline
from pimlico_lite._gc import gc_paused
from pimlico_lite.store import Store


@gc_paused
def collector_state(fail: bool = False) -> bool:
    if fail:
        message = "boom"
        raise RuntimeError(message)
    return gc.isenabled()


def test_the_collector_is_paused_during_the_call_and_running_again_after_it() -> None:
    assert gc.isenabled()
    assert collector_state() is False
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="boom"):
        collector_state(fail=True)
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled() -> None:
    gc.disable()
    try:
        assert collector_state() is False
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_loading_a_pipeline_and_computing_its_states_set_off_no_collection(make_config: Callable[..., Path]) -> None:
    steps = "".join(f"[m{i}]\ntype = testmods.step\n" for i in range(1, 500))
    config = make_config("[m0]\ntype = testmods.source\n" + steps)
    collections: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(note)
    try:
        pipeline = load_pipeline(config)
        assert not collections  # (a comparison with [] would allocate, and could set one off here)
        store = Store(pipeline.store_path)  # the first allocation after it sets off the collection held back
        gc.collect()
        del collections[:]
        compute_statuses(pipeline, store)
        assert not collections
    finally:
        gc.callbacks.remove(note)
