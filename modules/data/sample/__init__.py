"""Module type: a random sample of a data set's rows."""
