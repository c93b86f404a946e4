"""Bundled module types: data sets (split, column selection, sampling)."""
