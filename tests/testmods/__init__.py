"""Module types used by the tests (put on the import path with ``python_path`` in test configs)."""
