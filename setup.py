"""Package the bundled module library (the top-level ``modules/`` folder) as ``pimlico_lite.modules``.

pyproject.toml cannot list packages found under a remapped folder, so this file only computes that list.
"""

from setuptools import find_packages, setup

bundled = ["pimlico_lite.modules", *(f"pimlico_lite.modules.{name}" for name in find_packages("modules"))]
setup(
    packages=[*find_packages(include=["pimlico_lite", "pimlico_lite.*"]), *bundled],
    package_dir={"pimlico_lite.modules": "modules"},
)
