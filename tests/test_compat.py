"""The stand-ins in pimlico_lite._compat behave as the standard library's versions do."""

from __future__ import annotations

from pimlico_lite._compat import cached_property


class Counted:
    def __init__(self, base: int) -> None:
        self.base = base
        self.calls = 0

    @cached_property
    def doubled(self) -> int:
        """Twice the base."""
        self.calls += 1
        return self.base * 2


def test_cached_property_computes_once_per_instance_and_keeps_each_instances_value() -> None:
    first, second = Counted(1), Counted(5)
    assert (first.doubled, first.doubled, second.doubled) == (2, 2, 10)
    assert (first.calls, second.calls) == (1, 1)
    assert first.__dict__["doubled"] == 2


def test_cached_property_can_be_overwritten_or_deleted_to_compute_again() -> None:
    counted = Counted(3)
    counted.doubled = 7
    assert counted.doubled == 7
    del counted.doubled
    assert counted.doubled == 6
    assert counted.calls == 1


def test_cached_property_on_the_class_is_the_descriptor_with_the_functions_doc() -> None:
    assert Counted.__dict__["doubled"] is Counted.doubled
    assert Counted.doubled.__doc__ == "Twice the base."
