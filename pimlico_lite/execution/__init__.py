"""Choosing what to run, running it, and resetting it."""

from pimlico_lite.execution.planner import Plan, plan_run
from pimlico_lite.execution.reporter import NullReporter, Reporter
from pimlico_lite.execution.reset import plan_reset, reset
from pimlico_lite.execution.runner import RunResult, run
from pimlico_lite.execution.status import ModuleStatus, State, compute_statuses

__all__ = [
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
