"""A module type whose info.py fails inside a library it calls."""

import json

SETTINGS = json.loads("{")
