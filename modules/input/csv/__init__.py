"""Module type: a CSV file as a numeric data set."""
