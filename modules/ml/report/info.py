"""Declare the report module type."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import integer_at_least, str_to_bool
from pimlico_lite.datatypes import Files, Metrics


class ModuleInfo(BaseModuleInfo):
    """Write metrics as a report: ``metrics.json``, ``summary.txt``, and for classification ``confusion_matrix.png``.

    The summary table (each metric, then each class's scores) also goes to the log, one line per row, so ``run``
    shows it and ``log MODULE`` shows it again later.
    """

    module_type_name = "report"
    module_readable_name = "Metrics report"
    module_inputs = [("metrics", Metrics())]
    module_outputs = [("report", Files())]
    module_options = {
        "title": {"help": "The picture's title (default: the model's name)", "default": ""},
        "normalize": {
            "help": "Show each row of the confusion matrix as shares of the true class instead of counts",
            "type": str_to_bool,
            "default": False,
        },
        "dpi": {"help": "The picture's resolution, in dots per inch", "type": integer_at_least(1), "default": 100},
    }
