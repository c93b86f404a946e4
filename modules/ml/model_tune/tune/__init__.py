"""Stage module type: tune a primitive's hyperparameters by cross-validation, then fit the best candidate."""
