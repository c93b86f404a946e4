"""Module type: a JSON-lines file of records as a numeric data set."""
