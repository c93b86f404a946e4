"""Stage module type: predict a test set with a fitted model and compute metrics."""
