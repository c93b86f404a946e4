"""The benchmark pipeline for doit: one task per step, with file dependencies and targets."""

from bench_work import STEPS, output_path, work


def task_step():
    """One task per step; doit runs the Python action in its own process (or in workers with -n)."""
    for name, step in STEPS.items():
        dependencies = [output_path(source) for source in step["inputs"]]
        yield {
            "name": name,
            "actions": [(work, [name])],
            "file_dep": dependencies,
            "targets": [output_path(name)],
        }
