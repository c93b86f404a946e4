"""Stage module type: fit a chain of feature transforms on training data."""
