"""The benchmark suite: pimlico_lite's own cost against doit, Luigi, Snakemake and DVC.

``python -m bench`` (or ``bench/run``) installs the peers into their own virtual environment, generates equivalent
pipelines for every tool, times each case several times with the tools alternating, and writes raw JSON and a
markdown report to ``bench/results/``. See ``docs/benchmarks.md``.
"""
