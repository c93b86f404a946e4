"""Test module type seed/separate."""
