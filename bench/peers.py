"""Install the peers (doit, Luigi, Snakemake, DVC) at pinned versions into their own virtual environment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PEERS_VENV = BENCH / ".peers-venv"
PINS = {"doit": "0.37.0", "luigi": "3.8.1", "snakemake": "9.27.1", "dvc": "3.67.1"}
_VERSIONS = (
    "import importlib.metadata as m, json, sys\n"
    "found = {}\n"
    "for name in sys.argv[1:]:\n"
    "    try:\n"
    "        found[name] = m.version(name)\n"
    "    except m.PackageNotFoundError:\n"
    "        pass\n"
    "print(json.dumps(found))\n"
)


def ensure_peers(names: list[str], venv: Path = PEERS_VENV) -> dict[str, str]:
    """Create ``venv`` if needed, install the pinned version of each named peer that is missing, return versions."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    versions = installed_versions(names, venv)
    missing = [f"{name}=={PINS[name]}" for name in names if versions.get(name) != PINS[name]]
    if missing:
        print(f"installing {', '.join(missing)} into {venv}", file=sys.stderr)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *missing], check=True)
        versions = installed_versions(names, venv)
    return versions


def installed_versions(names: list[str], venv: Path = PEERS_VENV) -> dict[str, str]:
    """The version of each named package installed in ``venv``."""
    python = venv / "bin" / "python"
    if not python.exists():
        return {}
    output = subprocess.run([str(python), "-c", _VERSIONS, *names], check=True, capture_output=True, text=True)
    found: dict[str, str] = json.loads(output.stdout)
    return found
