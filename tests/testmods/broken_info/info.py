"""A module type whose info.py raises."""

message = "broken on purpose"
raise RuntimeError(message)
