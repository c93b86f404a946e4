"""Execute the metrics module type."""

from pimlico_lite.modules.ml.evaluation import compute_metrics

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Compute and write the metrics."""

    def execute(self) -> None:
        """Score."""
        metrics = compute_metrics(self.read_input("data"))
        self.write_output("metrics", metrics)
        self.log.info(", ".join(f"{name} {value:.4f}" for name, value in metrics["metrics"].items()))
