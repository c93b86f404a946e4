"""``python -m pimlico_lite``: the same as the ``pimlico-lite`` command."""

from pimlico_lite._entry import main

main()
