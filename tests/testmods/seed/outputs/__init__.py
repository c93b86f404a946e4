"""Test module type seed/outputs."""
