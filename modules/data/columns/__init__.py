"""Module type: keep (or drop) some feature columns of a data set."""
