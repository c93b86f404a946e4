"""Module type: apply a function, named by its dotted path, to a data set's features."""
