"""Module type (multistage): preprocess (fit feature transforms), train (fit an estimator), evaluate (test metrics)."""
