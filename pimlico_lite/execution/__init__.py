"""Choosing what to run, running it, and resetting it.

The names below are loaded on first use, so that ``status`` does not import the runner and its executors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pimlico_lite._lazy import lazy_names

if TYPE_CHECKING:
    from pimlico_lite.execution.planner import Plan, plan_run
    from pimlico_lite.execution.reporter import NullReporter, Reporter
    from pimlico_lite.execution.reset import plan_reset, reset
    from pimlico_lite.execution.runner import ExecutorChoice, RunResult, run
    from pimlico_lite.execution.status import ModuleStatus, State, compute_statuses

_LAZY = {
    "ExecutorChoice": ".runner",
    "ModuleStatus": ".status",
    "NullReporter": ".reporter",
    "Plan": ".planner",
    "Reporter": ".reporter",
    "RunResult": ".runner",
    "State": ".status",
    "compute_statuses": ".status",
    "plan_reset": ".reset",
    "plan_run": ".planner",
    "reset": ".reset",
    "run": ".runner",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "ExecutorChoice",
    "ModuleStatus",
    "NullReporter",
    "Plan",
    "Reporter",
    "RunResult",
    "State",
    "compute_statuses",
    "plan_reset",
    "plan_run",
    "reset",
    "run",
]
