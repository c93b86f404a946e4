"""Module type: a data set that ships with scikit-learn (nothing is downloaded)."""
