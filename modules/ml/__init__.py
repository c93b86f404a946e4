"""Bundled module types: machine learning (primitives, model training, evaluation, reports)."""
