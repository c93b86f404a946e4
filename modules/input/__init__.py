"""Bundled module types: input."""
