"""``python -m pimlico_lite``: the same as the ``pimlico-lite`` command."""

from pimlico_lite.cli import main

main(prog_name="pimlico-lite")
