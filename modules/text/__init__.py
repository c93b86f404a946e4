"""Bundled module types: text."""
