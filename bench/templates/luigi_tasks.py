"""The benchmark pipeline for Luigi: one task per step, and a wrapper task that requires the final steps."""

import luigi
from bench_work import GRAPH, STEPS, output_path, work


class Step(luigi.Task):
    """One step, complete when its output file exists."""

    step = luigi.Parameter()

    def requires(self):
        """The steps this one reads."""
        return [Step(step=source) for source in STEPS[self.step]["inputs"]]

    def output(self):
        """The file this step writes."""
        return luigi.LocalTarget(output_path(self.step))

    def run(self):
        """Do the step's work."""
        work(self.step)


class All(luigi.WrapperTask):
    """Every step that no other step reads."""

    def requires(self):
        """The final steps."""
        return [Step(step=name) for name in GRAPH["finals"]]
