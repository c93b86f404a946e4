"""Module type: the docstrings of standard-library modules, as a text corpus."""
