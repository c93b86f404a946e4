"""Module type: split documents into word tokens."""
