"""Module type source: no input, writes a few bytes."""
