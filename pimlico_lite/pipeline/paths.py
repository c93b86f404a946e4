"""Where a pipeline's module types and store are looked for, beyond what its config says: the import path that its
``python_path`` extends, and the environment variable that moves its store.

Small and imported by both the loader and :mod:`pimlico_lite.pipeline.cache`, which must not import the loader.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

# Where the store is, if set: over the config's own setting (see pimlico_lite.pipeline.loader).
STORE_ENVIRONMENT_VARIABLE = "PIMLICO_LITE_STORE"


def extend_import_path(folders: Sequence[str]) -> None:
    """Put a pipeline's ``python_path`` folders at the front of the import path, in their order (the first is searched
    first, as in ``PYTHONPATH``); a folder that is on it already stays where it is."""
    for folder in reversed(folders):
        if folder not in sys.path:
            sys.path.insert(0, folder)
