"""Module type: a report of metrics: JSON, a confusion-matrix picture, and a summary table in the log."""
