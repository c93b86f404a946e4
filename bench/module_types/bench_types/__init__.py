"""Module types for the benchmark suite: trivial work, so that only orchestration is timed."""
