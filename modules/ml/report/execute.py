"""Execute the report module type."""

import io
import json
from typing import Any

from pimlico_lite import BaseModuleExecutor


def summary_lines(metrics: dict[str, Any]) -> list[str]:
    """The summary table: every metric, then (for classification) every class's scores."""
    lines = [f"{'metric':<16} {'value':>8}"]
    lines += [f"{name:<16} {value:>8.4f}" for name, value in metrics["metrics"].items()]
    per_class = metrics.get("per_class", {})
    if per_class:
        width = max(8, *(len(name) for name in per_class))
        lines.append(f"{'class':<{width}} {'precision':>9} {'recall':>8} {'f1':>8} {'support':>8}")
        for name, scores in per_class.items():
            lines.append(
                f"{name:<{width}} {scores['precision']:>9.4f} {scores['recall']:>8.4f} {scores['f1']:>8.4f}"
                f" {scores['support']:>8d}"
            )
    return lines


def _literal(text: str) -> str:
    """``text`` as matplotlib draws it literally: a ``$`` would start its mathematical notation (``$5-$10`` drawn
    as "5 minus 10", an unmatched ``_`` a parse error that fails the report)."""
    return text.replace("$", r"\$")


def confusion_png(metrics: dict[str, Any], title: str, normalize: bool, dpi: int) -> bytes:
    """Draw the confusion matrix as a PNG, with the Agg backend (no display needed)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    matrix = np.array(metrics["confusion_matrix"], dtype=float)
    if normalize:
        totals = matrix.sum(axis=1, keepdims=True)
        matrix = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
    labels = [_literal(label) for label in metrics["labels"]]
    size = min(12.0, 3.0 + 0.45 * len(labels))
    figure = Figure(figsize=(size + 1.0, size), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    image = axes.imshow(matrix, cmap="Blues")
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
    is_long = max(map(len, labels)) > 3
    axes.set_xticks(range(len(labels)), labels, rotation=45 if is_long else 0, ha="right" if is_long else "center")
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    accuracy = metrics["metrics"]["accuracy"]
    axes.set_title(f"{_literal(title)}\naccuracy {accuracy:.3f} on {metrics['rows']} rows")
    if len(labels) <= 20:
        threshold = matrix.max() / 2 if matrix.size else 0
        for row in range(matrix.shape[0]):
            for column in range(matrix.shape[1]):
                value = matrix[row, column]
                text = f"{value:.2f}" if normalize else f"{int(value)}"
                color = "white" if value > threshold else "black"
                axes.text(column, row, text, ha="center", va="center", color=color, fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class ModuleExecutor(BaseModuleExecutor):
    """Write the files and log the table."""

    def execute(self) -> None:
        """Report."""
        metrics = self.read_input("metrics")
        lines = summary_lines(metrics)
        for line in lines:
            self.log.info(line)
        files: dict[str, bytes | str] = {
            "metrics.json": json.dumps(metrics, indent=2, sort_keys=True) + "\n",
            "summary.txt": "\n".join(lines) + "\n",
        }
        if metrics.get("task") == "classification":
            title = self.options["title"] or str(metrics.get("model", "")).rpartition(".")[2]
            files["confusion_matrix.png"] = confusion_png(
                metrics, title, self.options["normalize"], self.options["dpi"]
            )
        self.write_output("report", files)
