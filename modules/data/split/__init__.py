"""Module type: split a data set into train and test sets."""
